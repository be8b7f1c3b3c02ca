import type { SpanwiseOptions } from "./spanwise-options.js";
import { ConfigError } from "./errors.js";
import { EXPECTED } from "./config-expected.js";
import { type IgnoredVariable, ignoredVariable } from "./ignored-variable.js";
import { maskSecret } from "./mask-secret.js";

export type { IgnoredVariable } from "./ignored-variable.js";

/** Environment as a plain record of variables, as each runtime provides them (a Worker's `env`, for one). */
export type EnvRecord = Readonly<Record<string, unknown>>;

/** What an object or array binding reads as: a text no parser takes (no URL, number, name or key=value list). */
const NOT_TEXT = "\0";
const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/**
 * Reads SPANWISE_* and the standard OTEL_* variables into options. Unset or empty variables are
 * skipped; a number or boolean (a Worker's JSON binding) is read as its text; a value that does
 * not parse, or that is of another type, is left for validation (`resolveConfig`) to report,
 * naming the variable, except a malformed key=value list (OTEL_RESOURCE_ATTRIBUTES,
 * OTEL_EXPORTER_OTLP_HEADERS), which is ignored with a warning added to `ignored`.
 *
 * @param env - the variables
 * @param sources - filled with the variable each option came from
 * @param ignored - receives one warning per variable ignored as malformed
 * @example
 * optionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).endpoint // "http://collector:4318/v1/traces"
 */
export function optionsFromEnv(env: EnvRecord, sources: Record<string, string> = {}, ignored: IgnoredVariable[] = []): SpanwiseOptions {
  // A Worker's non-string [vars] arrive as JSON values: a number or boolean is read as its text,
  // an object or array as NOT_TEXT, replaced at the end by the value itself.
  const get = (name: string): string | undefined => {
    const v = env[name];
    const text = v == null ? "" : typeof v === "object" ? NOT_TEXT : String(v).trim();
    return text !== "" ? text : undefined;
  };
  const out: Record<string, unknown> = {};
  // Reads the first set variable of `names` into `field` (through `parse`), remembering which
  // variable it came from, so an error can name it. Returns its text. A per-signal variable
  // that is not `valid` is ignored for a general one set behind it (as if it were unset).
  const read = (field: string, names: string, parse: (v: string) => unknown = (v) => v, valid?: (v: string) => boolean): string | undefined => {
    const list = names.split(" ");
    for (let i = 0; i < list.length; i++) {
      const name = list[i] as string;
      const v = get(name);
      if (v !== undefined && valid !== undefined && !valid(v) && list.slice(i + 1).some((next) => get(next) !== undefined)) {
        ignored.push(ignoredVariable(new ConfigError(name, env[name], EXPECTED[field] ?? "a valid value", "environment")));
        continue;
      }
      if (v !== undefined) {
        sources[field] = name;
        out[field] = parse(v);
        return v;
      }
    }
    return undefined;
  };

  const keyValues = (name: string, secret: boolean): Record<string, string> => {
    const value = get(name);
    if (value === undefined) return {};
    const parsed = parseKeyValues(value);
    if (typeof parsed === "string") {
      // Header values are credentials: the warning shows the value masked.
      ignored.push(ignoredVariable(new ConfigError(name, secret ? maskSecret(value) : env[name], parsed, "environment")));
      return {};
    }
    return parsed;
  };
  // service.name and the like stay resource attributes: resolveConfigWith ranks them below the
  // options (and variables) of their own, in every layer. The older deployment.environment is read as .name.
  const { "deployment.environment": oldEnvironment, ...resource } = keyValues("OTEL_RESOURCE_ATTRIBUTES", false);
  if (oldEnvironment !== undefined) resource["deployment.environment.name"] ??= oldEnvironment;
  if (Object.keys(resource).length > 0) {
    out.resourceAttributes = resource;
    sources.resourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
  }
  read("serviceName", "SPANWISE_SERVICE_NAME OTEL_SERVICE_NAME");
  read("serviceVersion", "SPANWISE_SERVICE_VERSION");
  read("environment", "SPANWISE_ENVIRONMENT");

  const endpoint = endpointFrom(get, env, sources, ignored);
  if (endpoint) out.endpoint = endpoint;
  const headers = { ...keyValues("OTEL_EXPORTER_OTLP_HEADERS", true), ...keyValues("OTEL_EXPORTER_OTLP_TRACES_HEADERS", true) };
  if (Object.keys(headers).length > 0) {
    out.headers = headers;
    sources.headers = "OTEL_EXPORTER_OTLP_HEADERS";
  }
  // Enum values are read case-insensitively (SDK environment variables spec).
  read("compression", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION OTEL_EXPORTER_OTLP_COMPRESSION", lower, (v) => /^(?:gzip|none)$/i.test(v));
  read("protocol", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL OTEL_EXPORTER_OTLP_PROTOCOL", lower, (v) => /^http\/(?:protobuf|json)$/i.test(v));
  read("apiKey", "SPANWISE_API_KEY");

  // OTel SDK spec: only a case-insensitive "true" disables; any other value is ignored.
  if (read("enabled", "SPANWISE_ENABLED", parseBool) === undefined && get("OTEL_SDK_DISABLED")?.toLowerCase() === "true") {
    out.enabled = false;
    sources.enabled = "OTEL_SDK_DISABLED";
  }
  read("debug", "SPANWISE_DEBUG", parseBool);
  read("captureContent", "SPANWISE_CAPTURE_CONTENT", parseBool);
  samplingFrom(get, out, sources);
  read("maxSpansPerSecond", "SPANWISE_MAX_SPANS_PER_SECOND", parseNumber);
  read("redact", "SPANWISE_REDACT", (redact) => {
    const mode = redact.toLowerCase();
    const salt = get("SPANWISE_REDACT_SALT");
    // An object binding as the salt is left for validation to refuse, never used as the text "\0".
    return mode === "mask" || mode === "remove" || mode === "hash" ? { mode, salt: salt === NOT_TEXT ? env.SPANWISE_REDACT_SALT : salt } : parseBool(redact);
  });
  // The OpenTelemetry SDK's span limits (SDK environment variables spec, "Span Limits").
  read("maxAttributes", "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT OTEL_ATTRIBUTE_COUNT_LIMIT", parseNumber, isCount);
  read("maxAttributeValueLength", "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", parseNumber, isCount);
  read("maxEvents", "OTEL_SPAN_EVENT_COUNT_LIMIT", parseNumber);
  read("maxLinks", "OTEL_SPAN_LINK_COUNT_LIMIT", parseNumber);
  // Validation rejects an object or array binding, naming it; `redact` takes objects, so it gets the JSON text.
  for (const field in out) {
    const v = env[sources[field] as string];
    if (out[field] === NOT_TEXT) out[field] = field === "redact" ? JSON.stringify(v) : v;
  }
  return out as SpanwiseOptions;
}

const SAMPLERS: Record<string, { ratio: boolean; rate?: number; parentBased: boolean }> = {
  always_on: { ratio: false, rate: 1, parentBased: false },
  always_off: { ratio: false, rate: 0, parentBased: false },
  traceidratio: { ratio: true, parentBased: false },
  parentbased_always_on: { ratio: false, rate: 1, parentBased: true },
  parentbased_always_off: { ratio: false, rate: 0, parentBased: true },
  parentbased_traceidratio: { ratio: true, parentBased: true },
};

/** OTEL_TRACES_SAMPLER and its argument (SDK environment variables spec), then SPANWISE_SAMPLE_RATE over the rate. */
function samplingFrom(get: (name: string) => string | undefined, out: Record<string, unknown>, sources: Record<string, string>): void {
  const name = get("OTEL_TRACES_SAMPLER");
  if (name !== undefined) {
    const key = name.toLowerCase();
    // hasOwn: names Object.prototype has ("constructor") are unknown samplers too.
    const sampler = Object.hasOwn(SAMPLERS, key) ? SAMPLERS[key] : undefined;
    if (sampler === undefined) {
      // Left for validation, which reports it only if no explicit sampleRate overrides it.
      out.sampleRate = name as unknown as number;
      sources.sampleRate = "OTEL_TRACES_SAMPLER";
    } else {
      out.parentBased = sampler.parentBased;
      sources.parentBased = "OTEL_TRACES_SAMPLER";
      const arg = get("OTEL_TRACES_SAMPLER_ARG");
      if (sampler.ratio && arg !== undefined) {
        out.sampleRate = parseNumber(arg);
        sources.sampleRate = "OTEL_TRACES_SAMPLER_ARG";
      } else {
        out.sampleRate = sampler.rate ?? 1;
        sources.sampleRate = "OTEL_TRACES_SAMPLER";
      }
    }
  }
  const rate = get("SPANWISE_SAMPLE_RATE");
  if (rate !== undefined) {
    out.sampleRate = parseNumber(rate);
    sources.sampleRate = "SPANWISE_SAMPLE_RATE";
  }
}

/** A decimal number, or the raw text when it is not one (validation then names the variable). */
function parseNumber(value: string): number {
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(value) ? Number(value) : (value as unknown as number);
}

function endpointFrom(get: (name: string) => string | undefined, env: EnvRecord, sources: Record<string, string>, ignored: IgnoredVariable[]): string | undefined {
  // OTEL_EXPORTER_OTLP_ENDPOINT is a base URL to which the signal path is appended;
  // the per-signal variable is used as given (OTLP exporter spec, "Endpoint URLs for OTLP/HTTP").
  // SPANWISE_ENDPOINT behaves like the `endpoint` option: a bare origin gets /v1/traces.
  const candidates: [string, "option" | "as-is" | "base"][] = [
    ["SPANWISE_ENDPOINT", "option"],
    ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "as-is"],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "base"],
  ];
  for (const [name, mode] of candidates) {
    const value = get(name);
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // Below: left for validation, which reports it only if no explicit endpoint overrides it.
    }
    // A malformed per-signal endpoint is ignored for the general one (as if it were unset).
    if (mode === "as-is" && !/^https?:$/.test(url?.protocol ?? "") && get("OTEL_EXPORTER_OTLP_ENDPOINT") !== undefined) {
      ignored.push(ignoredVariable(new ConfigError(name, env[name], EXPECTED.endpoint as string, "environment")));
      continue;
    }
    sources.endpoint = name;
    if (url === undefined) return value;
    if (mode === "base") url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/traces`;
    if (mode === "option" && (url.pathname === "/" || url.pathname === "")) url.pathname = "/v1/traces";
    return mode === "as-is" ? value : url.toString();
  }
  return undefined;
}

const lower = (value: string): string => value.toLowerCase();
/** A whole number above 0, as a span limit must be. */
const isCount = (value: string): boolean => /^\d+$/.test(value) && Number(value) > 0;

/** true/false, or the raw text when it is neither (validation then names the variable). */
function parseBool(value: string): boolean {
  const v = value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return value as unknown as boolean;
}

/** Parses the `key=value,key2=value2` form of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS; when malformed, returns what was expected. */
function parseKeyValues(value: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of value.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = eq > 0 ? part.slice(0, eq).trim() : "";
    if (key === "") return "comma-separated key=value pairs";
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return "percent-encoded values";
    }
  }
  return out;
}
