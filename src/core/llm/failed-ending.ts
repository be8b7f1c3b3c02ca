import type { LLMEnd } from "./llm-span.js";
import { sdkAbortCause } from "./note-sdk-request.js";

// A timer can fire a little before its time as measured from the traced fetch's start (Node
// counts a timer from the event loop's cached clock); an abort this close to the announced
// timeout is still the timer's.
const EARLY_MS = 100;

/**
 * How an LLM request whose fetch failed ends its span. A timeout is an error with `error.type`
 * `TimeoutError`: fetch's own (`AbortSignal.timeout`), or an SDK client's `timeout`. openai,
 * @anthropic-ai/sdk and the other Stainless SDKs abort their request with the same plain abort
 * for their timeout and for the caller's signal: a client wrapped by `wrapOpenAI` or
 * `wrapAnthropic` notes the caller's signal (see noteSdkRequest), and at the fetch level an abort
 * that comes once the whole seconds the SDK announces in `X-Stainless-Timeout` have passed is
 * taken for the timeout. Any other abort is a cancel, anything else an error.
 *
 * @param err - what the fetch rejected with
 * @param input - the fetch's input
 * @param init - the fetch's init (its signal and headers)
 * @param elapsedMs - milliseconds from the request to the failure
 * @returns how to end the span
 * @example
 * finishLLMSpan(t, s, { finishReasons: [], usage: {} }, failedEnding(err, input, init, now() - started));
 */
export function failedEnding(err: unknown, input: RequestInfo | URL, init: RequestInit | undefined, elapsedMs: number): LLMEnd {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === "TimeoutError") return { error: err, errorType: "TimeoutError" };
  if (name !== "AbortError") return { error: err };
  const cause = sdkAbortCause(init?.signal);
  if (cause?.by === "caller") return { cancelled: true };
  if (cause?.by === "timeout") return timedOut(cause.timeoutMs);
  const announced = announcedTimeoutMs(input, init);
  if (announced !== undefined && elapsedMs >= announced - EARLY_MS) return timedOut(announced);
  return { cancelled: true };
}

function timedOut(timeoutMs: number | undefined): LLMEnd {
  const within = timeoutMs === undefined ? "" : ` of ${timeoutMs} ms`;
  return { error: { name: "TimeoutError", message: `no response within the client's timeout${within}` }, errorType: "TimeoutError" };
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
