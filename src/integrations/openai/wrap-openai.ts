import type { LLMFetchOptions } from "../../core/llm/trace-llm-fetch.js";
import { traceLLMFetch } from "../../core/llm/trace-llm-fetch.js";
import { openaiRoute } from "../../core/llm/provider-routes.js";

/** Options of `wrapOpenAI`. */
export interface WrapOpenAIOptions extends LLMFetchOptions {
  /** `gen_ai.provider.name` of the spans. Default "openai" (say "groq", "mistral_ai", ... for a compatible host). */
  provider?: string;
}

/** The part of an OpenAI client spanwise touches: the fetch it sends every request through. */
interface FetchingClient {
  fetch: typeof fetch;
}

const WRAPPED = Symbol.for("spanwise.llm.wrapped");

/**
 * Traces every call an `openai` client makes (chat completions, the Responses API, embeddings;
 * streamed or not) as an LLM span under the current span. The same client comes back, and what
 * it returns to the caller is unchanged: spanwise reads the HTTP traffic the client sends
 * through its own `fetch`, so APIPromise, `.withResponse()` and streams are the SDK's own.
 *
 * @param client - an `OpenAI` (or `AzureOpenAI`) client
 * @param options - `provider`, `streamUsage`
 * @returns the same client
 * @example
 * const openai = wrapOpenAI(new OpenAI());
 * const r = await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
 */
export function wrapOpenAI<C extends object>(client: C, options: WrapOpenAIOptions = {}): C {
  return wrapClientFetch(client, (f) => traceLLMFetch(f, openaiRoute(options.provider ?? "openai"), options));
}

/** Replaces a client's `fetch` with a traced one, once. Never throws. */
export function wrapClientFetch<C extends object>(client: C, wrap: (original: typeof fetch) => typeof fetch): C {
  try {
    const c = client as unknown as FetchingClient & { [WRAPPED]?: true };
    if (c[WRAPPED] || typeof c.fetch !== "function") return client;
    const original = c.fetch;
    c.fetch = wrap((input, init) => original.call(undefined, input, init));
    Object.defineProperty(c, WRAPPED, { value: true });
  } catch {
    // A client that will not take the traced fetch works as before, untraced.
  }
  return client;
}
