import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { type SpanExporter, type Stats, flush, init, shutdown, startSpan, stats } from "spanwise/node";
import { type Collector, closedPort, quietLogger, startCollector } from "../helpers/collector.js";

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap in use after a full collection, in bytes. */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Ends `n` root spans, yielding to the event loop every `chunk` so exports and timers run meanwhile. */
async function endSpans(n: number, chunk = 20_000): Promise<void> {
  for (let done = 0; done < n; done += chunk) {
    for (let i = 0; i < chunk && done + i < n; i++) startSpan("work", { parent: null, attributes: { i } }).end();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function droppedTotal(s: Stats): number {
  return Object.values(s.dropped).reduce((a, b) => a + b, 0);
}

describe("OTLP/HTTP delivery under load and faults", () => {
  it("keeps at most two exports in flight, even when a flush has many batches to send", async () => {
    let open = 0;
    let most = 0;
    let calls = 0;
    const release: (() => void)[] = [];
    const slow: SpanExporter = {
      name: "slow",
      async export() {
        calls++;
        open++;
        most = Math.max(most, open);
        await new Promise<void>((resolve) => release.push(resolve));
        open--;
        return { ok: true };
      },
    };
    init({ exporters: [slow], maxExportBatchSize: 10, maxQueueSize: 1000, scheduleDelayMs: 60_000, logger: quietLogger() });

    for (let i = 0; i < 200; i++) startSpan(`s${i}`, { parent: null }).end();
    const flushed = flush();
    // 20 batches of 10: answer the oldest export whenever one waits, until all are done.
    for (let answered = 0; answered < 20; answered++) {
      while (release.length === 0) await new Promise((resolve) => setImmediate(resolve));
      release.shift()!();
    }
    await flushed;

    expect(calls).toBe(20);
    expect(most).toBe(2);
    expect(stats().exported).toBe(200);
  });

  it("keeps memory flat and every span accounted for while 1,000,000 spans end with the collector down, then resumes", async () => {
    const port = await closedPort();
    const logger = quietLogger();
    init({ endpoint: `http://127.0.0.1:${port}/v1/traces`, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMs: 400, scheduleDelayMs: 10, logger });

    // Warm up, so lazily built state (pools, JIT, the logger's first warnings) is in the baseline.
    await endSpans(100_000);
    await flush();
    const baseline = heapAfterGc();
    await endSpans(900_000);
    await flush();
    const after = heapAfterGc();

    const down = stats();
    expect(down.ended).toBe(1_000_000);
    expect(down.exported).toBe(0);
    // Nothing is lost silently: every ended span is exported or dropped under a named reason.
    expect(down.exported + droppedTotal(down)).toBe(down.ended);
    expect(down.dropped.queueFull).toBeGreaterThan(0);
    expect(down.dropped.exportFailed).toBeGreaterThan(0);
    expect(down.dropped.queueFull + down.dropped.exportFailed).toBe(1_000_000);
    // The queue bounds memory: 900,000 more spans may not grow the heap by more than a few MB
    // (a leak of even 20 bytes a span would be 18 MB).
    expect(after - baseline).toBeLessThan(8 * 1024 * 1024);
    // Warnings are rate-limited: a handful, not one per failed export.
    expect(logger.messages.length).toBeLessThan(10);
    expect(logger.messages.some((m) => /cannot reach/.test(m))).toBe(true);

    // The collector comes back on the same address: export resumes without a new init.
    collector = await startCollector(undefined, port);
    await endSpans(1000, 100);
    await flush();
    const back = stats();
    expect(back.exported).toBe(1000);
    expect(collector.spans()).toHaveLength(1000);
    expect(back.exported + droppedTotal(back)).toBe(back.ended);
  });
});
