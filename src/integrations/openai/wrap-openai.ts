import type { LLMFetchOptions } from "../../core/llm/trace-llm-fetch.js";
import { traceLLMFetch } from "../../core/llm/trace-llm-fetch.js";
import { openaiRoute } from "../../core/llm/provider-routes.js";
import { noteSdkRequest } from "../../core/llm/note-sdk-request.js";

/** Options of `wrapOpenAI`. */
export interface WrapOpenAIOptions extends LLMFetchOptions {
  /** `gen_ai.provider.name` of the spans. Default "openai" (say "groq", "mistral_ai", ... for a compatible host). */
  provider?: string;
}

/**
 * The parts of an OpenAI or Anthropic client spanwise touches: the fetch it sends every request
 * through, and the method that arms the client's timeout around it (Stainless SDKs).
 */
interface FetchingClient {
  fetch: typeof fetch;
  fetchWithTimeout?: (url: unknown, init: RequestInit | undefined, ms: unknown, controller: unknown, ...rest: unknown[]) => Promise<Response>;
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

/**
 * Replaces a client's `fetch` with a traced one, once, and notes each request's caller signal
 * and timeout as the client's `fetchWithTimeout` starts it, so that the span can tell the
 * client's timeout (an error) from the caller's abort (a cancel): the SDK aborts its fetch the
 * same way for both. Never throws.
 *
 * @param client - an `OpenAI` or `Anthropic` client
 * @param wrap - makes the traced fetch from the client's own
 * @returns the same client
 * @example
 * wrapClientFetch(client, (f) => traceLLMFetch(f, openaiRoute("openai")));
 */
export function wrapClientFetch<C extends object>(client: C, wrap: (original: typeof fetch) => typeof fetch): C {
  try {
    const c = client as unknown as FetchingClient & { [WRAPPED]?: true };
    if (c[WRAPPED] || typeof c.fetch !== "function") return client;
    const original = c.fetch;
    c.fetch = wrap((input, init) => original.call(undefined, input, init));
    const withTimeout = c.fetchWithTimeout;
    if (typeof withTimeout === "function") {
      c.fetchWithTimeout = function fetchWithTimeout(this: unknown, url, init, ms, controller, ...rest) {
        try {
          noteSdkRequest((controller as { signal?: unknown } | null)?.signal, init?.signal, ms);
        } catch {
          // Without the note, an abort is read at the fetch level.
        }
        return withTimeout.call(this, url, init, ms, controller, ...rest);
      };
    }
    Object.defineProperty(c, WRAPPED, { value: true });
  } catch {
    // A client that will not take the traced fetch works as before, untraced.
  }
  return client;
}
