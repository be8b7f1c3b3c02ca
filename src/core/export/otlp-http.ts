import { ConfigError } from "../errors.js";
import { EXPORT_USER_AGENT } from "../export-request.js";
import { G } from "../global.js";
import { needsImport } from "../needs-import.js";
import { redactUrl } from "../redact-url.js";
import { type PartialSuccess, encodeOtlpProtoBody, partialSuccessFromProto } from "./otlp-proto.js";
import type { ExportResult, SpanExporter } from "./types.js";

/** Options of the OTLP/HTTP exporter. */
export interface OtlpHttpExporterOptions {
  /**
   * The traces URL, e.g. http://localhost:4318/v1/traces, as the `endpoint` option takes it: a
   * bare origin gets /v1/traces, and a URL that is not http(s) or has credentials in it is a ConfigError.
   */
  endpoint: string;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <apiKey>` unless `headers` sets authorization. */
  apiKey?: string;
  /** Bound on one export, retries and backoff included. Default 10000 ms. */
  timeoutMs?: number;
  /**
   * "gzip" (default where the runtime can: zlib on Node and Lambda, else CompressionStream) or
   * "none". With "gzip", bodies under `compressionMinBytes` are still sent as they are.
   */
  compression?: "gzip" | "none";
  /**
   * The smallest body "gzip" compresses, in bytes. Default 1024: a smaller body (one request's
   * span or two as protobuf) shrinks by ~100 bytes, and gzipping it cost a Worker 0.2–0.3 ms of
   * CPU a request in workerd, about as much as encoding it. 0 compresses every body, Infinity none.
   */
  compressionMinBytes?: number;
  /**
   * "http/protobuf" (default, as the OpenTelemetry spec recommends) or "http/json", the OTLP/HTTP
   * encodings. "http/json" needs the JSON encoder loaded: `spanwise/node`, `/deno`, `/bun` and
   * `/lambda` load it; elsewhere `import "spanwise/otlp-json"`.
   */
  protocol?: "http/json" | "http/protobuf";
  /** Attempts per export, the first included. Default 5. */
  maxAttempts?: number;
  fetch?: typeof fetch;
}

/** The HTTP statuses an export is retried on (the OTLP specification's, with 502). */
export const RETRYABLE: ReadonlySet<number> = new Set([429, 502, 503, 504]);
// The largest buffer kept between exports for the next request to be written into (default
// batches of 512 spans take ~0.35 MB as JSON); a bigger request's buffer is let go.
const MAX_SPARE = 1 << 20;
const MAX_BACKOFF_MS = 5000;
const COMPRESSION_MIN_BYTES = 1024;

const HINT: Record<number, string> = {
  400: "the collector rejected the payload as malformed",
  401: "check the API key (apiKey / SPANWISE_API_KEY) or the authorization header",
  403: "the API key is not allowed to write traces",
  404: "check the endpoint path; OTLP/HTTP traces usually live at /v1/traces",
  413: "the batch is too large for the collector; lower maxExportBatchSize",
  415: "the collector does not accept this encoding at this endpoint; try the other protocol (http/json or http/protobuf)",
};

/**
 * The OTLP/HTTP exporter for an endpoint checked already (the `endpoint` option's), sent to as it
 * is: `createOtlpHttpExporter` checks one given in code first. Throws a ConfigError for
 * `protocol: "http/json"` when the JSON encoder is not loaded and for a bad `compressionMinBytes`.
 */
export function otlpHttpExporter(options: OtlpHttpExporterOptions): SpanExporter {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  // A fetch of the user's own may not touch the network; the runtime's is checked first.
  const refuse = options.fetch === undefined ? G.runtime?.refuseFetch : undefined;
  let gzip = options.compression !== "none" && (G.runtime?.gzip !== undefined || typeof compressionStream() === "function");
  const minGzip = options.compressionMinBytes ?? COMPRESSION_MIN_BYTES;
  // How a runtime may quote the endpoint (checked already: an http(s) URL) in an error (Deno's
  // names the URL it could not reach).
  const href = new URL(options.endpoint).href;
  // The endpoint as warnings and lastError show it: a query may carry the collector's key.
  const shown = redactUrl(new URL(href), false);
  if (typeof minGzip !== "number" || !(minGzip >= 0)) throw new ConfigError("compressionMinBytes", minGzip, "a number of bytes, 0 or more", "createOtlpHttpExporter()");
  const proto = options.protocol !== "http/json";
  const encode = proto ? encodeOtlpProtoBody : G.otlpJson;
  if (encode === undefined) throw new ConfigError("protocol", options.protocol, needsImport("the OTLP/JSON encoder", "otlp-json"), "createOtlpHttpExporter()");
  const headers: Record<string, string> = { "content-type": proto ? "application/x-protobuf" : "application/json", "user-agent": EXPORT_USER_AGENT };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  for (const [k, v] of Object.entries(options.headers ?? {})) headers[k.toLowerCase()] = v;

  // The buffer the last request was written into, lent to the next one once nothing reads it
  // any more: writing each request into a new buffer (protobuf) or copying it out of a shared one
  // (JSON) cost about a tenth of the encoding. An export that starts while another holds the
  // buffer gets a new one.
  let spare: Uint8Array<ArrayBuffer> | undefined;
  const giveBack = (done: Uint8Array<ArrayBuffer>): void => {
    if (done.buffer.byteLength <= MAX_SPARE) spare = new Uint8Array(done.buffer);
  };

  return {
    name: "otlp-http",
    async export(batch, exportOptions): Promise<ExportResult> {
      const refused = refuse?.(options.endpoint);
      if (refused !== undefined) return { ok: false, error: refused };
      const abandon = exportOptions?.signal;
      const lent = spare;
      spare = undefined;
      const encoded = encode(batch, lent);
      // Compressed once, sent as is on every attempt.
      let body = encoded;
      if (gzip && encoded.length >= minGzip) {
        try {
          body = await compress(encoded);
        } catch {
          // Next.js's edge runtime defines CompressionStream as a function that throws.
          gzip = false;
        }
      }
      // Compressed, the buffer is free at once; sent as encoded, once every attempt has ended.
      const compressed = body !== encoded;
      if (compressed) giveBack(encoded);
      const sent = compressed ? { ...headers, "content-encoding": "gzip" } : headers;
      const deadline = Date.now() + timeoutMs;
      let lastError = "no attempt made";
      try {
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const remaining = deadline - Date.now();
          if (remaining <= 0 || abandon?.aborted) break;
          let retryAfterMs: number | undefined;
          try {
            const res = await doFetch(options.endpoint, { method: "POST", headers: sent, body, signal: withAbandon(AbortSignal.timeout(remaining), abandon) });
            const answer = await readBody(res);
            // An empty answer (the usual one) has nothing to report.
            if (res.ok) return answer.length === 0 ? { ok: true } : { ok: true, ...partialSuccess(answer, res.headers.get("content-type")) };
            lastError = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}: ${HINT[res.status] ?? (res.status >= 500 ? "the collector failed" : "the collector refused the export")}`;
            if (!RETRYABLE.has(res.status)) return { ok: false, error: lastError };
            retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
          } catch (err) {
            lastError = describeFetchError(err, shown, timeoutMs).split(href).join(shown).split(options.endpoint).join(shown);
            // fetch refuses a blocked port every time: no retry can reach it.
            if (lastError.startsWith(REFUSES)) break;
          }
          if (attempt === maxAttempts) break;
          const backoff = retryAfterMs ?? Math.random() * Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempt);
          if (Date.now() + backoff >= deadline) {
            // Why it gave up at once: the wait asked for is past the export's time budget.
            if (retryAfterMs) lastError += ` (Retry-After ${Math.ceil(retryAfterMs / 1000)} s is past what is left of exportTimeoutMs ${timeoutMs})`;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, backoff));
        }
      } finally {
        if (!compressed) giveBack(encoded);
      }
      return { ok: false, error: lastError };
    },
  };
}

/** The attempt's own timeout, cut short when the caller abandons the export (where AbortSignal.any exists). */
function withAbandon(timeout: AbortSignal, abandon: AbortSignal | undefined): AbortSignal {
  if (abandon === undefined || typeof AbortSignal.any !== "function") return timeout;
  return AbortSignal.any([timeout, abandon]);
}

async function compress(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  // The runtime's own gzip where it has a faster one (zlib on Node and Lambda).
  const own = G.runtime?.gzip;
  if (own !== undefined) return own(data);
  const Compression = compressionStream() as typeof CompressionStream;
  const stream = new Blob([data]).stream().pipeThrough(new Compression("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function readBody(res: Response): Promise<Uint8Array> {
  // Always consume the body so the connection can be reused; a collector's answer is small.
  try {
    const bytes = new Uint8Array(await res.arrayBuffer());
    return bytes.length > 65536 ? new Uint8Array(0) : bytes;
  } catch {
    return new Uint8Array(0);
  }
}

/** Rejected spans of an OTLP partial success, in whichever encoding the collector answered. */
function partialSuccess(body: Uint8Array, contentType: string | null): PartialSuccess | undefined {
  if (body.length === 0) return undefined;
  if (contentType?.includes("protobuf")) return partialSuccessFromProto(body);
  const text = new TextDecoder().decode(body);
  if (!text.includes("rejectedSpans")) return undefined;
  try {
    const partial = (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: unknown; errorMessage?: string } }).partialSuccess;
    const n = Number(partial?.rejectedSpans);
    // The message as sent: runExporter keeps it only when it is a string.
    return Number.isFinite(n) && n > 0 ? { rejected: n, message: partial?.errorMessage } : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in delay-seconds or HTTP-date form (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

const REFUSES = "fetch refuses ";

function describeFetchError(err: unknown, endpoint: string, timeoutMs: number): string {
  const name = (err as { name?: string })?.name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer from ${endpoint} within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
  // Node's fetch and Deno's refuse, without trying, the ports the Fetch standard blocks (6000, 6665, …).
  return /^bad port$| are blocked$/.test(detail) ? `${REFUSES}${endpoint}: the Fetch standard blocks its port (OTLP/HTTP's is usually 4318)` : `cannot reach ${endpoint} (${detail}); is the collector running?`;
}

// Looked up on globalThis: Next.js refuses to build edge code that names CompressionStream,
// even behind a typeof check.
function compressionStream(): unknown {
  return (globalThis as { CompressionStream?: unknown }).CompressionStream;
}
