import { describe, expect, it } from "vitest";
import { computeCost } from "./cost.js";
import { createPriceLookup } from "./pricing.js";

describe("createPriceLookup", () => {
  const lookup = createPriceLookup();

  it("finds current models of OpenAI, Anthropic, Google and Mistral", () => {
    expect(lookup("gpt-4o")).toEqual({ input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 2.5 });
    expect(lookup("claude-sonnet-4-5")?.cacheWrite).toBe(3.75);
    expect(lookup("gemini-2.5-flash")?.output).toBe(2.5);
    expect(lookup("mistral-small-latest")?.input).toBe(0.1);
  });

  it("prices OpenAI fine-tunes (ft:<base>-<date>:<org>::<id>) by a pattern on the base model", () => {
    const custom = createPriceLookup({ "ft:gpt-4o-mini*": { input: 0.3, output: 1.2 } });
    expect(custom("ft:gpt-4o-mini-2024-07-18:acme::AbC123")).toMatchObject({ input: 0.3, output: 1.2 });
  });

  it("strips dated suffixes and provider prefixes", () => {
    expect(lookup("gpt-4o-mini-2024-07-18")).toEqual(lookup("gpt-4o-mini"));
    expect(lookup("claude-3-5-haiku-20241022")).toEqual(lookup("claude-3-5-haiku"));
    expect(lookup("gemini-2.0-flash-001")).toEqual(lookup("gemini-2.0-flash"));
    expect(lookup("openai/gpt-4.1")).toEqual(lookup("gpt-4.1"));
    expect(lookup("models/gemini-2.5-pro")).toEqual(lookup("gemini-2.5-pro"));
  });

  it("knows the newer model generations by their own rows", () => {
    expect(lookup("claude-opus-4-5-20251101")).toEqual({ input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 });
    expect(lookup("claude-opus-4-1-20250805")?.input).toBe(15);
    expect(lookup("claude-haiku-4-5")?.output).toBe(5);
    expect(lookup("gpt-5.4-mini")?.cacheRead).toBe(0.075);
    expect(lookup("gemini-3.1-pro-preview")).toEqual({ input: 2, output: 12, cacheRead: 2, cacheWrite: 2 });
  });

  it("does not confuse a model with its longer-named sibling", () => {
    expect(lookup("gpt-4o-mini")?.input).toBe(0.15);
    expect(lookup("gpt-4o")?.input).toBe(2.5);
  });

  it("prices GPT-4 Turbo's preview names as GPT-4 Turbo, not as the GPT-4 their stripped names would find", () => {
    const lookup = createPriceLookup();
    for (const m of ["gpt-4-1106-preview", "gpt-4-0125-preview", "gpt-4-turbo-preview", "gpt-4-vision-preview"]) expect(lookup(m)).toMatchObject({ input: 10, output: 30 });
    expect(lookup("gpt-4-0613")).toMatchObject({ input: 30, output: 60 });
  });

  it("knows nothing of model names that only Object.prototype has", () => {
    for (const model of ["constructor", "toString", "__proto__", "openai/valueOf", "hasOwnProperty-2024-07-18"]) expect(lookup(model)).toBeUndefined();
  });

  it("knows nothing of an unknown model", () => {
    expect(lookup("mystery-9000")).toBeUndefined();
  });

  it("lets the pricing option add and override, by exact name, glob or regular expression", () => {
    const custom = createPriceLookup({ "gpt-4o": { input: 1, output: 2 }, "acme-*": { input: 3, output: 4 } });
    expect(custom("gpt-4o")).toEqual({ input: 1, output: 2 });
    expect(custom("acme-large-v2")).toEqual({ input: 3, output: 4 });
    expect(custom("gpt-4o-mini")?.input).toBe(0.15);
    const listed = createPriceLookup([{ model: /^ft:gpt-4o-mini:/, input: 0.3, output: 1.2 }]);
    expect(listed("ft:gpt-4o-mini:acme::abc123")).toEqual({ input: 0.3, output: 1.2 });
  });
});

describe("computeCost", () => {
  it("charges cached reads and cache writes at their own prices", () => {
    const cost = computeCost({ inputTokens: 3050, outputTokens: 40, cacheReadTokens: 2000, cacheWriteTokens: 1000 }, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    expect(cost).toEqual({ prompt: 0.0045, completion: 0.0006, total: 0.0051 });
  });

  it("charges one-hour cache writes at cacheWrite1h, by default twice the input price, and the other writes at cacheWrite", () => {
    const usage = { inputTokens: 3050, outputTokens: 40, cacheReadTokens: 2000, cacheWriteTokens: 1000, cacheWrite1hTokens: 600 };
    const sonnet = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    expect(computeCost(usage, sonnet)?.prompt).toBeCloseTo((50 * 3 + 2000 * 0.3 + 400 * 3.75 + 600 * 6) / 1e6, 12);
    expect(computeCost(usage, { ...sonnet, cacheWrite1h: 5 })?.prompt).toBeCloseTo((50 * 3 + 2000 * 0.3 + 400 * 3.75 + 600 * 5) / 1e6, 12);
    // More one-hour writes than writes in all: only the writes counted are priced.
    expect(computeCost({ ...usage, cacheWrite1hTokens: 5000 }, sonnet)?.prompt).toBeCloseTo((50 * 3 + 2000 * 0.3 + 1000 * 6) / 1e6, 12);
  });

  it("gives nothing when no tokens were counted", () => {
    expect(computeCost({}, { input: 1, output: 1 })).toBeUndefined();
  });
});
