import { ConfigError } from "./errors.js";
import { unknownOption } from "./unknown-option.js";
import { API_KEY_MAX_LENGTH, ENDPOINT_WITHOUT_CREDENTIALS, EXPECTED, HAS_CREDENTIALS, TEXT_MAX_LENGTH } from "./config-expected.js";
import { type IgnoredVariable, ignoredVariable } from "./ignored-variable.js";
import { G } from "./global.js";
import { maskSecret } from "./mask-secret.js";
import { needsImport } from "./needs-import.js";
import { expectedPrice } from "./option-guards.js";
import { redactUrl } from "./redact-url.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";

const DEFAULTS = {
  serviceName: "unknown_service",
  enabled: true,
  debug: false,
  compression: "gzip",
  protocol: "http/protobuf",
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

/** The options a resource attribute stands in for when no layer sets them, and the attribute. */
export const RESOURCE_OPTIONS = [
  ["serviceName", "service.name"],
  ["serviceVersion", "service.version"],
  ["environment", "deployment.environment.name"],
] as const;

/**
 * The first layer's `field`, or its resource attribute `key` (a non-empty string), in the order
 * given; with the layer it came from, and whether as the attribute, for `spanwise doctor`.
 */
export function layered(field: (typeof RESOURCE_OPTIONS)[number][0], key: string, layers: readonly SpanwiseOptions[], at?: (index: number, attribute: boolean) => void): string | undefined {
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as SpanwiseOptions;
    const attribute = layer.resourceAttributes?.[key];
    const value = layer[field] ?? (typeof attribute === "string" && attribute !== "" ? attribute : undefined);
    if (value !== undefined) {
      at?.(i, layer[field] === undefined);
      return value;
    }
  }
  return undefined;
}

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

/** A configuration file as a runtime read it: its path (for errors and `doctor`) and its options. */
export interface ConfigFile {
  readonly path: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * `resolveConfig` with the schema to validate by: the Workers entry passes its zod-free twin.
 * An invalid OTEL_* variable is ignored, with a warning added to `ignored`; anything else
 * invalid throws a ConfigError.
 *
 * @example
 * const config = resolveConfigWith(optionsCheck, { serviceName: "edge" });
 */
export function resolveConfigWith(
  schema: OptionsSchema,
  explicit: unknown,
  env: SpanwiseOptions = {},
  envNames: Readonly<Record<string, string>> = {},
  file?: ConfigFile,
  ignored: IgnoredVariable[] = [],
  caller = "init()",
  callerOptions: readonly string[] = [],
): ResolvedConfig {
  if (explicit !== undefined && (typeof explicit !== "object" || explicit === null || Array.isArray(explicit))) {
    throw new ConfigError("options", explicit, "an options object", caller);
  }
  const given = validate(schema, stripUndefined(explicit as Record<string, unknown> | undefined), caller, callerOptions);
  // An environment value that an explicit option overrides is never used, so never an error.
  const fromEnv: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(env)) if (!(key in given) || key === "headers" || key === "resourceAttributes") fromEnv[key] = value;
  // OpenTelemetry SDK environment variables spec, "Parsing": an invalid OTEL_* value is warned
  // about and ignored (the default applies), never fatal. SPANWISE_* variables stay strict.
  // Without any (the usual Worker's env) there is nothing to check: `{}` is valid.
  while (Object.keys(fromEnv).length > 0) {
    const err = firstError(schema, fromEnv, "environment", envNames);
    if (err === undefined) break;
    const variable = envNames[err.key] ?? "";
    if (!variable.startsWith("OTEL_")) throw err.error;
    ignored.push(ignoredVariable(err.error));
    for (const key of Object.keys(fromEnv)) if (key === err.key || envNames[key] === variable) delete fromEnv[key];
  }
  // A file is checked whole: it is written once and read by `spanwise doctor`, so a typo in it
  // is worth reporting even where a variable overrides the field.
  const fromFile = file ? validate(schema, { ...file.options }, file.path) : {};
  const merged: SpanwiseOptions = { ...fromFile, ...(fromEnv as SpanwiseOptions), ...given };
  const sourceOf = (key: keyof SpanwiseOptions): string => (key in given ? caller : key in fromEnv ? "environment" : (file?.path ?? caller));
  // The option, or the variable it came from, for an error about it.
  const nameOf = (key: keyof SpanwiseOptions): string => (sourceOf(key) === "environment" ? (envNames[key] ?? key) : key);
  const queue = merged.maxQueueSize ?? DEFAULTS.maxQueueSize;
  if (merged.maxExportBatchSize !== undefined && merged.maxExportBatchSize > queue) {
    throw new ConfigError("maxExportBatchSize", merged.maxExportBatchSize, `at most maxQueueSize (${queue})`, sourceOf("maxExportBatchSize"));
  }
  const redactSource = sourceOf("redact");
  const redaction = G.redaction;
  // Asked for redaction without its code loaded: an error, never spans sent unredacted. The
  // error shows the option without its salt, which must not reach logs.
  if (redaction === undefined && merged.redact !== undefined && merged.redact !== false) {
    const shown = typeof merged.redact === "object" && merged.redact !== null && merged.redact.salt !== undefined ? { ...merged.redact, salt: "(hidden)" } : merged.redact;
    throw new ConfigError(nameOf("redact"), shown, needsImport("redaction", "redact"), redactSource);
  }
  const redact = redaction?.resolve(merged.redact, redactSource, nameOf("redact"));
  const fileEndpoint = fromFile.endpoint !== undefined ? normaliseEndpoint(fromFile.endpoint) : undefined;
  const endpoint = given.endpoint !== undefined ? normaliseEndpoint(given.endpoint) : (fromEnv.endpoint as string | undefined) ?? fileEndpoint;
  // JSON for an OTLP endpoint without its encoder loaded: refused here, naming where it was chosen.
  if (merged.protocol === "http/json" && endpoint !== undefined && G.otlpJson === undefined) {
    const error = new ConfigError(nameOf("protocol"), merged.protocol, needsImport("the OTLP/JSON encoder", "otlp-json"), sourceOf("protocol"));
    // A standard variable another layer may have set: exported as protobuf, with a warning.
    if (!nameOf("protocol").startsWith("OTEL_")) throw error;
    ignored.push(ignoredVariable(error));
    merged.protocol = "http/protobuf";
  }
  const resourceAttributes = { ...fromFile.resourceAttributes, ...env.resourceAttributes, ...given.resourceAttributes };
  // Layer by layer (init() > environment > file), the option, else its resource attribute: so
  // OTEL_RESOURCE_ATTRIBUTES' service.name overrides a file's serviceName, as a variable does.
  // Set in no layer: serviceName from the runtime (a Lambda function's name), then DEFAULTS.
  for (const [field, key] of RESOURCE_OPTIONS) merged[field] = layered(field, key, [given, fromEnv as SpanwiseOptions, fromFile]);
  merged.serviceName ??= G.runtime?.serviceName?.();
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
    endpoint,
    headers: { ...fromFile.headers, ...env.headers, ...given.headers },
    resourceAttributes,
  } as ResolvedConfig;
}

function validate(schema: OptionsSchema, input: Record<string, unknown> | undefined, source: string, callerOptions?: readonly string[]): SpanwiseOptions {
  if (input === undefined) return {};
  const result = schema.safeParse(input);
  if (result.success) return result.data as SpanwiseOptions;
  throw (firstError(schema, input, source, {}, callerOptions) as { error: ConfigError }).error;
}

/**
 * The ConfigError for the first problem in `input` and the option it is about, or undefined when
 * it is valid. `callerOptions` are the wrapper's own options, named among the known ones.
 */
function firstError(schema: OptionsSchema, input: Record<string, unknown>, source: string, names: Readonly<Record<string, string>> = {}, callerOptions: readonly string[] = []): { key: string; error: ConfigError } | undefined {
  const result = schema.safeParse(input);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (!issue) return { key: "options", error: new ConfigError("options", input, "valid options", source) };
  if (issue.code === "unrecognized_keys") {
    const key = (issue as { keys: string[] }).keys[0] ?? "?";
    return { key, error: unknownOption(key, input[key], [...callerOptions, ...Object.keys(schema.shape)], source) };
  }
  const top = String(issue.path[0] ?? "options");
  const field = names[top] ?? issue.path.map(String).join(".");
  const got = pick(input, issue.path);
  const expected =
    issue.code === "too_big" && typeof got === "string"
      ? `a string of at most ${top === "apiKey" ? API_KEY_MAX_LENGTH : TEXT_MAX_LENGTH} characters`
      : top === "endpoint" && typeof got === "string" && HAS_CREDENTIALS.test(got)
        ? ENDPOINT_WITHOUT_CREDENTIALS
        : ((top === "pricing" ? expectedPrice(issue.path) : undefined) ?? EXPECTED[names[top] ?? ""] ?? EXPECTED[top] ?? (top in DEFAULTS ? `a ${typeof DEFAULTS[top as keyof typeof DEFAULTS]}` : "a non-empty string"));
  return { key: top, error: new ConfigError(field || top, shown(top, got), expected, source, { cause: result.error }) };
}

/** A rejected value as an error may show it: an endpoint's credentials and query values, an API key and header values never reach logs. */
function shown(option: string, value: unknown): unknown {
  if (option === "endpoint") return typeof value === "string" && URL.canParse(value) ? redactUrl(new URL(value), false) : value;
  if (option !== "apiKey" && option !== "headers") return value;
  if (typeof value === "string") return maskSecret(value);
  return typeof value === "object" && value !== null ? `(hidden ${Array.isArray(value) ? "array" : "object"})` : value;
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

/**
 * An endpoint checked as the `endpoint` option is (an http(s) URL without credentials), a bare
 * origin given /v1/traces. Throws the ConfigError `init()` would, naming `endpoint` and `source`.
 *
 * @param schema - the options schema to check it by
 * @param endpoint - the URL as given
 * @param source - where it was given, for the error
 * @returns the URL to send to
 * @example
 * checkEndpoint(optionsCheck, "http://collector:4318", "createOtlpHttpExporter()") // "http://collector:4318/v1/traces"
 */
export function checkEndpoint(schema: OptionsSchema, endpoint: unknown, source: string): string {
  const checked = validate(schema, { endpoint }, source).endpoint;
  if (checked === undefined) throw new ConfigError("endpoint", endpoint, EXPECTED.endpoint as string, source);
  return normaliseEndpoint(checked);
}

/** `http://host:4318` and `http://host:4318/` become `http://host:4318/v1/traces`; other paths are kept. */
export function normaliseEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/traces";
  return url.toString();
}
