import type { SpanwiseOptions } from "./config.js";
import { ConfigError } from "./errors.js";

/** Environment as a plain record: `process.env`, a Worker's `env`, `Deno.env.toObject()`. */
export type EnvRecord = Readonly<Record<string, unknown>>;

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

/**
 * Reads SPANWISE_* and the standard OTEL_* variables into options. Unset or empty variables are
 * skipped; a malformed one throws a ConfigError naming the variable.
 *
 * @example
 * optionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).endpoint // "http://collector:4318/v1/traces"
 */
export function optionsFromEnv(env: EnvRecord): SpanwiseOptions {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const out: SpanwiseOptions = {};

  const resource = parseKeyValues(get("OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES");
  const { "service.name": resName, "service.version": resVersion, "deployment.environment.name": resEnv, "deployment.environment": resEnvOld, ...rest } = resource;
  if (Object.keys(rest).length > 0) out.resourceAttributes = rest;

  const serviceName = get("SPANWISE_SERVICE_NAME") ?? get("OTEL_SERVICE_NAME") ?? resName;
  if (serviceName) out.serviceName = serviceName;
  const serviceVersion = get("SPANWISE_SERVICE_VERSION") ?? resVersion;
  if (serviceVersion) out.serviceVersion = serviceVersion;
  const environment = get("SPANWISE_ENVIRONMENT") ?? resEnv ?? resEnvOld;
  if (environment) out.environment = environment;

  const endpoint = endpointFrom(get);
  if (endpoint) out.endpoint = endpoint;
  const headers = { ...parseKeyValues(get("OTEL_EXPORTER_OTLP_HEADERS"), "OTEL_EXPORTER_OTLP_HEADERS"), ...parseKeyValues(get("OTEL_EXPORTER_OTLP_TRACES_HEADERS"), "OTEL_EXPORTER_OTLP_TRACES_HEADERS") };
  if (Object.keys(headers).length > 0) out.headers = headers;
  const compression = get("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION") ?? get("OTEL_EXPORTER_OTLP_COMPRESSION");
  if (compression !== undefined) {
    if (compression !== "gzip" && compression !== "none") throw new ConfigError("OTEL_EXPORTER_OTLP_COMPRESSION", compression, '"gzip" or "none"', "environment");
    out.compression = compression;
  }
  const apiKey = get("SPANWISE_API_KEY");
  if (apiKey) out.apiKey = apiKey;

  const disabled = parseBool(get("OTEL_SDK_DISABLED"), "OTEL_SDK_DISABLED");
  const enabled = parseBool(get("SPANWISE_ENABLED"), "SPANWISE_ENABLED");
  if (enabled !== undefined) out.enabled = enabled;
  else if (disabled === true) out.enabled = false;
  const debug = parseBool(get("SPANWISE_DEBUG"), "SPANWISE_DEBUG");
  if (debug !== undefined) out.debug = debug;
  return out;
}

function endpointFrom(get: (name: string) => string | undefined): string | undefined {
  // OTEL_EXPORTER_OTLP_ENDPOINT is a base URL to which the signal path is appended;
  // the per-signal variable is used as given (OTLP exporter spec, "Endpoint URLs for OTLP/HTTP").
  const candidates: [string, boolean][] = [
    ["SPANWISE_ENDPOINT", false],
    ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", false],
    ["OTEL_EXPORTER_OTLP_ENDPOINT", true],
  ];
  for (const [name, isBase] of candidates) {
    const value = get(name);
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(name, value, "an http(s) URL such as http://localhost:4318", "environment");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(name, value, "an http(s) URL", "environment");
    if (isBase) url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/traces`;
    return url.toString();
  }
  return undefined;
}

function parseBool(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigError(name, value, "true or false", "environment");
}

/** Parses the `key=value,key2=value2` form of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS. */
function parseKeyValues(value: string | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  for (const part of value.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    const key = eq > 0 ? part.slice(0, eq).trim() : "";
    if (key === "") throw new ConfigError(name, value, "comma-separated key=value pairs", "environment");
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new ConfigError(name, value, "percent-encoded values", "environment");
    }
  }
  return out;
}
