import { describeError } from "../../core/describe-error.js";
import type { LLMEnd } from "../../core/llm/llm-span.js";

/**
 * How an error ends the spans of an AI SDK call: an abort (the error itself or a cause up to four
 * levels down, as providers wrap it) is a cancellation; a timeout (the call's `timeout` option,
 * an `AbortSignal.timeout()`, both a `TimeoutError`) an error of type `TimeoutError`, as at the
 * fetch level; anything else an error, with its type as `error.type`.
 *
 * @param error - what the AI SDK reported
 * @returns `{ cancelled: true }` or `{ error, errorType }`
 * @example
 * ending(new DOMException("stopped", "AbortError")) // { cancelled: true }
 */
export function ending(error: unknown): LLMEnd {
  let e: unknown = error;
  for (let i = 0; i < 4 && e !== null && typeof e === "object"; i++) {
    const name = (e as { name?: unknown }).name;
    if (name === "TimeoutError") return { error, errorType: "TimeoutError" };
    if (name === "AbortError" || name === "ResponseAborted") return { cancelled: true };
    e = (e as { cause?: unknown }).cause;
  }
  return { error, errorType: describeError(error).type };
}
