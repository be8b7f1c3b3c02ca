import type { ResolvedConfig } from "../core/resolved-config.js";
import { otlpHttpExporter } from "../core/export/otlp-http.js";
import { VERSION } from "../core/global.js";
import { newSpanId, newTraceId } from "../core/ids.js";

/** What happened to the test trace. */
export interface TestTraceOutcome {
  readonly traceId: string;
  readonly latencyMs: number;
  /** The HTTP status, when the collector answered at all. */
  readonly status: number | undefined;
  readonly statusText: string;
  /** The collector's answer, cut to 64 KB. */
  readonly body: Uint8Array;
  /** Its content-type, which says how to read it. */
  readonly contentType: string | undefined;
  /** Spans refused in an OTLP partial success. */
  readonly rejected: number;
  /** Why no answer came: a timeout, a refused connection, an unknown host, ... */
  readonly failure: { readonly name: string; readonly code: string | undefined; readonly message: string } | undefined;
  /** The exporter's own summary when the export failed. */
  readonly error: string | undefined;
}

/**
 * Sends one span through the SDK's own OTLP/HTTP exporter, in one attempt, with the configured
 * protocol, compression, headers and API key, and records what the collector answered.
 *
 * @param config - the resolved configuration; `endpoint` must be set
 * @param timeoutMs - how long to wait for the answer
 * @returns the outcome
 * @example
 * const outcome = await sendTestTrace({ ...config, endpoint: "http://localhost:4318/v1/traces" }, 5000);
 */
export async function sendTestTrace(config: ResolvedConfig & { endpoint: string }, timeoutMs: number): Promise<TestTraceOutcome> {
  let status: number | undefined;
  let statusText = "";
  let body = new Uint8Array();
  let contentType: string | undefined;
  let failure: TestTraceOutcome["failure"];
  // Watches the exporter's one request; the exporter is what init() would use, but for compressing
  // even this small body.
  const watched: typeof fetch = async (input, init) => {
    try {
      const res = await fetch(input, init);
      status = res.status;
      statusText = res.statusText;
      contentType = res.headers.get("content-type") ?? undefined;
      body = new Uint8Array(await res.clone().arrayBuffer().catch(() => new ArrayBuffer(0))).slice(0, 65_536);
      return res;
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
      const name = (err as { name?: unknown }).name;
      failure = {
        name: typeof name === "string" ? name : "Error",
        code: typeof cause?.code === "string" ? cause.code : undefined,
        message: typeof cause?.message === "string" ? cause.message : String((err as Error).message ?? err),
      };
      throw err;
    }
  };
  const exporter = otlpHttpExporter({
    endpoint: config.endpoint,
    headers: config.headers,
    apiKey: config.apiKey,
    compression: config.compression,
    // The test trace is small; it is compressed anyway, so the check shows whether the collector
    // takes gzip, which larger exports use.
    compressionMinBytes: 0,
    protocol: config.protocol,
    timeoutMs,
    maxAttempts: 1,
    fetch: watched,
  });
  const traceId = newTraceId();
  const now = Date.now();
  // As init() builds it: serviceName, already resolved over a service.name attribute, wins.
  const resource = {
    ...config.resourceAttributes,
    "service.name": config.serviceName,
    "telemetry.sdk.name": "spanwise",
    "telemetry.sdk.language": "nodejs",
    "telemetry.sdk.version": VERSION,
  };
  const span = {
    traceId,
    spanId: newSpanId(),
    parentSpanId: undefined,
    parentIsRemote: false,
    name: "spanwise check",
    type: "span" as const,
    kind: "internal" as const,
    startTime: now,
    endTime: now + 1,
    attributes: { "spanwise.check": true },
    events: [],
    links: [],
    statusCode: "ok" as const,
    statusMessage: undefined,
    traceFlags: 1,
    traceState: undefined,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  const started = performance.now();
  const result = await exporter.export({ resource, scope: { name: "spanwise", version: VERSION }, spans: [span] });
  const latencyMs = Math.round(performance.now() - started);
  return {
    traceId,
    latencyMs,
    status,
    statusText,
    body,
    contentType,
    failure,
    rejected: result.ok ? (result.rejected ?? 0) : 0,
    error: result.ok ? undefined : result.error,
  };
}
