import { anthropicRoute } from "../../core/llm/provider-routes.js";
import { traceLLMFetch } from "../../core/llm/trace-llm-fetch.js";
import { wrapClientFetch } from "../openai/wrap-openai.js";

/** Options of `wrapAnthropic`. */
export interface WrapAnthropicOptions {
  /** `gen_ai.provider.name` of the spans. Default "anthropic". */
  provider?: string;
}

/**
 * Traces every Messages API call an `@anthropic-ai/sdk` client makes (streamed or not) as an
 * LLM span under the current span. The same client comes back, and what it returns to the
 * caller is unchanged: spanwise reads the HTTP traffic the client sends through its `fetch`.
 *
 * @param client - an `Anthropic` client
 * @param options - `provider`
 * @returns the same client
 * @example
 * const anthropic = wrapAnthropic(new Anthropic());
 * const msg = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages });
 */
export function wrapAnthropic<C extends object>(client: C, options: WrapAnthropicOptions = {}): C {
  return wrapClientFetch(client, (f, timeout) => traceLLMFetch(f, anthropicRoute(options.provider ?? "anthropic"), {}, timeout, false));
}
