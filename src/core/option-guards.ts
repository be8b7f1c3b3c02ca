import type { SpanExporter } from "./export/types.js";

// Checks of option values that zod cannot express, shared by the zod schema (config-schema.ts)
// and its zod-free twin for Workers (config-check.ts).

export const isAttributeValue = (v: unknown): boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || (Array.isArray(v) && v.every((i) => i === null || ["string", "number", "boolean"].includes(typeof i)));
export const isExporter = (v: unknown): boolean =>
  v === "console" || v === "otlp" || (typeof v === "object" && v !== null && typeof (v as SpanExporter).export === "function");

// A price's fields; any other (a misspelt `cachedRead`) is refused rather than silently unpriced.
const PRICE_FIELDS = ["input", "output", "cacheRead", "cacheWrite", "cacheWrite1h"];
const isRate = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x) && x >= 0;

/** Where one price is wrong, inside it: [] when it is not an object, [field] for a bad, missing or unknown field. */
const priceProblem = (v: unknown, listed: boolean): PropertyKey[] | undefined => {
  if (typeof v !== "object" || v === null) return [];
  const p = v as Record<string, unknown>;
  for (const k of PRICE_FIELDS) if (!isRate(p[k]) && (p[k] !== undefined || k === "input" || k === "output")) return [k];
  if (listed && typeof p.model !== "string" && !(p.model instanceof RegExp)) return ["model"];
  const other = Object.keys(p).find((k) => !PRICE_FIELDS.includes(k) && !(listed && k === "model"));
  return other === undefined ? undefined : [other];
};

/**
 * Where a `pricing` option is wrong, as a path inside it ([] for the whole value, ["gpt-4o",
 * "input"] for one field), or undefined when it is valid: so the error names the field.
 */
export const pricingProblem = (v: unknown): PropertyKey[] | undefined => {
  if (typeof v !== "object" || v === null) return [];
  for (const [k, e] of Array.isArray(v) ? v.entries() : Object.entries(v)) {
    const at = priceProblem(e, Array.isArray(v));
    if (at !== undefined) return [k, ...at];
  }
  return undefined;
};

/** What the field at `path` inside `pricing` expects, for the error naming it. */
export const expectedPrice = (path: readonly PropertyKey[]): string | undefined => {
  if (path.length < 2) return undefined;
  // A number at path[1]: an entry of the list form, which names its model.
  const listed = typeof path[1] === "number";
  if (path.length === 2) return `a price { ${listed ? "model, " : ""}input, output, cacheRead?, cacheWrite?, cacheWrite1h? } in US$ per million tokens`;
  if (listed && path[2] === "model") return "a model name or a RegExp";
  if (PRICE_FIELDS.includes(String(path[2]))) return "a number of US$ per million tokens, 0 or more";
  return `only the fields ${PRICE_FIELDS.join(", ")}${listed ? ", model" : ""}`;
};

/** The LLM APIs `instrument` names. */
export const LLM_APIS = ["openai", "anthropic", "gemini", "groq", "together", "openrouter", "mistral", "deepseek", "xai", "fireworks"];
export const isInstrumentation = (v: unknown): boolean => {
  if (typeof v === "string") return LLM_APIS.includes(v);
  const o = v as { baseURL?: unknown; provider?: unknown; api?: unknown; streamUsage?: unknown } | null;
  return typeof o === "object" && o !== null && typeof o.baseURL === "string" && /^https?:\/\//.test(o.baseURL) && typeof o.provider === "string" && o.provider !== "" && (o.api === undefined || o.api === "openai" || o.api === "anthropic" || o.api === "gemini") && (o.streamUsage === undefined || typeof o.streamUsage === "boolean");
};
