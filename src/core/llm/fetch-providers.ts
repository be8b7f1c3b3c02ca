import { anthropicRoute, openaiRoute } from "./provider-routes.js";
import { geminiGenerate } from "./gemini-generate.js";
import { keepProperties } from "../keep-properties.js";
import { type LLMFetchOptions, type ProviderRoute, traceLLMFetch } from "./trace-llm-fetch.js";

/**
 * An LLM API spanwise recognises in `fetch` calls: a built-in name, or `{ baseURL, provider }`
 * for any OpenAI-compatible host (a local vLLM, LiteLLM, an Azure deployment); `streamUsage:
 * false` for a host that rejects `stream_options` (spanwise then reads usage only where the host
 * sends it unasked).
 */
export type LLMInstrumentation =
  | "openai"
  | "anthropic"
  | "gemini"
  | "groq"
  | "together"
  | "openrouter"
  | "mistral"
  | "deepseek"
  | "xai"
  | "fireworks"
  | { baseURL: string; provider: string; api?: "openai" | "anthropic" | "gemini"; streamUsage?: boolean };

// OpenAI-compatible hosts by their API origin; the provider names follow GenAI where it has one.
const OPENAI_COMPATIBLE: Record<string, [string, string]> = {
  openai: ["https://api.openai.com/", "openai"],
  groq: ["https://api.groq.com/openai/", "groq"],
  together: ["https://api.together.xyz/", "together"],
  openrouter: ["https://openrouter.ai/api/", "openrouter"],
  mistral: ["https://api.mistral.ai/", "mistral_ai"],
  deepseek: ["https://api.deepseek.com/", "deepseek"],
  xai: ["https://api.x.ai/", "x_ai"],
  fireworks: ["https://api.fireworks.ai/inference/", "fireworks"],
};

/**
 * Builds one route over the chosen APIs: a URL is matched by its prefix, then by its path.
 *
 * @param list - the APIs to recognise
 * @returns the route
 * @example
 * llmRoute(["openai", { baseURL: "http://localhost:8000/v1", provider: "vllm" }])
 */
export function llmRoute(list: readonly LLMInstrumentation[]): ProviderRoute {
  const prefixed: [string, ProviderRoute][] = [];
  let gemini = false;
  for (const item of list) {
    if (item === "anthropic") prefixed.push(["https://api.anthropic.com/", anthropicRoute()]);
    else if (item === "gemini") gemini = true;
    else if (typeof item === "string") {
      const known = Object.hasOwn(OPENAI_COMPATIBLE, item) ? OPENAI_COMPATIBLE[item] : undefined;
      if (known) prefixed.push([known[0], openaiRoute(known[1])]);
    } else if (item && typeof item === "object" && typeof item.baseURL === "string") {
      const base = item.baseURL.endsWith("/") ? item.baseURL : `${item.baseURL}/`;
      prefixed.push([base, item.api === "anthropic" ? anthropicRoute(item.provider) : item.api === "gemini" ? geminiRoute(item.provider) : openaiRoute(item.provider, item.streamUsage !== false)]);
    }
  }
  const google = geminiRoute("gcp.gemini");
  return (url) => {
    const href = url.href;
    for (const [prefix, route] of prefixed) if (href.startsWith(prefix)) return route(url);
    if (gemini && url.hostname === "generativelanguage.googleapis.com") return google(url);
    return undefined;
  };
}

function geminiRoute(provider: string): ProviderRoute {
  return (url) => {
    // /v1beta/models/gemini-2.5-flash:generateContent, or :streamGenerateContent?alt=sse
    const m = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
    return m ? geminiGenerate(decodeURIComponent(m[1] as string), provider) : undefined;
  };
}

/**
 * Wraps `globalThis.fetch` so calls to the chosen LLM APIs become LLM spans (with usage, cost
 * and streams), whatever SDK or bundler made them. `init({ instrument })` calls this.
 *
 * @param list - the APIs to recognise
 * @param options - `streamUsage`
 * @returns a function that restores the previous fetch
 * @example
 * const restore = instrumentLLMFetch(["openai", "anthropic", "gemini"]);
 */
export function instrumentLLMFetch(list: readonly LLMInstrumentation[], options: LLMFetchOptions = {}): () => void {
  const current = globalThis.fetch;
  if (typeof current !== "function" || list.length === 0) return () => {};
  const wrapped = keepProperties(traceLLMFetch(((input: RequestInfo | URL, init?: RequestInit) => current(input, init)) as typeof fetch, llmRoute(list), options), current);
  globalThis.fetch = wrapped;
  return () => {
    if (globalThis.fetch === wrapped) globalThis.fetch = current;
  };
}
