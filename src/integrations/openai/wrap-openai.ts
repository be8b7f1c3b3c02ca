import type { LLMFetchOptions } from "../../core/llm/trace-llm-fetch.js";
import { traceLLMFetch } from "../../core/llm/trace-llm-fetch.js";
import { openaiRoute } from "../../core/llm/provider-routes.js";

/** Options of `wrapOpenAI`. */
export interface WrapOpenAIOptions extends LLMFetchOptions {
  /** `gen_ai.provider.name` of the spans. Default "openai" (say "groq", "mistral_ai", ... for a compatible host). */
  provider?: string;
}

/**
 * The parts of an OpenAI or Anthropic client spanwise touches: the fetch it sends every request
 * through, its timeout, and `withOptions`, which makes a client sharing that fetch.
 */
interface FetchingClient {
  fetch: typeof fetch;
  timeout?: unknown;
  withOptions?: (...args: unknown[]) => unknown;
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
  return wrapClientFetch(client, (f, timeout) => traceLLMFetch(f, openaiRoute(options.provider ?? "openai"), options, timeout, false));
}

/**
 * Replaces a client's `fetch` with a traced one, once, and lets the traced fetch read the
 * client's `timeout`: the SDK aborts its fetch the same way for its timeout (an error) and for
 * the caller's abort (a cancel), and only the time tells them apart. Its `withOptions` is
 * followed, so a client made from it reads its own timeout. Nothing else of the client changes:
 * openai 7 refuses some requests (X.509 workload identity) when its fetch hooks are replaced.
 * Never throws.
 *
 * @param client - an `OpenAI` or `Anthropic` client
 * @param wrap - makes the traced fetch from the client's own and a reader of its timeout
 * @returns the same client
 * @example
 * wrapClientFetch(client, (f, timeout) => traceLLMFetch(f, openaiRoute("openai"), {}, timeout));
 */
export function wrapClientFetch<C extends object>(client: C, wrap: (original: typeof fetch, timeoutMs: () => number | undefined) => typeof fetch): C {
  try {
    const c = client as unknown as FetchingClient & { [WRAPPED]?: true };
    if (c[WRAPPED] || typeof c.fetch !== "function") return client;
    traceFetchOf(c, c.fetch, wrap);
  } catch {
    // A client that will not take the traced fetch works as before, untraced.
  }
  return client;
}

/**
 * Gives `c` a traced fetch over `original` that reads `c`'s own timeout, and makes the clients
 * `c.withOptions()` returns the same: they are given `c`'s traced fetch, whose timeout would be
 * `c`'s, so a shorter timeout set there would read as the caller's cancel.
 */
function traceFetchOf(c: FetchingClient, original: typeof fetch, wrap: (original: typeof fetch, timeoutMs: () => number | undefined) => typeof fetch): void {
  const timeoutMs = (): number | undefined => {
    try {
      const ms = c.timeout;
      return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? ms : undefined;
    } catch {
      return undefined;
    }
  };
  const traced = wrap((input, init) => original.call(undefined, input, init), timeoutMs);
  c.fetch = traced;
  Object.defineProperty(c, WRAPPED, { value: true });
  const withOptions = c.withOptions;
  if (typeof withOptions !== "function") return;
  Object.defineProperty(c, "withOptions", {
    configurable: true,
    writable: true,
    value(this: unknown, ...args: unknown[]): unknown {
      const derived = withOptions.apply(this, args) as FetchingClient | null;
      try {
        // The derived client's own fetch, when the options gave it one; else the fetch under c's
        // traced one. (Another client's traced fetch would still record each call once: a traced
        // fetch inside another finds the call's span already claimed.)
        if (typeof derived === "object" && derived !== null && !(derived as { [WRAPPED]?: true })[WRAPPED] && typeof derived.fetch === "function") traceFetchOf(derived, derived.fetch === traced ? original : derived.fetch, wrap);
      } catch {
        // Left as withOptions made it: traced through c's fetch, with c's timeout.
      }
      return derived;
    },
  });
}
