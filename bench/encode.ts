import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan as OtelReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { encodeOtlpJsonBytes } from "../src/core/export/otlp-json.js";
import { encodeOtlpProtoBody } from "../src/core/export/otlp-proto.js";
import { type Attributes, type ExportBatch, createMemoryExporter, encodeOtlpJson, flush, init, shutdown } from "../src/runtimes/node/index.js";
import { useOtelAlsContext } from "./hot-path.js";
import type { BenchCase } from "./measure.js";
import { SPANS_PER_TRACE, otelTrace, spanwiseTrace } from "./workload.js";

/** Finished spans per encoded request. */
export const SPAN_COUNT = 1000;
const REQUESTS_PER_ROUND = 20;

/** The same finished spans, recorded once by each SDK. */
export interface EncodeFixture {
  readonly batch: ExportBatch;
  readonly otelSpans: OtelReadableSpan[];
}

/**
 * Records SPAN_COUNT finished spans with each SDK (same names, attributes and events; OpenTelemetry
 * gets spanwise's resource and scope) by running the SDKs the way an application would.
 *
 * @example
 * const { batch, otelSpans } = await recordFixture();
 */
export async function recordFixture(): Promise<EncodeFixture> {
  const memory = createMemoryExporter();
  const started = init({ serviceName: "bench", exporters: [memory], maxQueueSize: 100_000, maxExportBatchSize: 100_000, scheduleDelayMs: 3_600_000, flushOnExit: false });
  if (!started) throw new Error("spanwise did not start (already running, or disabled by SPANWISE_ENABLED / OTEL_SDK_DISABLED)");
  for (let i = 0; i < SPAN_COUNT / SPANS_PER_TRACE; i++) spanwiseTrace(true);
  await flush();
  const first = memory.batches[0];
  if (first === undefined) throw new Error("spanwise exported nothing; is init() failing?");
  const batch: ExportBatch = { resource: first.resource, scope: first.scope, spans: [...memory.spans] };
  await shutdown();

  useOtelAlsContext();
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(primitives(batch.resource)), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer(batch.scope.name, batch.scope.version);
  for (let i = 0; i < SPAN_COUNT / SPANS_PER_TRACE; i++) otelTrace(tracer, true);
  await provider.forceFlush();
  // Copied before shutdown, which empties the exporter.
  const otelSpans = [...exporter.getFinishedSpans()];
  await provider.shutdown();
  return { batch, otelSpans };
}

function primitives(attrs: Attributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
  }
  return out;
}

// Results go here so the optimiser cannot drop the work that produced them.
let sink = 0;

/**
 * spanwise's OTLP/JSON encoder, to UTF-8 bytes (`encodeOtlpJsonBytes`: what its exporter hands
 * to fetch, and what OpenTelemetry's serializer returns) or to a string (`encodeOtlpJson`).
 * Bytes are written as the exporter writes them: into the buffer of the request before, which
 * it lends to the next request once the last one is sent.
 *
 * @example
 * measure([spanwiseEncode(batch, "bytes")], opts);
 */
export function spanwiseEncode(batch: ExportBatch, output: "string" | "bytes"): BenchCase {
  if (output === "bytes") return lendingCase("spanwise bytes", batch, encodeOtlpJsonBytes);
  return {
    name: "spanwise string",
    iterations: REQUESTS_PER_ROUND,
    unitsPerIteration: batch.spans.length,
    run(n) {
      for (let i = 0; i < n; i++) sink += encodeOtlpJson(batch).length;
    },
  };
}

/**
 * An encoder that writes into a lent buffer, called as the OTLP exporter calls it: each request
 * written into the buffer of the request before, which the exporter lends to the next request
 * once the last one is sent.
 *
 * @example
 * measure([lendingCase("spanwise protobuf", batch, encodeOtlpProtoBody)], opts);
 */
export function lendingCase(name: string, batch: ExportBatch, encode: (batch: ExportBatch, into?: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>): BenchCase {
  let spare: Uint8Array<ArrayBuffer> | undefined;
  return {
    name,
    iterations: REQUESTS_PER_ROUND,
    unitsPerIteration: batch.spans.length,
    run(n) {
      for (let i = 0; i < n; i++) {
        const body = encode(batch, spare);
        sink += body.byteLength;
        spare = new Uint8Array(body.buffer);
      }
    },
  };
}

/**
 * OpenTelemetry's `JsonTraceSerializer.serializeRequest` (OTLP/JSON as UTF-8 bytes).
 *
 * @example
 * measure([otelEncode(otelSpans)], opts);
 */
export function otelEncode(spans: OtelReadableSpan[]): BenchCase {
  return {
    name: "OpenTelemetry",
    iterations: REQUESTS_PER_ROUND,
    unitsPerIteration: spans.length,
    run(n) {
      for (let i = 0; i < n; i++) sink += JsonTraceSerializer.serializeRequest(spans)?.byteLength ?? 0;
    },
  };
}

/**
 * spanwise's protobuf encoder as its exporter calls it for `http/protobuf` (`encodeOtlpProtoBody`:
 * the request as a view on the buffer it was written into, the buffer of the request before,
 * which the exporter lends to the next request once the last one is sent; the public
 * `encodeOtlpProto` writes into a new buffer and copies the request out when that is longer).
 *
 * @example
 * measure([spanwiseProto(batch)], opts);
 */
export function spanwiseProto(batch: ExportBatch): BenchCase {
  return lendingCase("spanwise protobuf", batch, encodeOtlpProtoBody);
}

/**
 * OpenTelemetry's `ProtobufTraceSerializer.serializeRequest`.
 *
 * @example
 * measure([otelProto(otelSpans)], opts);
 */
export function otelProto(spans: OtelReadableSpan[]): BenchCase {
  return {
    name: "OpenTelemetry protobuf",
    iterations: REQUESTS_PER_ROUND,
    unitsPerIteration: spans.length,
    run(n) {
      for (let i = 0; i < n; i++) sink += ProtobufTraceSerializer.serializeRequest(spans)?.byteLength ?? 0;
    },
  };
}
