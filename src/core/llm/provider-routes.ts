import { anthropicMessages } from "./anthropic-messages.js";
import { openaiChat } from "./openai-chat.js";
import { openaiEmbeddings } from "./openai-embeddings.js";
import { openaiResponses } from "./openai-responses.js";
import type { ProviderRoute } from "./trace-llm-fetch.js";

/**
 * Routes the OpenAI API's paths (and those of every host that speaks it) to their adapters.
 *
 * @param provider - `gen_ai.provider.name` for the spans, e.g. "openai", "groq", "mistral_ai"
 * @param streamUsage - whether streams may be asked for usage; default true, except for Mistral
 * @returns the route
 * @example
 * traceLLMFetch(fetch, openaiRoute("openai"))
 */
export function openaiRoute(provider: string, streamUsage = true): ProviderRoute {
  // Mistral's API answers 422 to any field it does not know, `stream_options` among them, and
  // sends usage in its last chunk unasked: its streams are read as they come.
  const plain = openaiChat(provider, false);
  const chat = streamUsage && provider !== "mistral_ai" ? openaiChat(provider) : plain;
  const responses = openaiResponses(provider);
  const embeddings = openaiEmbeddings(provider);
  return (url) => {
    const path = url.pathname.replace(/\/+$/, "");
    if (path.endsWith("/chat/completions")) return url.hostname === "api.mistral.ai" ? plain : chat;
    if (path.endsWith("/responses")) return responses;
    if (path.endsWith("/embeddings")) return embeddings;
    return undefined;
  };
}

/**
 * Routes Anthropic's Messages API to its adapter.
 *
 * @param provider - `gen_ai.provider.name`, default "anthropic"
 * @returns the route
 * @example
 * traceLLMFetch(fetch, anthropicRoute())
 */
export function anthropicRoute(provider = "anthropic"): ProviderRoute {
  const messages = anthropicMessages(provider);
  return (url) => (url.pathname.replace(/\/+$/, "").endsWith("/v1/messages") ? messages : undefined);
}
