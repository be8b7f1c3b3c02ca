import { checkEndpoint } from "../config.js";
import { optionsCheck } from "../config-check.js";
import { type OtlpHttpExporterOptions, otlpHttpExporter } from "./otlp-http.js";
import type { SpanExporter } from "./types.js";

// Apart from otlp-http.ts: init() builds its exporter from an endpoint checked already, so a
// Worker's bundle holds this check only when the Worker calls createOtlpHttpExporter itself.

/**
 * Exports spans as OTLP/JSON or OTLP/protobuf over HTTP with `fetch`: bounded time, retries with backoff and
 * jitter on 429/502/503/504 and network errors (honouring Retry-After), no retry on other 4xx.
 * By default, bodies of 1 KiB and more are gzipped where the runtime can (see `compression` and
 * `compressionMinBytes`).
 * Throws a ConfigError for an `endpoint` the `endpoint` option would refuse (see `endpoint`), for
 * `protocol: "http/json"` when the JSON encoder is not loaded (see `protocol`), and for a
 * `compressionMinBytes` that is not a non-negative number.
 *
 * @param options - endpoint, headers, apiKey, compression, compressionMinBytes, protocol, timeoutMs, maxAttempts, fetch
 * @example
 * init({ exporters: [createOtlpHttpExporter({ endpoint: "http://localhost:4318/v1/traces" })] })
 */
export function createOtlpHttpExporter(options: OtlpHttpExporterOptions): SpanExporter {
  return otlpHttpExporter({ ...options, endpoint: checkEndpoint(optionsCheck, options.endpoint, "createOtlpHttpExporter()") });
}
