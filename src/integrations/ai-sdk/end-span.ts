import type { LLMEnd } from "../../core/llm/llm-span.js";
import { recordError } from "../../core/llm/record-error.js";
import type { SpanRecord } from "../../core/span.js";

/**
 * Ends a span as `how` says: cancelled (marked `spanwise.cancelled`, not an error), failed (an
 * exception event, status ERROR and `error.type` when `how` names one; the error's type alone
 * with `hideMessage`), or plainly. A span already ended is left alone.
 *
 * @param s - the span
 * @param how - `{ cancelled }`, `{ error, errorType? }` or `{}`
 * @example
 * endSpan(stepSpan, ending(event.error));
 */
export function endSpan(s: SpanRecord, how: LLMEnd): void {
  if (s.endTime !== 0) return;
  if (how.cancelled) s.setAttribute("spanwise.cancelled", true);
  if (how.errorType !== undefined) s.setAttribute("error.type", how.errorType);
  if (how.error !== undefined) recordError(s, how.error, how.hideMessage !== true);
  s.end();
}
