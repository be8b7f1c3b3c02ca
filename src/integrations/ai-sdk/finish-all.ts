import { releaseLLMClaim } from "../../core/llm/claimed-calls.js";
import { type LLMEnd, type LLMResult, finishLLMSpan } from "../../core/llm/llm-span.js";
import type { Call } from "./call.js";
import { endSpan } from "./end-span.js";

const EMPTY: LLMResult = { finishReasons: [], usage: {} };

/**
 * Ends every span a call still has open below its root (tools, chat, embeddings, step), as
 * `how` says, with no usage invented.
 *
 * @param call - the call
 * @param how - `{ cancelled }`, `{ error }` or `{}`; an error is recorded by its type alone when
 *   the call keeps its content off its spans
 * @example
 * finishAll(call, { cancelled: true });
 */
export function finishAll(call: Call, how: LLMEnd): void {
  how = privately(call, how);
  if (call.chat) releaseLLMClaim(call.chat);
  for (const s of call.embeds.values()) releaseLLMClaim(s);
  for (const s of call.tools.values()) endSpan(s, how);
  call.tools.clear();
  if (call.chat) finishLLMSpan(call.t, call.chat, EMPTY, how);
  call.chat = undefined;
  for (const s of call.embeds.values()) finishLLMSpan(call.t, s, EMPTY, how);
  call.embeds.clear();
  if (call.step) endSpan(call.step, how);
  call.step = undefined;
}

/**
 * Ends a call's open spans and its root as `how` says; never throws.
 *
 * @param call - the call, already removed from the open calls
 * @param how - `{ cancelled }`, `{ error }` or `{}`
 * @example
 * closeCall(call, ending(event.error));
 */
export function closeCall(call: Call, how: LLMEnd): void {
  try {
    finishAll(call, how);
    endSpan(call.root, privately(call, how));
  } catch (err) {
    call.t.internalError("ai-sdk end", err);
    if (call.root.endTime === 0) call.root.end();
  }
}

/**
 * An error's message and stack can quote the call's content (an invalid tool call its arguments,
 * a tool's error its input): unless the call records both its inputs and its outputs, its errors
 * are recorded by their type alone.
 */
function privately(call: Call, how: LLMEnd): LLMEnd {
  return how.error === undefined || (call.inputs && call.outputs) ? how : { ...how, hideMessage: true };
}
