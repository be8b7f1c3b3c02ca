/**
 * spanwise/llm: fetch-level LLM tracing for any runtime. Importing it lets
 * `init({ instrument: ["openai", "anthropic", "gemini", ...] })` trace those APIs' calls made
 * through `globalThis.fetch` by any SDK; it also exports the price table and the building blocks.
 *
 * @module
 */
import { registerLLMFetch } from "../../core/llm/register-llm-fetch.js";

registerLLMFetch();

export { instrumentLLMFetch, llmRoute } from "../../core/llm/fetch-providers.js";
export type { LLMInstrumentation } from "../../core/llm/fetch-providers.js";
export { traceLLMFetch } from "../../core/llm/trace-llm-fetch.js";
export type { LLMFetchOptions, ProviderRoute } from "../../core/llm/trace-llm-fetch.js";
export { createPriceLookup, PRICES_AS_OF } from "../../core/llm/pricing.js";
export type { ModelPrice, PricingOption, PriceLookup } from "../../core/llm/pricing.js";
export { computeCost } from "../../core/llm/cost.js";
export type { Cost, CostUsage } from "../../core/llm/cost.js";
export { wrapWorkersAI } from "../../core/llm/workers-ai.js";
export type { WorkersAIBinding } from "../../core/llm/workers-ai.js";
