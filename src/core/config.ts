import * as z from "zod/mini";
import type { ContextStorage } from "./context.js";
import { ConfigError } from "./errors.js";
import { redactUrl } from "./redact-url.js";
import type { SpanExporter } from "./export/types.js";
import type { LLMInstrumentation } from "./llm/fetch-providers.js";
import type { PricingOption } from "./llm/pricing.js";
import type { Logger } from "./logger.js";
import { type ResolvedRedact, resolveRedact } from "./pipeline/resolve-redact.js";
import type { FinishedTrace, RedactOptions, TraceProcessor } from "./pipeline/types.js";

/**
 * Everything `init()` accepts. Every field is optional; environment variables, then a
 * `spanwise.config.json` (Node, Bun, Deno), fill what is not given (explicit > environment > file > defaults).
 */
export interface SpanwiseOptions {
  /** `service.name` of every span. Env: SPANWISE_SERVICE_NAME, OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** `service.version`. Env: SPANWISE_SERVICE_VERSION. */
  serviceVersion?: string;
  /** `deployment.environment.name`, e.g. "production". Env: SPANWISE_ENVIRONMENT. */
  environment?: string;
  /** false turns every call into a no-op. Env: SPANWISE_ENABLED, OTEL_SDK_DISABLED. */
  enabled?: boolean;
  /** Logs the span lifecycle and export outcomes. Env: SPANWISE_DEBUG. */
  debug?: boolean;
  /** OTLP/HTTP traces URL; a bare origin gets `/v1/traces` appended. Env: SPANWISE_ENDPOINT, OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  endpoint?: string;
  /** Extra HTTP headers for the OTLP exporter. Env: OTEL_EXPORTER_OTLP_(TRACES_)HEADERS. */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <apiKey>`. Env: SPANWISE_API_KEY. */
  apiKey?: string;
  /** Request body compression for OTLP: "gzip" (default where CompressionStream exists) or "none". Env: OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION. */
  compression?: "gzip" | "none";
  /** OTLP/HTTP encoding: "http/json" (default) or "http/protobuf" (smaller bodies). Env: OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL. */
  protocol?: "http/json" | "http/protobuf";
  /** Exporters to use. Default: OTLP when an endpoint is set, otherwise the console. */
  exporters?: ReadonlyArray<SpanExporter | "console" | "otlp">;
  /** Extra resource attributes. Env: OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Default for `observe`: record arguments as `input.value`. Default true. */
  captureInput?: boolean;
  /** Default for `observe`: record the result as `output.value`. Default true. */
  captureOutput?: boolean;
  /** Attributes per span before the rest are dropped and counted. Default 128. */
  maxAttributes?: number;
  /** Longest string attribute value; longer ones are cut. Default 16384. */
  maxAttributeValueLength?: number;
  /** Events per span. Default 128. */
  maxEvents?: number;
  /** Links per span. Default 128. */
  maxLinks?: number;
  /** Ended spans held before the oldest are dropped. Default 2048. */
  maxQueueSize?: number;
  /** Spans per export request. Default 512. */
  maxExportBatchSize?: number;
  /** How long a long-lived server waits before exporting a partial batch. Default 1000 ms. */
  scheduleDelayMs?: number;
  /** Upper bound on one export, retries included. Default 10000 ms. */
  exportTimeoutMs?: number;
  /** Flush on beforeExit, SIGTERM and SIGINT (Node, Bun, Deno). Default true. */
  flushOnExit?: boolean;
  /** Replace the runtime's context storage. */
  contextStorage?: ContextStorage;
  /** Where spanwise writes its own warnings. Default: console. */
  logger?: Logger;
  /** The fetch the OTLP exporter uses. Default: globalThis.fetch at init. */
  fetch?: typeof fetch;
  /**
   * Share of traces the head sampler keeps, 0 to 1, decided from the trace id so every service
   * agrees. Default 1. Env: SPANWISE_SAMPLE_RATE, OTEL_TRACES_SAMPLER(_ARG).
   */
  sampleRate?: number;
  /** Follow the caller's sampled flag when a trace comes in with one. Default true. Env: OTEL_TRACES_SAMPLER (parentbased_*). */
  parentBased?: boolean;
  /** Keep every trace that has an error, whatever the head sampler said. Default true. */
  alwaysKeepErrors?: boolean;
  /** Keep every trace slower than this many milliseconds. */
  slowThresholdMs?: number;
  /** Keep every trace whose LLM cost exceeds this many US dollars. */
  costThresholdUsd?: number;
  /** Keep every trace whose LLM token total exceeds this. */
  tokenThreshold?: number;
  /** Keep a trace the head sampler dropped when this returns true. Runs at flush. */
  keepTrace?: (trace: FinishedTrace) => boolean;
  /**
   * Long-lived processes hold a trace's ended spans until its local root ends, for at most this
   * long (and at most maxQueueSize spans), so tail sampling sees whole traces. 0 turns holding
   * off. Default 30000 ms.
   */
  maxTraceWaitMs?: number;
  /** Admit at most this many spans per second, deciding at the start of each trace for the whole trace. Env: SPANWISE_MAX_SPANS_PER_SECOND. */
  maxSpansPerSecond?: number;
  /** Redact PII and secrets at flush: true for the built-in patterns in mask mode, or options. Default off. Env: SPANWISE_REDACT, SPANWISE_REDACT_SALT. */
  redact?: boolean | RedactOptions;
  /** "safety" (default): redact before the `keepTrace` predicate and `processors` see a trace; "efficiency": sample first, redact only what is kept. */
  processorOrder?: "safety" | "efficiency";
  /** Longest attribute key; longer keys are dropped and counted. Default 256. */
  maxAttributeKeyLength?: number;
  /** Replace base64 media (data URLs, inline image and audio data) with a placeholder naming type and size. Default true. */
  stripMedia?: boolean;
  /** Attributes for every span, below what the span and `withAttributes` set. Change at run time with `setGlobalAttribute`. */
  globalAttributes?: Record<string, unknown>;
  /** Functions over each finished trace, run at flush in order. See `TraceProcessor`. */
  processors?: readonly TraceProcessor[];
  /** Record prompts and completions on LLM spans (`gen_ai.input.messages`, `input.value`, ...). Default true. Env: SPANWISE_CAPTURE_CONTENT. */
  captureContent?: boolean;
  /** Model prices (US$ per million tokens) that add to or override the built-in table. */
  pricing?: PricingOption;
  /**
   * LLM APIs to trace at the fetch level, whatever SDK calls them: "openai", "anthropic",
   * "gemini", "groq", "together", "openrouter", "mistral", "deepseek", "xai", "fireworks", or
   * `{ baseURL, provider }` for another OpenAI-compatible host. Wraps `globalThis.fetch`.
   */
  instrument?: readonly LLMInstrumentation[];
}

/** Options after defaults, environment and validation. */
export interface ResolvedConfig {
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  enabled: boolean;
  debug: boolean;
  endpoint: string | undefined;
  headers: Record<string, string>;
  apiKey: string | undefined;
  compression: "gzip" | "none";
  protocol: "http/json" | "http/protobuf";
  exporters: ReadonlyArray<SpanExporter | "console" | "otlp"> | undefined;
  resourceAttributes: Record<string, string | number | boolean>;
  captureInput: boolean;
  captureOutput: boolean;
  maxAttributes: number;
  maxAttributeValueLength: number;
  maxEvents: number;
  maxLinks: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduleDelayMs: number;
  exportTimeoutMs: number;
  flushOnExit: boolean;
  contextStorage: ContextStorage | undefined;
  logger: Logger | undefined;
  fetch: typeof fetch | undefined;
  sampleRate: number;
  parentBased: boolean;
  alwaysKeepErrors: boolean;
  slowThresholdMs: number | undefined;
  costThresholdUsd: number | undefined;
  tokenThreshold: number | undefined;
  keepTrace: ((trace: FinishedTrace) => boolean) | undefined;
  maxTraceWaitMs: number;
  maxSpansPerSecond: number | undefined;
  redact: ResolvedRedact | undefined;
  processorOrder: "safety" | "efficiency";
  maxAttributeKeyLength: number;
  stripMedia: boolean;
  globalAttributes: Record<string, unknown>;
  processors: readonly TraceProcessor[];
  captureContent: boolean;
  pricing: PricingOption | undefined;
  instrument: readonly LLMInstrumentation[] | undefined;
}

const DEFAULTS = {
  serviceName: "unknown_service",
  enabled: true,
  debug: false,
  compression: "gzip",
  protocol: "http/json",
  captureInput: true,
  captureOutput: true,
  maxAttributes: 128,
  maxAttributeValueLength: 16384,
  maxEvents: 128,
  maxLinks: 128,
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduleDelayMs: 1000,
  exportTimeoutMs: 10000,
  flushOnExit: true,
  sampleRate: 1,
  parentBased: true,
  alwaysKeepErrors: true,
  maxTraceWaitMs: 30000,
  processorOrder: "safety",
  maxAttributeKeyLength: 256,
  stripMedia: true,
  captureContent: true,
} as const;

const int = (min: number, max: number) => z.optional(z.number().check(z.int(), z.gte(min), z.lte(max)));
const num = (min: number, max: number) => z.optional(z.number().check(z.gte(min), z.lte(max)));
const fn = <F>() => z.optional(z.custom<F>((v) => typeof v === "function"));
export const isAttributeValue = (v: unknown): boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || (Array.isArray(v) && v.every((i) => i === null || ["string", "number", "boolean"].includes(typeof i)));
export const isExporter = (v: unknown): boolean =>
  v === "console" || v === "otlp" || (typeof v === "object" && v !== null && typeof (v as SpanExporter).export === "function");

const isPrice = (v: unknown): boolean => {
  const p = v as Record<string, unknown> | null;
  const ok = (x: unknown, optional: boolean): boolean => (optional && x === undefined) || (typeof x === "number" && Number.isFinite(x) && x >= 0);
  return typeof p === "object" && p !== null && ok(p.input, false) && ok(p.output, false) && ok(p.cacheRead, true) && ok(p.cacheWrite, true);
};
export const isPricing = (v: unknown): boolean =>
  Array.isArray(v)
    ? v.every((e) => isPrice(e) && (typeof (e as { model: unknown }).model === "string" || (e as { model: unknown }).model instanceof RegExp))
    : typeof v === "object" && v !== null && Object.values(v).every(isPrice);

const LLM_APIS = ["openai", "anthropic", "gemini", "groq", "together", "openrouter", "mistral", "deepseek", "xai", "fireworks"];
export const isInstrumentation = (v: unknown): boolean => {
  if (typeof v === "string") return LLM_APIS.includes(v);
  const o = v as { baseURL?: unknown; provider?: unknown; api?: unknown } | null;
  return typeof o === "object" && o !== null && typeof o.baseURL === "string" && /^https?:\/\//.test(o.baseURL) && typeof o.provider === "string" && o.provider !== "" && (o.api === undefined || o.api === "openai" || o.api === "anthropic" || o.api === "gemini");
};

/** One problem in a set of options, as the zod schema reports it: its code and path. */
export interface OptionsIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly keys?: string[];
}

/** What resolveConfigWith needs of an options schema: zod's `safeParse` and `shape`. */
export interface OptionsSchema {
  readonly shape: Readonly<Record<string, unknown>>;
  safeParse(input: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly OptionsIssue[] } };
}

let zodOptions: OptionsSchema | undefined;

/**
 * The zod schema of every option, built on first use: building it costs milliseconds, and a
 * bundle that never calls resolveConfig (the Workers entry, see config-check.ts) never holds it.
 */
function optionsSchema(): OptionsSchema {
  if (zodOptions !== undefined) return zodOptions;
  const text = z.optional(z.string().check(z.minLength(1), z.maxLength(1024)));
  const bool = z.optional(z.boolean());
  zodOptions = z.strictObject({
  serviceName: text,
  serviceVersion: text,
  environment: text,
  enabled: bool,
  debug: bool,
  // fetch refuses URLs with credentials, so every export would fail.
  endpoint: z.optional(z.url({ protocol: /^https?$/ }).check(z.refine((v) => !/^[^/]*\/\/[^/?#]*@/.test(v)))),
  headers: z.optional(z.record(z.string(), z.string())),
  apiKey: text,
  compression: z.optional(z.enum(["gzip", "none"])),
  protocol: z.optional(z.enum(["http/json", "http/protobuf"])),
  exporters: z.optional(z.array(z.custom<SpanExporter | "console" | "otlp">(isExporter))),
  resourceAttributes: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
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
  contextStorage: z.optional(z.custom<ContextStorage>((v) => typeof v === "object" && v !== null && typeof (v as ContextStorage).run === "function" && typeof (v as ContextStorage).get === "function")),
  logger: z.optional(z.custom<Logger>((v) => typeof v === "object" && v !== null && typeof (v as Logger).warn === "function")),
  fetch: fn<typeof fetch>(),
  sampleRate: num(0, 1),
  parentBased: bool,
  alwaysKeepErrors: bool,
  slowThresholdMs: num(0, Number.MAX_SAFE_INTEGER),
  costThresholdUsd: num(0, Number.MAX_SAFE_INTEGER),
  tokenThreshold: num(0, Number.MAX_SAFE_INTEGER),
  keepTrace: fn<(trace: FinishedTrace) => boolean>(),
  maxTraceWaitMs: int(0, 3_600_000),
  maxSpansPerSecond: num(1, 100_000_000),
  // Checked field by field in resolveRedact, so an error can name redact.mode, redact.salt, ...
  redact: z.optional(z.custom<boolean | RedactOptions>((v) => typeof v === "boolean" || (typeof v === "object" && v !== null && !Array.isArray(v)))),
  processorOrder: z.optional(z.enum(["safety", "efficiency"])),
  maxAttributeKeyLength: int(1, 100_000),
  stripMedia: bool,
  globalAttributes: z.optional(z.record(z.string().check(z.minLength(1)), z.custom<unknown>(isAttributeValue))),
  processors: z.optional(z.array(z.custom<TraceProcessor>((v) => typeof v === "function"))),
  captureContent: bool,
  pricing: z.optional(z.custom<PricingOption>(isPricing)),
  instrument: z.optional(z.array(z.custom<LLMInstrumentation>(isInstrumentation))),
}) as unknown as OptionsSchema;
  return zodOptions;
}

const EXPECTED: Record<string, string> = {
  enabled: "true or false",
  debug: "true or false",
  endpoint: "an http(s) URL without credentials; put them in headers or apiKey (e.g. http://localhost:4318/v1/traces)",
  headers: "an object of string header values",
  compression: '"gzip" or "none"',
  protocol: '"http/json" or "http/protobuf" (grpc is not supported)',
  exporters: 'an array of exporters or "console" / "otlp"',
  resourceAttributes: "an object of string, number or boolean values",
  maxAttributes: "an integer from 1 to 100000",
  maxAttributeValueLength: "an integer from 16 to 10000000",
  maxEvents: "an integer from 0 to 100000",
  maxLinks: "an integer from 0 to 100000",
  maxQueueSize: "an integer from 1 to 10000000",
  maxExportBatchSize: "an integer from 1 to 100000",
  scheduleDelayMs: "an integer number of milliseconds from 0 to 3600000",
  exportTimeoutMs: "an integer number of milliseconds from 1 to 3600000",
  contextStorage: "an object with get() and run()",
  logger: "an object with warn(), and optionally debug() and error()",
  fetch: "a fetch function",
  sampleRate: "a number from 0 (keep no trace) to 1 (keep every trace)",
  parentBased: "true or false",
  alwaysKeepErrors: "true or false",
  slowThresholdMs: "a number of milliseconds, 0 or more",
  costThresholdUsd: "a number of US dollars, 0 or more",
  tokenThreshold: "a number of tokens, 0 or more",
  keepTrace: "a function (trace) => boolean",
  maxTraceWaitMs: "an integer number of milliseconds from 0 (do not hold traces) to 3600000",
  maxSpansPerSecond: "a number from 1 to 100000000",
  redact: "true, false or an object { mode, patterns, builtinPatterns, keys, salt }",
  processorOrder: '"safety" or "efficiency"',
  maxAttributeKeyLength: "an integer from 1 to 100000",
  stripMedia: "true or false",
  globalAttributes: "an object of string, number, boolean or array values with non-empty keys",
  processors: "an array of functions (trace) => void | boolean | Promise<void | boolean>",
  captureContent: "true or false",
  instrument: `an array of ${LLM_APIS.map((n) => `"${n}"`).join(", ")} or { baseURL: "https://...", provider: "name", api?: "openai" | "anthropic" | "gemini" }`,
  pricing: 'an object { "model-name": { input, output, cacheRead?, cacheWrite? } } in US$ per million tokens, or a list of { model: string | RegExp, input, output }',
  // Environment variables whose text means something other than the option's type.
  OTEL_TRACES_SAMPLER: "one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
  OTEL_TRACES_SAMPLER_ARG: "a number from 0 to 1",
  SPANWISE_REDACT: "true, false, mask, remove or hash",
};

/** A configuration file as a runtime read it: its path (for errors and `doctor`) and its options. */
export interface ConfigFile {
  readonly path: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Validates options and merges them over environment values, a config file and defaults
 * (explicit > environment > file > defaults). Throws a ConfigError naming the field, the value
 * and where it came from.
 */
export function resolveConfig(explicit: unknown, env: SpanwiseOptions = {}, envNames: Readonly<Record<string, string>> = {}, file?: ConfigFile): ResolvedConfig {
  return resolveConfigWith(optionsSchema(), explicit, env, envNames, file);
}

/**
 * `resolveConfig` with the schema to validate by: the Workers entry passes its zod-free twin.
 *
 * @example
 * const config = resolveConfigWith(optionsCheck, { serviceName: "edge" });
 */
export function resolveConfigWith(schema: OptionsSchema, explicit: unknown, env: SpanwiseOptions = {}, envNames: Readonly<Record<string, string>> = {}, file?: ConfigFile): ResolvedConfig {
  if (explicit !== undefined && (typeof explicit !== "object" || explicit === null || Array.isArray(explicit))) {
    throw new ConfigError("options", explicit, "an options object", "init()");
  }
  const given = validate(schema, stripUndefined(explicit as Record<string, unknown> | undefined), "init()");
  // An environment value that an explicit option overrides is never used, so never an error.
  const fromEnv: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) if (!(key in given) || key === "headers" || key === "resourceAttributes") fromEnv[key] = value;
  validate(schema, fromEnv, "environment", envNames);
  // A file is checked whole: it is written once and read by `spanwise doctor`, so a typo in it
  // is worth reporting even where a variable overrides the field.
  const fromFile = file ? validate(schema, { ...file.options }, file.path) : {};
  const merged: SpanwiseOptions = { ...fromFile, ...(fromEnv as SpanwiseOptions), ...given };
  const sourceOf = (key: keyof SpanwiseOptions): string => (key in given ? "init()" : key in fromEnv ? "environment" : (file?.path ?? "init()"));
  const queue = merged.maxQueueSize ?? DEFAULTS.maxQueueSize;
  if (merged.maxExportBatchSize !== undefined && merged.maxExportBatchSize > queue) {
    throw new ConfigError("maxExportBatchSize", merged.maxExportBatchSize, `at most maxQueueSize (${queue})`, sourceOf("maxExportBatchSize"));
  }
  const redactSource = sourceOf("redact");
  const redact = resolveRedact(merged.redact, redactSource, redactSource === "environment" ? (envNames.redact ?? "redact") : "redact");
  const fileEndpoint = fromFile.endpoint !== undefined ? normaliseEndpoint(fromFile.endpoint) : undefined;
  return {
    ...DEFAULTS,
    serviceVersion: undefined,
    environment: undefined,
    apiKey: undefined,
    exporters: undefined,
    contextStorage: undefined,
    logger: undefined,
    fetch: undefined,
    slowThresholdMs: undefined,
    costThresholdUsd: undefined,
    tokenThreshold: undefined,
    keepTrace: undefined,
    maxSpansPerSecond: undefined,
    globalAttributes: {},
    processors: [],
    pricing: undefined,
    instrument: undefined,
    ...stripUndefined(merged as Record<string, unknown>),
    redact,
    // The environment's endpoint is final already (per-signal variables are used as given).
    endpoint: given.endpoint !== undefined ? normaliseEndpoint(given.endpoint) : (fromEnv.endpoint as string | undefined) ?? fileEndpoint,
    headers: { ...fromFile.headers, ...env.headers, ...given.headers },
    resourceAttributes: { ...fromFile.resourceAttributes, ...env.resourceAttributes, ...given.resourceAttributes },
  } as ResolvedConfig;
}

function validate(schema: OptionsSchema, input: Record<string, unknown> | undefined, source: string, names: Readonly<Record<string, string>> = {}): SpanwiseOptions {
  if (input === undefined) return {};
  const result = schema.safeParse(input);
  if (result.success) return result.data as SpanwiseOptions;
  const issue = result.error.issues[0];
  if (!issue) throw new ConfigError("options", input, "valid options", source);
  if (issue.code === "unrecognized_keys") {
    const key = (issue as { keys: string[] }).keys[0] ?? "?";
    throw new ConfigError(key, input[key], `no such option (known: ${Object.keys(schema.shape).join(", ")})`, source);
  }
  const top = String(issue.path[0] ?? "options");
  const field = names[top] ?? issue.path.map(String).join(".");
  const expected = EXPECTED[names[top] ?? ""] ?? EXPECTED[top] ?? (top in DEFAULTS ? `a ${typeof DEFAULTS[top as keyof typeof DEFAULTS]}` : "a non-empty string");
  const got = pick(input, issue.path);
  // An endpoint's credentials and query values must not reach logs through the error.
  throw new ConfigError(field || top, top === "endpoint" && typeof got === "string" && URL.canParse(got) ? redactUrl(new URL(got), false) : got, expected, source, { cause: result.error });
}

function pick(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function stripUndefined(input: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!input) return input;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

/** `http://host:4318` and `http://host:4318/` become `http://host:4318/v1/traces`; other paths are kept. */
export function normaliseEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/traces";
  return url.toString();
}
