import { describeError } from "../../core/describe-error.js";
import type { SpanRecord } from "../../core/span.js";

/**
 * Records a failed run on its span: status ERROR, `error.type` and an `exception` event. What a
 * LangChain error says can be content: an OutputParserException quotes the model's answer, a
 * tool's error may quote its input, and the stack trace repeats the message in its first line.
 * So with content capture off, only the error's type is recorded: no `exception.message`, no
 * `exception.stacktrace` and no status description.
 *
 * @param span - the run's span
 * @param error - what the run failed with
 * @param captureContent - the `captureContent` option
 * @example
 * recordRunError(span, new OutputParserException("Failed to parse. Text: ..."), false);
 */
export function recordRunError(span: SpanRecord, error: unknown, captureContent: boolean): void {
  const type = describeError(error).type;
  span.setAttribute("error.type", type);
  if (captureContent) {
    span.recordException(error);
    return;
  }
  span.addEvent("exception", { "exception.type": type });
  span.setStatus("error");
}
