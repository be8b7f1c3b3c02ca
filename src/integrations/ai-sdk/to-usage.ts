import { num, obj } from "../../core/llm/provider-adapter.js";
import type { Usage } from "../../core/span.js";

/**
 * Reads AI SDK token usage (`inputTokens` already includes cached reads and writes, as GenAI
 * counts them) into spanwise's `Usage`; anything not a count is left out.
 *
 * @param u - a `LanguageModelUsage`, or anything else
 * @returns the usage
 * @example
 * toUsage({ inputTokens: 10, outputTokens: 3, inputTokenDetails: { cacheReadTokens: 4 } })
 */
export function toUsage(u: unknown): Usage {
  const usage = obj(u);
  return {
    inputTokens: num(usage.inputTokens),
    outputTokens: num(usage.outputTokens),
    totalTokens: num(usage.totalTokens),
    cacheReadTokens: num(obj(usage.inputTokenDetails).cacheReadTokens),
    cacheWriteTokens: num(obj(usage.inputTokenDetails).cacheWriteTokens),
    reasoningTokens: num(obj(usage.outputTokenDetails).reasoningTokens),
  };
}
