import { G } from "../global.js";
import { instrumentLLMFetch } from "./fetch-providers.js";

/**
 * Lets `init({ instrument })` install fetch-level LLM tracing. Runs when `spanwise/llm` or
 * `spanwise/node` is imported; the core never imports the parsers itself.
 *
 * @example
 * registerLLMFetch();
 */
export function registerLLMFetch(): void {
  G.llmFetch ??= (list) => instrumentLLMFetch(list);
}
