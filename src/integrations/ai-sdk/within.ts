import type { Context } from "../../core/context.js";
import type { SpanRecord } from "../../core/span.js";
import type { Call } from "./call.js";

/**
 * Runs `execute` once with the picked span as the current span, so spans made inside nest under
 * it; the call counts as busy (never idle) until `execute` settles. What it throws is kept in
 * `call.thrown` under `key` (and forgotten when it succeeds).
 *
 * @param call - the call, or undefined when it is not traced
 * @param pick - chooses the span to run under
 * @param execute - the AI SDK's model or tool execution
 * @param key - "" for the model, the tool call's id for a tool
 * @returns what `execute` returns, untouched
 * @example
 * return within(calls.get(callId), (call) => call.chat, execute, "");
 */
export function within<T>(call: Call | undefined, pick: (call: Call) => SpanRecord | undefined, execute: () => PromiseLike<T>, key: string): PromiseLike<T> {
  let span: SpanRecord | undefined;
  try {
    span = call === undefined ? undefined : pick(call);
  } catch {
    span = undefined;
  }
  if (call === undefined || span === undefined) return execute();
  const inner: Context = { ...call.ctx, span };
  call.busy++;
  call.lastEventAt = Date.now();
  const done = (err?: unknown, failed = false): void => {
    call.busy--;
    call.lastEventAt = Date.now();
    if (failed) call.thrown.set(key, err);
    else call.thrown.delete(key);
  };
  let result: PromiseLike<T>;
  try {
    result = call.t.storage.run(inner, execute);
  } catch (err) {
    done(err, true);
    throw err;
  }
  // Observed on the side: the caller receives `result` itself, its value or error untouched.
  Promise.resolve(result).then(
    () => done(),
    (err: unknown) => done(err, true),
  );
  return result;
}
