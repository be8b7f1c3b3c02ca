import type { CostUsage } from "../../core/llm/cost.js";
import { num, obj } from "../../core/llm/provider-adapter.js";

/**
 * Reads AI SDK token usage (`inputTokens` already includes cached reads and writes, as GenAI
 * counts them) into spanwise's usage; anything not a count is left out. Anthropic's one-hour
 * cache writes, which the AI SDK's usage does not split out, come from the provider's own usage
 * (`raw.cache_creation`, as `@ai-sdk/anthropic` passes it on), for cost.
 *
 * @param u - a `LanguageModelUsage`, or anything else
 * @returns the usage
 * @example
 * toUsage({ inputTokens: 10, outputTokens: 3, inputTokenDetails: { cacheReadTokens: 4 } })
 */
export function toUsage(u: unknown): CostUsage {
  const usage = obj(u);
  return {
    inputTokens: num(usage.inputTokens),
    outputTokens: num(usage.outputTokens),
    totalTokens: num(usage.totalTokens),
    cacheReadTokens: num(obj(usage.inputTokenDetails).cacheReadTokens),
    cacheWriteTokens: num(obj(usage.inputTokenDetails).cacheWriteTokens),
    cacheWrite1hTokens: num(obj(obj(usage.raw).cache_creation).ephemeral_1h_input_tokens),
    reasoningTokens: num(obj(usage.outputTokenDetails).reasoningTokens),
  };
}
