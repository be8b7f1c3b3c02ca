import type { SpanExporter } from "./export/types.js";

// Checks of option values that zod cannot express, shared by the zod schema (config-schema.ts)
// and its zod-free twin for Workers (config-check.ts).

export const isAttributeValue = (v: unknown): boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || (Array.isArray(v) && v.every((i) => i === null || ["string", "number", "boolean"].includes(typeof i)));
export const isExporter = (v: unknown): boolean =>
  v === "console" || v === "otlp" || (typeof v === "object" && v !== null && typeof (v as SpanExporter).export === "function");

// A price's fields; any other (a misspelt `cachedRead`) is refused rather than silently unpriced.
const PRICE_FIELDS = ["input", "output", "cacheRead", "cacheWrite", "cacheWrite1h"];
const isPrice = (v: unknown, listed: boolean): boolean => {
  const p = v as Record<string, unknown> | null;
  const ok = (x: unknown, optional: boolean): boolean => (optional && x === undefined) || (typeof x === "number" && Number.isFinite(x) && x >= 0);
  return (
    typeof p === "object" &&
    p !== null &&
    ok(p.input, false) &&
    ok(p.output, false) &&
    ok(p.cacheRead, true) &&
    ok(p.cacheWrite, true) &&
    ok(p.cacheWrite1h, true) &&
    Object.keys(p).every((k) => PRICE_FIELDS.includes(k) || (listed && k === "model"))
  );
};
export const isPricing = (v: unknown): boolean =>
  Array.isArray(v)
    ? v.every((e) => isPrice(e, true) && (typeof (e as { model: unknown }).model === "string" || (e as { model: unknown }).model instanceof RegExp))
    : typeof v === "object" && v !== null && Object.values(v).every((e) => isPrice(e, false));

/** The LLM APIs `instrument` names. */
export const LLM_APIS = ["openai", "anthropic", "gemini", "groq", "together", "openrouter", "mistral", "deepseek", "xai", "fireworks"];
export const isInstrumentation = (v: unknown): boolean => {
  if (typeof v === "string") return LLM_APIS.includes(v);
  const o = v as { baseURL?: unknown; provider?: unknown; api?: unknown; streamUsage?: unknown } | null;
  return typeof o === "object" && o !== null && typeof o.baseURL === "string" && /^https?:\/\//.test(o.baseURL) && typeof o.provider === "string" && o.provider !== "" && (o.api === undefined || o.api === "openai" || o.api === "anthropic" || o.api === "gemini") && (o.streamUsage === undefined || typeof o.streamUsage === "boolean");
};
