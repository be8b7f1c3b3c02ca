import * as z from "zod/mini";
import type { ContextStorage } from "./context.js";
import { ConfigError } from "./errors.js";
import type { SpanExporter } from "./export/types.js";
import type { Logger } from "./logger.js";

/**
 * Everything `init()` accepts. Every field is optional; environment variables fill what is
 * not given (explicit > environment > defaults).
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
  /** How long a long-lived process waits before exporting a partial batch. Default 1000 ms. */
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
}

const DEFAULTS = {
  serviceName: "unknown_service",
  enabled: true,
  debug: false,
  compression: "gzip",
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
} as const;

const int = (min: number, max: number) => z.optional(z.number().check(z.int(), z.gte(min), z.lte(max)));
const text = z.optional(z.string().check(z.minLength(1), z.maxLength(1024)));
const bool = z.optional(z.boolean());
const isExporter = (v: unknown): boolean =>
  v === "console" || v === "otlp" || (typeof v === "object" && v !== null && typeof (v as SpanExporter).export === "function");

const schema = z.strictObject({
  serviceName: text,
  serviceVersion: text,
  environment: text,
  enabled: bool,
  debug: bool,
  endpoint: z.optional(z.url({ protocol: /^https?$/ })),
  headers: z.optional(z.record(z.string(), z.string())),
  apiKey: text,
  compression: z.optional(z.enum(["gzip", "none"])),
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
  fetch: z.optional(z.custom<typeof fetch>((v) => typeof v === "function")),
});

const EXPECTED: Record<string, string> = {
  enabled: "true or false",
  debug: "true or false",
  endpoint: "an http(s) URL such as http://localhost:4318/v1/traces",
  headers: "an object of string header values",
  compression: '"gzip" or "none"',
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
};

/**
 * Validates options and merges them over environment values and defaults.
 * Throws a ConfigError naming the field, the value and where it came from.
 */
export function resolveConfig(explicit: unknown, env: SpanwiseOptions = {}, envNames: Readonly<Record<string, string>> = {}): ResolvedConfig {
  if (explicit !== undefined && (typeof explicit !== "object" || explicit === null || Array.isArray(explicit))) {
    throw new ConfigError("options", explicit, "an options object", "init()");
  }
  const given = validate(stripUndefined(explicit as Record<string, unknown> | undefined), "init()");
  // An environment value that an explicit option overrides is never used, so never an error.
  const fromEnv: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) if (!(key in given) || key === "headers" || key === "resourceAttributes") fromEnv[key] = value;
  validate(fromEnv, "environment", envNames);
  const merged: SpanwiseOptions = { ...(fromEnv as SpanwiseOptions), ...given };
  const queue = merged.maxQueueSize ?? DEFAULTS.maxQueueSize;
  if (merged.maxExportBatchSize !== undefined && merged.maxExportBatchSize > queue) {
    throw new ConfigError("maxExportBatchSize", merged.maxExportBatchSize, `at most maxQueueSize (${queue})`);
  }
  return {
    ...DEFAULTS,
    serviceVersion: undefined,
    environment: undefined,
    apiKey: undefined,
    exporters: undefined,
    contextStorage: undefined,
    logger: undefined,
    fetch: undefined,
    ...stripUndefined(merged as Record<string, unknown>),
    // The environment's endpoint is final already (per-signal variables are used as given).
    endpoint: given.endpoint !== undefined ? normaliseEndpoint(given.endpoint) : merged.endpoint,
    headers: { ...env.headers, ...given.headers },
    resourceAttributes: { ...env.resourceAttributes, ...given.resourceAttributes },
  } as ResolvedConfig;
}

function validate(input: Record<string, unknown> | undefined, source: string, names: Readonly<Record<string, string>> = {}): SpanwiseOptions {
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
  const expected = EXPECTED[top] ?? (top in DEFAULTS ? `a ${typeof DEFAULTS[top as keyof typeof DEFAULTS]}` : "a non-empty string");
  throw new ConfigError(field || top, pick(input, issue.path), expected, source, { cause: result.error });
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
