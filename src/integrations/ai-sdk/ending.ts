import type { LLMEnd } from "../../core/llm/llm-span.js";

/**
 * How an error ends the spans of an AI SDK call: an abort or a timeout (the error itself or a
 * cause up to four levels down, as providers wrap it) is a cancellation, anything else an error.
 *
 * @param error - what the AI SDK reported
 * @returns `{ cancelled: true }` or `{ error }`
 * @example
 * ending(new DOMException("stopped", "AbortError")) // { cancelled: true }
 */
export function ending(error: unknown): LLMEnd {
  let e: unknown = error;
  for (let i = 0; i < 4 && e !== null && typeof e === "object"; i++) {
    const name = (e as { name?: unknown }).name;
    if (name === "AbortError" || name === "TimeoutError" || name === "ResponseAborted") return { cancelled: true };
    e = (e as { cause?: unknown }).cause;
  }
  return { error };
}
