import { describeError } from "../describe-error.js";
import type { LLMEnd } from "./llm-span.js";

// A timer can fire a little before its time as measured from the traced fetch's start (Node
// counts a timer from the event loop's cached clock); an abort this close to the timeout is
// still the timer's.
const EARLY_MS = 100;

/**
 * How an LLM request whose fetch failed ends its span. A timeout is an error with `error.type`
 * `TimeoutError`: fetch's own (`AbortSignal.timeout`), or an SDK client's `timeout`. openai,
 * @anthropic-ai/sdk and the other Stainless SDKs abort their request with the same plain abort
 * for their timeout and for the caller's signal, so an abort that comes once the request's
 * timeout has passed is taken for the timeout: the one the SDK announces in whole seconds in
 * `X-Stainless-Timeout`, or else the client's own (`clientTimeoutMs`, from `wrapOpenAI` and
 * `wrapAnthropic`). Any other abort is a cancel; any other failure an error with its type as
 * `error.type`.
 *
 * @param err - what the fetch rejected with
 * @param input - the fetch's input
 * @param init - the fetch's init (its headers)
 * @param elapsedMs - milliseconds from the request to the failure
 * @param clientTimeoutMs - the wrapped client's `timeout`, when known
 * @returns how to end the span
 * @example
 * finishLLMSpan(t, s, { finishReasons: [], usage: {} }, failedEnding(err, input, init, now() - started, 600_000));
 */
export function failedEnding(err: unknown, input: RequestInfo | URL, init: RequestInit | undefined, elapsedMs: number, clientTimeoutMs?: number): LLMEnd {
  const type = describeError(err).type;
  // fetch's own timeout (a TimeoutError) and every other failure are errors of their own type.
  if (type !== "AbortError") return { error: err, errorType: type };
  const timeoutMs = announcedTimeoutMs(input, init) ?? clientTimeoutMs;
  if (timeoutMs !== undefined && elapsedMs >= timeoutMs - EARLY_MS) {
    return { error: { name: "TimeoutError", message: `no response within the client's timeout of ${timeoutMs} ms` }, errorType: "TimeoutError" };
  }
  return { cancelled: true };
}

/** The client's timeout that a Stainless SDK announces in whole seconds, when it is one second or more. */
function announcedTimeoutMs(input: RequestInfo | URL, init: RequestInit | undefined): number | undefined {
  try {
    const value = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get("x-stainless-timeout");
    const seconds = value === null || value === "" ? Number.NaN : Number(value);
    return Number.isFinite(seconds) && seconds >= 1 ? seconds * 1000 : undefined;
  } catch {
    return undefined;
  }
}
