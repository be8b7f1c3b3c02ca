import { describeError } from "../describe-error.js";
import type { SpanRecord } from "../span.js";

/**
 * Records an error on a span: as `recordException` does, or, when its message may hold content
 * that must stay off the span (`captureContent: false`), by its type alone: an `exception` event
 * with `exception.type` only (no message, and no stack trace, whose first line repeats the
 * message) and status ERROR without a description. An LLM framework's errors quote content: an
 * output parser's the model's answer, an invalid tool call its arguments, a tool's error often its
 * input.
 *
 * @param span - the span
 * @param error - what was thrown
 * @param withMessage - false to record the type only
 * @example
 * recordError(span, new Error("could not parse: Paris"), t.config.captureContent);
 */
export function recordError(span: SpanRecord, error: unknown, withMessage: boolean): void {
  if (withMessage) {
    span.recordException(error);
    return;
  }
  span.addEvent("exception", { "exception.type": describeError(error).type });
  span.setStatus("error");
}
