import { ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { type SpanExporter, flush, init, shutdown } from "../src/runtimes/node/index.js";
import { SPANS_PER_TRACE, otelTrace, spanwiseTrace } from "./workload.js";

const TRACES = 20_000;
const HOUR_MS = 3_600_000;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("memory figures need --expose-gc (npm run bench passes it)");
  collect();
  collect();
}

/** Heap plus ArrayBuffer memory (spanwise keeps span times in ArrayBuffers outside the JS heap). */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function bytesPerSpan(record: () => void, drain: () => Promise<void>): Promise<number> {
  // A first batch warms up code and lazily made structures, so they are not counted.
  for (let i = 0; i < TRACES; i++) record();
  await drain();
  gc();
  const before = used();
  for (let i = 0; i < TRACES; i++) record();
  gc();
  const after = used();
  await drain();
  return (after - before) / (TRACES * SPANS_PER_TRACE);
}

/** Bytes each buffered (ended, not yet exported) span holds, for spanwise and OpenTelemetry. */
export interface MemoryFigures {
  readonly spanwise: number;
  readonly otel: number;
}

/**
 * Memory per buffered span with 5 attributes: heap (plus ArrayBuffer) growth while 100,000 ended
 * spans wait in the export queue, per span, after a full GC. Needs `--expose-gc`.
 *
 * @example
 * const { spanwise, otel } = await memoryPerSpan();
 */
export async function memoryPerSpan(): Promise<MemoryFigures> {
  const nullExporter: SpanExporter = { name: "null", export: async () => ({ ok: true }) };
  init({ serviceName: "bench", exporters: [nullExporter], maxQueueSize: 10_000_000, maxExportBatchSize: 100_000, scheduleDelayMs: HOUR_MS, flushOnExit: false });
  const spanwise = await bytesPerSpan(() => spanwiseTrace(false), flush);
  await shutdown();

  const processor = new BatchSpanProcessor(
    { export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {} },
    { maxQueueSize: 10_000_000, maxExportBatchSize: 10_000_000, scheduledDelayMillis: HOUR_MS },
  );
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer("bench");
  const otel = await bytesPerSpan(() => otelTrace(tracer, false), () => provider.forceFlush());
  await provider.shutdown();
  return { spanwise, otel };
}
