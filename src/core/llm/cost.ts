import type { Usage } from "../span.js";
import type { ModelPrice } from "./pricing.js";

/** Cost of one call in US dollars, split as OpenInference does. */
export interface Cost {
  prompt: number;
  completion: number;
  total: number;
}

/** A call's token usage as `computeCost` prices it: `Usage`, and how much of the cache writes went to a one-hour cache. */
export interface CostUsage extends Usage {
  /**
   * Of `cacheWriteTokens`, those written to a one-hour cache (Anthropic's
   * `cache_creation.ephemeral_1h_input_tokens`), priced at `cacheWrite1h`; the rest of the writes
   * are priced at `cacheWrite`. Used for cost only: no span attribute of its own.
   */
  cacheWrite1hTokens?: number | undefined;
}

/**
 * Prices a call's usage. `inputTokens` includes cached reads and cache writes (the GenAI
 * convention), so those are taken out of the plain input price and charged at their own; cache
 * writes to a one-hour cache are charged at the one-hour rate.
 *
 * @param usage - the call's token usage
 * @param price - the model's prices per million tokens
 * @returns the cost, or undefined when the usage has no token counts
 * @example
 * computeCost({ inputTokens: 1000, outputTokens: 200 }, { input: 2.5, output: 10 }) // total 0.0045
 */
export function computeCost(usage: CostUsage, price: ModelPrice): Cost | undefined {
  const n = (v: number | undefined): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const cacheRead = n(usage.cacheReadTokens);
  const cacheWrite = n(usage.cacheWriteTokens);
  const longWrite = Math.min(n(usage.cacheWrite1hTokens), cacheWrite);
  const plain = Math.max(0, n(usage.inputTokens) - cacheRead - cacheWrite);
  const prompt =
    (plain * price.input +
      cacheRead * (price.cacheRead ?? price.input) +
      (cacheWrite - longWrite) * (price.cacheWrite ?? price.input) +
      longWrite * oneHourRate(price)) /
    1e6;
  const completion = (n(usage.outputTokens) * price.output) / 1e6;
  return { prompt: round(prompt), completion: round(completion), total: round(prompt + completion) };
}

// Anthropic bills one-hour cache writes at twice the input price. `init` rejects a `cacheWrite1h`
// that is not a price; one given to computeCost directly falls back to that rate.
const oneHourRate = (price: ModelPrice): number => {
  const v = price.cacheWrite1h;
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 2 * price.input;
};

// Twelve decimals: far below a cent, and free of float noise such as 0.0045000000000000005.
const round = (v: number): number => Math.round(v * 1e12) / 1e12;
