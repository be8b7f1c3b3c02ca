import type { OptionsIssue, OptionsSchema } from "./config.js";
import { API_KEY_MAX_LENGTH, HAS_CREDENTIALS, HEADER_NAME, TEXT_MAX_LENGTH } from "./config-expected.js";
import { isHeaderValue } from "./is-header-value.js";
import { isAttributeValue, isExporter, isInstrumentation, pricingProblem } from "./option-guards.js";

// Why this file exists: the options of init() are validated by one zod schema (config.ts), the
// single source of truth on Node, Bun, Deno, Lambda and in the CLI. On Cloudflare Workers every
// byte of the bundle counts (the budget is 10 KB gzip for instrument() + core + OTLP) and zod/mini
// alone is about 8 KB of it, plus milliseconds of schema construction at every cold start. So the
// Workers entry validates with this hand-written twin instead. It returns what the zod schema's
// safeParse returns (the same data, and as first issue the same code and path), and
// config-check.test.ts feeds both the same tables and random inputs and requires the same
// accept/reject and the same field named in the error. Change the schema, change this too: that
// test fails until they agree.

/** Returns the value to keep (records and lists copied, URLs cleaned) or throws an Issue. */
type Check = (value: unknown, path: PropertyKey[]) => unknown;

class Issue {
  constructor(
    readonly code: string,
    readonly path: PropertyKey[],
  ) {}
}

const fail = (code: string, path: PropertyKey[]): never => {
  throw new Issue(code, path);
};

const is =
  (test: (v: unknown) => boolean, code = "custom"): Check =>
  (v, path) =>
    test(v) ? v : fail(code, path);

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isFunction = (v: unknown): boolean => typeof v === "function";
const isString = (v: unknown): v is string => typeof v === "string";

const within = (n: number, min: number, max: number, path: PropertyKey[]): void => {
  if (n < min) fail("too_small", path);
  if (n > max) fail("too_big", path);
};

/** zod's `util.isPlainObject`: what z.record accepts. */
function isPlainObject(o: unknown): o is Record<PropertyKey, unknown> {
  if (!isObject(o) || Array.isArray(o)) return false;
  const ctor = o.constructor;
  if (typeof ctor !== "function") return true;
  const prot = (ctor as { prototype?: unknown }).prototype;
  return isObject(prot) && Object.prototype.hasOwnProperty.call(prot, "isPrototypeOf");
}

/** z.record(key, value): own enumerable keys (symbols too), `__proto__` skipped, into a new object. */
const record =
  (key: (k: PropertyKey) => boolean, value: Check): Check =>
  (v, path) => {
    if (!isPlainObject(v)) return fail("invalid_type", path);
    const out: Record<PropertyKey, unknown> = {};
    for (const k of Reflect.ownKeys(v)) {
      if (k === "__proto__" || !Object.prototype.propertyIsEnumerable.call(v, k)) continue;
      if (!key(k)) fail("invalid_key", [...path, k]);
      out[k] = value(v[k], [...path, k]);
    }
    return out;
  };

/** z.array(custom): each element tested, into a new array. */
const list =
  (test: (v: unknown) => boolean): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return fail("invalid_type", path);
    for (let i = 0; i < v.length; i++) if (!test(v[i])) fail("custom", [...path, i]);
    return [...v];
  };

/** z.url({ protocol: /^https?$/ }) and its refinement: trimmed, `http(s)://` required, parsed by URL, tabs and newlines removed, no credentials. */
const url: Check = (v, path) => {
  if (!isString(v)) return fail("invalid_type", path);
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
  return HAS_CREDENTIALS.test(value) ? fail("custom", path) : value;
};

const bool = is((v) => typeof v === "boolean", "invalid_type");

const int = (min: number, max: number): Check => (v, path) => (Number.isSafeInteger(v) ? (within(v as number, min, max, path), v) : fail("invalid_type", path));
const num = (min: number, max: number): Check => (v, path) => (isNumber(v) ? (within(v, min, max, path), v) : fail("invalid_type", path));
const text = (max: number): Check => (v, path) => (isString(v) ? (within(v.length, 1, max, path), v) : fail("invalid_type", path));
/** z.string().check(z.refine(isHeaderValue)): a value fetch takes as a header. */
const header =
  (leading?: boolean): Check =>
  (v, path) =>
    isString(v) ? (isHeaderValue(v, leading) ? v : fail("custom", path)) : fail("invalid_type", path);
const oneOf = (...values: string[]): Check => is((v) => isString(v) && values.includes(v), "invalid_value");
const fn = is(isFunction);
const MAX = Number.MAX_SAFE_INTEGER;

// The fields of config-schema.ts's schema, in its order (the first failing field is the one reported).
const SHAPE: Record<string, Check> = {
  serviceName: text(TEXT_MAX_LENGTH),
  serviceVersion: text(TEXT_MAX_LENGTH),
  environment: text(TEXT_MAX_LENGTH),
  enabled: bool,
  debug: bool,
  endpoint: url,
  headers: record((k) => isString(k) && HEADER_NAME.test(k), header()),
  apiKey: (v, path) => header(false)(text(API_KEY_MAX_LENGTH)(v, path), path),
  compression: oneOf("gzip", "none"),
  protocol: oneOf("http/json", "http/protobuf"),
  exporters: list(isExporter),
  resourceAttributes: record(isString, is((v) => isString(v) || typeof v === "boolean" || isNumber(v), "invalid_union")),
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
  contextStorage: is((v) => isObject(v) && isFunction(v.run) && isFunction(v.get)),
  logger: is((v) => isObject(v) && isFunction(v.warn)),
  fetch: fn,
  sampleRate: num(0, 1),
  parentBased: bool,
  alwaysKeepErrors: bool,
  slowThresholdMs: num(0, MAX),
  costThresholdUsd: num(0, MAX),
  tokenThreshold: num(0, MAX),
  keepTrace: fn,
  maxTraceWaitMs: int(0, 3_600_000),
  maxSpansPerSecond: num(1, 100_000_000),
  redact: is((v) => typeof v === "boolean" || (isObject(v) && !Array.isArray(v))),
  processorOrder: oneOf("safety", "efficiency"),
  maxAttributeKeyLength: int(1, 100_000),
  stripMedia: bool,
  globalAttributes: record((k) => isString(k) && k !== "", is(isAttributeValue)),
  processors: list(isFunction),
  captureContent: bool,
  pricing: (v, path) => {
    const at = pricingProblem(v);
    return at === undefined ? v : fail("custom", [...path, ...at]);
  },
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
    try {
      for (const key in SHAPE) {
        const value = source[key];
        if (value !== undefined) data[key] = (SHAPE[key] as Check)(value, [key]);
      }
    } catch (err) {
      if (!(err instanceof Issue)) throw err;
      const issue: OptionsIssue = { code: err.code, path: err.path };
      return { success: false, error: { issues: [issue] } };
    }
    const unknown = Object.keys(source).filter((k) => !Object.hasOwn(SHAPE, k));
    if (unknown.length > 0) return { success: false, error: { issues: [{ code: "unrecognized_keys", path: [], keys: unknown }] } };
    return { success: true, data };
  },
};
