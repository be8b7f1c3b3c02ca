import type { SpanRecord } from "../span.js";

// LLM spans opened by a framework integration (the AI SDK's, LangChain's) that record the call
// themselves: a provider request made under one is the same call, seen one layer lower.
const claimed = new WeakSet<SpanRecord>();

/**
 * Marks an LLM span as the record of the provider call made beneath it, so fetch-level tracing
 * (`init({ instrument })`, `wrapOpenAI`) does not record that call a second time.
 *
 * @param span - the framework's LLM span
 * @example
 * claimLLMCall(startLLMSpan(t, ctx, request));
 */
export function claimLLMCall(span: SpanRecord): void {
  claimed.add(span);
}

/**
 * True when `span` already records the provider call about to be made under it.
 *
 * @param span - the current span, if any
 * @returns whether a fetch-level LLM span would duplicate it
 * @example
 * if (isLLMCallClaimed(ctx?.span)) return original(input, init);
 */
export function isLLMCallClaimed(span: SpanRecord | undefined): boolean {
  return span !== undefined && claimed.has(span);
}
