import type { Usage } from "../span.js";
import type { ModelPrice } from "./pricing.js";

/** Cost of one call in US dollars, split as OpenInference does. */
export interface Cost {
  prompt: number;
  completion: number;
  total: number;
}

/**
 * Prices a call's usage. `inputTokens` includes cached reads and cache writes (the GenAI
 * convention), so those are taken out of the plain input price and charged at their own.
 *
 * @param usage - the call's token usage
 * @param price - the model's prices per million tokens
 * @returns the cost, or undefined when the usage has no token counts
 * @example
 * computeCost({ inputTokens: 1000, outputTokens: 200 }, { input: 2.5, output: 10 }) // total 0.0045
 */
export function computeCost(usage: Usage, price: ModelPrice): Cost | undefined {
  const n = (v: number | undefined): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const cacheRead = n(usage.cacheReadTokens);
  const cacheWrite = n(usage.cacheWriteTokens);
  const plain = Math.max(0, n(usage.inputTokens) - cacheRead - cacheWrite);
  const prompt = (plain * price.input + cacheRead * (price.cacheRead ?? price.input) + cacheWrite * (price.cacheWrite ?? price.input)) / 1e6;
  const completion = (n(usage.outputTokens) * price.output) / 1e6;
  return { prompt: round(prompt), completion: round(completion), total: round(prompt + completion) };
}

// Twelve decimals: far below a cent, and free of float noise such as 0.0045000000000000005.
const round = (v: number): number => Math.round(v * 1e12) / 1e12;
