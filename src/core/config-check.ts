import type { OptionsIssue, OptionsSchema } from "./config.js";
import { isAttributeValue, isExporter, isInstrumentation, isPricing } from "./option-guards.js";

// Why this file exists: the options of init() are validated by one zod schema (config.ts), the
// single source of truth on Node, Bun, Deno, Lambda and in the CLI. On Cloudflare Workers every
// byte of the bundle counts (the budget is 10 KB gzip for instrument() + core + OTLP) and zod/mini
// alone is about 8 KB of it, plus milliseconds of schema construction at every cold start. So the
// Workers entry validates with this hand-written twin instead. It returns what the zod schema's
// safeParse returns (the same data, and as first issue the same code and path), and
// test/core/config-check.test.ts feeds both the same tables and random inputs and requires the
// same accept/reject and the same field named in the error. Change the schema, change this too:
// that test fails until they agree.

type Check = (value: unknown, path: PropertyKey[]) => { ok: true; value: unknown } | { ok: false; issue: OptionsIssue };

const ok = (value: unknown) => ({ ok: true as const, value });
const fail = (code: string, path: PropertyKey[]) => ({ ok: false as const, issue: { code, path } });

const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? ok(v) : check(v, path);

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

const int = (min: number, max: number): Check =>
  optional((v, path) => {
    if (!isNumber(v)) return fail("invalid_type", path);
    if (!Number.isSafeInteger(v)) return fail("invalid_type", path);
    if (v < min) return fail("too_small", path);
    if (v > max) return fail("too_big", path);
    return ok(v);
  });

const num = (min: number, max: number): Check =>
  optional((v, path) => {
    if (!isNumber(v)) return fail("invalid_type", path);
    if (v < min) return fail("too_small", path);
    if (v > max) return fail("too_big", path);
    return ok(v);
  });

const text: Check = optional((v, path) => {
  if (typeof v !== "string") return fail("invalid_type", path);
  if (v.length < 1) return fail("too_small", path);
  if (v.length > 1024) return fail("too_big", path);
  return ok(v);
});

const bool: Check = optional((v, path) => (typeof v === "boolean" ? ok(v) : fail("invalid_type", path)));

const custom = (test: (v: unknown) => boolean): Check => optional((v, path) => (test(v) ? ok(v) : fail("custom", path)));

const oneOf = (values: readonly string[]): Check => optional((v, path) => (typeof v === "string" && values.includes(v) ? ok(v) : fail("invalid_value", path)));

const fn = custom((v) => typeof v === "function");

/** zod's `util.isPlainObject`: what z.record accepts. */
function isPlainObject(o: unknown): o is Record<PropertyKey, unknown> {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
  const ctor = (o as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== "function") return true;
  const prot = (ctor as { prototype?: unknown }).prototype;
  if (typeof prot !== "object" || prot === null) return false;
  return Object.prototype.hasOwnProperty.call(prot, "isPrototypeOf");
}

/** z.record(key, value): own enumerable keys (symbols too), `__proto__` skipped, into a new object. */
const record = (key: Check, value: Check): Check =>
  optional((v, path) => {
    if (!isPlainObject(v)) return fail("invalid_type", path);
    const out: Record<PropertyKey, unknown> = {};
    for (const k of Reflect.ownKeys(v)) {
      if (k === "__proto__" || !Object.prototype.propertyIsEnumerable.call(v, k)) continue;
      const kr = key(k, [...path, k]);
      if (!kr.ok) return fail("invalid_key", [...path, k]);
      const vr = value(v[k], [...path, k]);
      if (!vr.ok) return vr;
      out[k] = vr.value;
    }
    return ok(out);
  });

const anyString: Check = (v, path) => (typeof v === "string" ? ok(v) : fail("invalid_type", path));
const nonEmptyString: Check = (v, path) => (typeof v !== "string" ? fail("invalid_type", path) : v.length < 1 ? fail("too_small", path) : ok(v));
const primitive: Check = (v, path) => (typeof v === "string" || typeof v === "boolean" || isNumber(v) ? ok(v) : fail("invalid_union", path));

/** z.array(custom): each element tested, into a new array. */
const list = (test: (v: unknown) => boolean): Check =>
  optional((v, path) => {
    if (!Array.isArray(v)) return fail("invalid_type", path);
    for (let i = 0; i < v.length; i++) if (!test(v[i])) return fail("custom", [...path, i]);
    return ok([...v]);
  });

/** z.url({ protocol: /^https?$/ }) and its refinement: trimmed, `http(s)://` required, parsed by URL, tabs and newlines removed, no credentials. */
const url: Check = optional((v, path) => {
  if (typeof v !== "string") return fail("invalid_type", path);
  const trimmed = v.trim();
  if (!/^https?:\/\//i.test(trimmed)) return fail("invalid_format", path);
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return fail("invalid_format", path);
  }
  const protocol = parsed.protocol.endsWith(":") ? parsed.protocol.slice(0, -1) : parsed.protocol;
  if (!/^https?$/.test(protocol)) return fail("invalid_format", path);
  const value = trimmed.replace(/[\t\n\r]/g, "");
  // fetch refuses URLs with credentials, so every export would fail.
  return /^[^/]*\/\/[^/?#]*@/.test(value) ? fail("custom", path) : ok(value);
});

const isStorage = (v: unknown): boolean => typeof v === "object" && v !== null && typeof (v as { run?: unknown }).run === "function" && typeof (v as { get?: unknown }).get === "function";
const isLogger = (v: unknown): boolean => typeof v === "object" && v !== null && typeof (v as { warn?: unknown }).warn === "function";

// The fields of config.ts's schema, in its order (the first failing field is the one reported).
const SHAPE: Record<string, Check> = {
  serviceName: text,
  serviceVersion: text,
  environment: text,
  enabled: bool,
  debug: bool,
  endpoint: url,
  headers: record(anyString, anyString),
  apiKey: text,
  compression: oneOf(["gzip", "none"]),
  protocol: oneOf(["http/json", "http/protobuf"]),
  exporters: list(isExporter),
  resourceAttributes: record(anyString, primitive),
  captureInput: bool,
  captureOutput: bool,
  maxAttributes: int(1, 100_000),
  maxAttributeValueLength: int(16, 10_000_000),
  maxEvents: int(0, 100_000),
  maxLinks: int(0, 100_000),
  maxQueueSize: int(1, 10_000_000),
  maxExportBatchSize: int(1, 100_000),
  scheduleDelayMs: int(0, 3_600_000),
  exportTimeoutMs: int(1, 3_600_000),
  flushOnExit: bool,
  contextStorage: custom(isStorage),
  logger: custom(isLogger),
  fetch: fn,
  sampleRate: num(0, 1),
  parentBased: bool,
  alwaysKeepErrors: bool,
  slowThresholdMs: num(0, Number.MAX_SAFE_INTEGER),
  costThresholdUsd: num(0, Number.MAX_SAFE_INTEGER),
  tokenThreshold: num(0, Number.MAX_SAFE_INTEGER),
  keepTrace: fn,
  maxTraceWaitMs: int(0, 3_600_000),
  maxSpansPerSecond: num(1, 100_000_000),
  redact: custom((v) => typeof v === "boolean" || (typeof v === "object" && v !== null && !Array.isArray(v))),
  processorOrder: oneOf(["safety", "efficiency"]),
  maxAttributeKeyLength: int(1, 100_000),
  stripMedia: bool,
  globalAttributes: record(nonEmptyString, (v, path) => (isAttributeValue(v) ? ok(v) : fail("custom", path))),
  processors: list((v) => typeof v === "function"),
  captureContent: bool,
  pricing: custom(isPricing),
  instrument: list(isInstrumentation),
};

/**
 * The options schema without zod, for the Workers entry: the `safeParse` and `shape` that
 * config.ts's `resolveConfigWith` uses, answering as the zod schema does.
 *
 * @example
 * resolveConfigWith(optionsCheck, { serviceName: "edge" });
 */
export const optionsCheck: OptionsSchema = {
  shape: SHAPE,
  safeParse(input: unknown) {
    const source = input as Record<string, unknown>;
    const data: Record<string, unknown> = {};
    for (const key in SHAPE) {
      const r = (SHAPE[key] as Check)(source[key], [key]);
      if (!r.ok) return { success: false, error: { issues: [r.issue] } };
      if (r.value !== undefined) data[key] = r.value;
    }
    const unknown = Object.keys(source).filter((k) => !Object.hasOwn(SHAPE, k));
    if (unknown.length > 0) return { success: false, error: { issues: [{ code: "unrecognized_keys", path: [], keys: unknown }] } };
    return { success: true, data };
  },
};
