import { afterEach, describe, expect, it } from "vitest";
import { type ReadableSpan, type Span, type SpanExporter, flush, shutdown, startSpan, stats } from "spanwise/node";
import { sleep, start } from "../core/helpers.js";

// In a long-lived process, a span that ends before its trace's root waits for the root, and the
// trace then goes into the export queue as one list. These hold the queue and the waiting to
// what users rely on: whole traces in one batch, the oldest spans dropped (and counted) past
// maxQueueSize, every span sent once, and traces let go oldest first.

afterEach(() => shutdown());

/** One trace: a root and `children` spans under it, the children ended first, then the root. */
function trace(name: string, children: number): void {
  const root = startSpan(`${name}.root`);
  for (let i = 0; i < children; i++) startSpan(`${name}.c${i}`, { parent: root }).end();
  root.end();
}

/** An exporter whose exports finish only when `next()` lets the oldest go. */
function stalledExporter(): { exporter: SpanExporter; batches: ReadableSpan[][]; next(): boolean } {
  const batches: ReadableSpan[][] = [];
  const pending: (() => void)[] = [];
  return {
    exporter: {
      name: "stalled",
      export: (batch) =>
        new Promise((resolve) =>
          pending.push(() => {
            batches.push([...batch.spans]);
            resolve({ ok: true });
          }),
        ),
    },
    batches,
    next: () => {
      const go = pending.shift();
      go?.();
      return go !== undefined;
    },
  };
}

function batchesOfTraces(batches: readonly { spans: readonly ReadableSpan[] }[]): string[][] {
  return batches.map((b) => [...new Set(b.spans.map((s) => s.traceId))]);
}

describe("the export queue of a long-lived process", () => {
  it("sends each trace whole in one batch, however small the batch size, interleaved or not", async () => {
    const { memory } = start({ maxExportBatchSize: 3 });
    for (let t = 0; t < 20; t++) trace(`t${t}`, 4);
    // Three traces at once, their children ending in turn.
    const roots = [0, 1, 2].map((i) => startSpan(`i${i}.root`));
    for (let c = 0; c < 3; c++) for (const [i, r] of roots.entries()) startSpan(`i${i}.c${c}`, { parent: r }).end();
    for (const r of roots) r.end();
    await flush();
    expect(memory.spans).toHaveLength(20 * 5 + 3 * 4);
    expect(new Set(memory.spans.map((s) => s.spanId)).size).toBe(memory.spans.length);
    const perTrace = new Map<string, number>();
    for (const s of memory.spans) perTrace.set(s.traceId, (perTrace.get(s.traceId) ?? 0) + 1);
    // Every trace is in exactly one batch, with all of its spans.
    const seen = batchesOfTraces(memory.batches).flat();
    expect(seen).toHaveLength(perTrace.size);
    for (const b of memory.batches) {
      for (const id of new Set(b.spans.map((s) => s.traceId))) expect(b.spans.filter((s) => s.traceId === id)).toHaveLength(perTrace.get(id) as number);
    }
    // Children in the order they ended, then the root.
    expect(memory.spans.filter((s) => s.name.startsWith("i1.")).map((s) => s.name)).toEqual(["i1.c0", "i1.c1", "i1.c2", "i1.root"]);
  });

  it("drops the oldest spans past maxQueueSize, inside whole traces too, and counts them", async () => {
    // Exports that do not finish until let go: two run at once, and the queue fills behind them.
    const stalled = stalledExporter();
    start({ exporters: [stalled.exporter], maxQueueSize: 10, maxExportBatchSize: 2 });
    for (let t = 0; t < 5; t++) trace(`t${t}`, 3);
    // t0 and t1 are being exported (each whole, though over the batch size); t2 to t4 wait, 12
    // spans for 10 places: the two oldest go.
    expect(stats().queued).toBe(10);
    expect(stats().dropped.queueFull).toBe(2);
    const done = flush();
    while (stalled.next() || stalled.batches.flat().length < 18) await sleep(1);
    await done;
    const names = (t: number) => [`t${t}.c0`, `t${t}.c1`, `t${t}.c2`, `t${t}.root`];
    expect(stalled.batches.flat().map((s) => s.name)).toEqual([...names(0), ...names(1), ...names(2).slice(2), ...names(3), ...names(4)]);
    expect(stats().exported).toBe(18);
  });

  it("does not end a batch inside a trace whose spans were queued one by one (maxTraceWaitMs: 0)", async () => {
    const stalled = stalledExporter();
    start({ exporters: [stalled.exporter], maxTraceWaitMs: 0, maxExportBatchSize: 3 });
    for (let t = 0; t < 10; t++) trace(`t${t}`, 4);
    // Without holding, the first two batches went as soon as three spans had ended, mid-trace.
    // Everything after waited behind them, and a batch then takes the rest of its last trace.
    const done = flush();
    while (stalled.next() || stalled.batches.flat().length < 50) await sleep(1);
    await done;
    const later = stalled.batches.slice(2).map((b) => b.map((s) => s.name));
    expect(later[0]).toEqual(["t1.c1", "t1.c2", "t1.c3", "t1.root"]);
    for (let t = 2; t < 10; t++) expect(later[t - 1]).toEqual([`t${t}.c0`, `t${t}.c1`, `t${t}.c2`, `t${t}.c3`, `t${t}.root`]);
  });

  it("keeps a child that outlives a restart: held by the new tracer, its root ending in the old one", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => void uncaught.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      start({ maxTraceWaitMs: 50, scheduleDelayMs: 0 });
      const root = startSpan("old.root");
      await shutdown();
      const { memory } = start({ maxTraceWaitMs: 50, scheduleDelayMs: 0 });
      startSpan("new.child", { parent: root }).end();
      root.end();
      for (let i = 0; i < 200 && memory.spans.length === 0; i++) await sleep(10);
      expect(memory.spans.map((s) => s.name)).toEqual(["new.child"]);
      expect(stats().queued).toBe(0);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it("sends every span once while thousands of traces come and go around one that stays open", async () => {
    const { memory } = start({ maxTraceWaitMs: 60_000 });
    const open: Span = startSpan("long.root");
    startSpan("long.c0", { parent: open }).end();
    for (let t = 0; t < 3000; t++) trace(`t${t}`, 1);
    await sleep(0);
    // Its child still waits for its root while the others go.
    expect(memory.spans.filter((s) => s.name.startsWith("long."))).toHaveLength(0);
    expect(memory.spans.length).toBeGreaterThan(0);
    startSpan("long.c1", { parent: open }).end();
    open.end();
    await flush();
    expect(memory.spans).toHaveLength(3000 * 2 + 3);
    expect(new Set(memory.spans.map((s) => s.spanId)).size).toBe(memory.spans.length);
    const long = memory.batches.filter((b) => b.spans.some((s) => s.name.startsWith("long.")));
    expect(long).toHaveLength(1);
    expect(long[0]?.spans.filter((s) => s.name.startsWith("long.")).map((s) => s.name)).toEqual(["long.c0", "long.c1", "long.root"]);
    expect(stats().dropped.queueFull).toBe(0);
  });

  it("still lets the open trace go after maxTraceWaitMs once thousands of others came and went", async () => {
    const { memory } = start({ maxTraceWaitMs: 150, scheduleDelayMs: 0 });
    const open = startSpan("long.root");
    startSpan("long.c0", { parent: open }).end();
    for (let t = 0; t < 3000; t++) trace(`t${t}`, 1);
    for (let i = 0; i < 300 && !memory.spans.some((s) => s.name === "long.c0"); i++) await sleep(10);
    expect(memory.spans.filter((s) => s.name === "long.c0")).toHaveLength(1);
    open.end();
    await flush();
    expect(memory.spans).toHaveLength(3000 * 2 + 2);
  });

  it("lets waiting traces go oldest first", async () => {
    const { memory } = start({ maxTraceWaitMs: 120, scheduleDelayMs: 0 });
    const roots = ["a", "b", "c"].map((name) => startSpan(`${name}.root`));
    for (const [i, r] of roots.entries()) {
      startSpan(`${["a", "b", "c"][i]}.c0`, { parent: r }).end();
      await sleep(40);
    }
    for (let i = 0; i < 300 && memory.spans.length < 3; i++) await sleep(10);
    expect(memory.spans.map((s) => s.name)).toEqual(["a.c0", "b.c0", "c.c0"]);
    for (const r of roots) r.end();
  });
});
