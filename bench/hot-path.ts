import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter as OtelExporter } from "@opentelemetry/sdk-trace-base";
import { type SpanExporter, flush, init, shutdown } from "../src/runtimes/node/index.js";
import { isMain, runApart } from "./apart.js";
import type { BenchCase } from "./measure.js";
import { floorHotPath } from "./floor.js";
import { HOLD_ALL, SPANS_PER_TRACE, TRACES_PER_ROUND, otelTrace, spanwiseTrace } from "./workload.js";

/** A live benchmark case plus the teardown of the SDK behind it. */
export interface HotPathCase extends BenchCase {
  close(): Promise<void>;
}

/**
 * Starts spanwise with an exporter that drops everything and a queue large enough that no
 * export runs inside a timed round; `settle` drains it between rounds.
 *
 * @example
 * const c = spanwiseHotPath(); await measure([c], opts); await c.close();
 */
export function spanwiseHotPath(): HotPathCase {
  const nullExporter: SpanExporter = { name: "null", export: async () => ({ ok: true }) };
  const started = init({ serviceName: "bench", exporters: [nullExporter], maxQueueSize: HOLD_ALL.maxQueueSize, maxExportBatchSize: HOLD_ALL.maxExportBatchSize, scheduleDelayMs: HOLD_ALL.delayMs, flushOnExit: false });
  if (!started) throw new Error("spanwise did not start (already running, or disabled by SPANWISE_ENABLED / OTEL_SDK_DISABLED)");
  return {
    name: "spanwise",
    iterations: TRACES_PER_ROUND,
    unitsPerIteration: SPANS_PER_TRACE,
    run(n) {
      for (let i = 0; i < n; i++) spanwiseTrace(false);
    },
    settle: flush,
    close: shutdown,
  };
}

/**
 * Registers OpenTelemetry's AsyncLocalStorage context manager globally; later calls keep the first.
 *
 * @example
 * useOtelAlsContext();
 */
export function useOtelAlsContext(): void {
  const manager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(manager)) manager.disable();
}

/**
 * The same work on @opentelemetry/sdk-trace-base: a BasicTracerProvider with a
 * BatchSpanProcessor in front of a no-op exporter, sized like the spanwise case.
 *
 * @example
 * const c = otelHotPath(); await measure([c], opts); await c.close();
 */
export function otelHotPath(): HotPathCase {
  useOtelAlsContext();
  const noopExporter: OtelExporter = {
    export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
    shutdown: async () => {},
  };
  const processor = new BatchSpanProcessor(noopExporter, { maxQueueSize: HOLD_ALL.maxQueueSize, maxExportBatchSize: HOLD_ALL.maxExportBatchSize, scheduledDelayMillis: HOLD_ALL.delayMs });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer("bench");
  return {
    name: "OpenTelemetry",
    iterations: TRACES_PER_ROUND,
    unitsPerIteration: SPANS_PER_TRACE,
    run(n) {
      for (let i = 0; i < n; i++) otelTrace(tracer, false);
    },
    settle: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}

/** Mean ns per span of each SDK, and of the bare tracer (floor.ts), when the queue is drained every `traces` traces. */
export interface ShallowQueue {
  readonly spansPerRound: number;
  readonly spanwiseNs: number;
  readonly otelNs: number;
  readonly floorNs: number;
}

/**
 * The same workload with the queue drained (untimed) every `traces` traces instead of holding
 * 50,000 spans, as a process at the default queue size (2,048) would. The mean over many short
 * rounds, without a forced collection before each, so the young-generation collections that
 * fall into the rounds count in proportion to what each SDK allocates. Runs in a process of its
 * own (see runApart), on a heap no other row has grown.
 *
 * @example
 * const { spanwiseNs, otelNs, floorNs } = await shallowQueue(400, 300);
 */
export async function shallowQueue(traces: number, rounds: number): Promise<ShallowQueue> {
  return JSON.parse(await runApart(import.meta.url, [String(traces), String(rounds)])) as ShallowQueue;
}

async function measureShallowQueue(traces: number, rounds: number): Promise<ShallowQueue> {
  const cases = [spanwiseHotPath(), otelHotPath(), floorHotPath()];
  const total = [0, 0, 0];
  try {
    // The first tenth warms up.
    const warm = Math.ceil(rounds / 10);
    for (let r = 0; r < warm + rounds; r++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i] as HotPathCase;
        const start = process.hrtime.bigint();
        c.run(traces);
        const ns = Number(process.hrtime.bigint() - start);
        await c.settle?.();
        if (r >= warm) total[i] = (total[i] as number) + ns;
      }
    }
  } finally {
    for (const c of cases) await c.close();
  }
  const spans = traces * SPANS_PER_TRACE * rounds;
  return { spansPerRound: traces * SPANS_PER_TRACE, spanwiseNs: (total[0] as number) / spans, otelNs: (total[1] as number) / spans, floorNs: (total[2] as number) / spans };
}

// Run as a script by shallowQueue: `<this file> <traces per round> <rounds>`.
if (isMain(import.meta.url)) console.log(JSON.stringify(await measureShallowQueue(Number(process.argv[2]), Number(process.argv[3]))));
