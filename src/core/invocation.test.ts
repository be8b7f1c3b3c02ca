import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, init, shutdown, span, startSpan, stats } from "../runtimes/node/index.js";
import { G } from "./global.js";
import { finishInvocation, startInvocation } from "./invocation.js";
import type { Tracer } from "./tracer.js";

const tracer = (): Tracer => G.tracer as Tracer;

describe("per-invocation buffering", () => {
  afterEach(() => shutdown());

  it("exports exactly the spans of one invocation when it finishes, keeping concurrent ones apart", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], scheduleDelayMs: 60_000 });
    const a = startInvocation(tracer(), "invocation a", { spanKind: "server" });
    const b = startInvocation(tracer(), "invocation b", { spanKind: "server" });
    const work = (label: string) => span(`${label} work`, async () => {
      await new Promise((r) => setTimeout(r, 5));
      await span(`${label} inner`, () => 1);
    });
    await Promise.all([tracer().storage.run(a.context, () => work("a")), tracer().storage.run(b.context, () => work("b"))]);

    expect(await finishInvocation(tracer(), a, { timeoutMs: 1000 })).toBe(true);
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["a inner", "a work", "invocation a"]);
    expect(new Set(memory.spans.map((s) => s.traceId)).size).toBe(1);
    expect(tracer().buffer.size).toBe(0);

    await finishInvocation(tracer(), b, { timeoutMs: 1000 });
    expect(memory.spans.map((s) => s.name).filter((n) => n.startsWith("b") || n.endsWith("b"))).toHaveLength(3);
  });

  it("ends spans the handler forgot, marks them, and still exports them", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    const inv = startInvocation(tracer(), "handler");
    tracer().storage.run(inv.context, () => startSpan("never ended"));
    await finishInvocation(tracer(), inv, { timeoutMs: 1000 });
    const forgotten = memory.spans.find((s) => s.name === "never ended");
    expect(forgotten?.attributes["spanwise.unfinished"]).toBe(true);
    expect(forgotten?.parentSpanId).toBe(inv.root.spanId);
    expect(memory.spans.find((s) => s.name === "handler")?.endTime).toBeGreaterThan(0);
    expect(stats().ended).toBe(2);
  });

  it("ends and counts an unsampled root, so nothing ended goes uncounted", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    const inv = startInvocation(tracer(), "unsampled", { parent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00" });
    await finishInvocation(tracer(), inv, { timeoutMs: 1000 });
    expect(memory.spans).toEqual([]);
    expect(stats()).toMatchObject({ started: 1, ended: 1, dropped: { notSampled: 1 } });
  });

  it("gives up waiting after the timeout when the exporter hangs", async () => {
    init({ exporters: [{ name: "hangs", export: () => new Promise(() => {}) }], exportTimeoutMs: 60_000 });
    const inv = startInvocation(tracer(), "slow collector");
    // A hang would never resolve: resolving false proves the bound held.
    expect(await finishInvocation(tracer(), inv, { timeoutMs: 50 })).toBe(false);
    // Counted at once, not when (or if) the hung export ever ends.
    expect(stats().dropped.exportFailed).toBe(1);
    expect(stats().lastError).toMatch(/abandoned.*flush budget of 50 ms/);
  });

  it("never counts an abandoned export twice, even when the collector answers after all", async () => {
    init({ exporters: [{ name: "slow", export: () => new Promise((r) => setTimeout(() => r({ ok: true }), 80)) }] });
    const inv = startInvocation(tracer(), "slow but fine");
    expect(await finishInvocation(tracer(), inv, { timeoutMs: 20 })).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(stats()).toMatchObject({ ended: 1, exported: 0, dropped: { exportFailed: 1 } });
  });

  it("hands the exporter a signal that aborts when the budget runs out", async () => {
    let seen: AbortSignal | undefined;
    init({ exporters: [{ name: "watches", export: (_batch, options) => ((seen = options?.signal), new Promise(() => {})) }], exportTimeoutMs: 60_000 });
    const inv = startInvocation(tracer(), "watched");
    await finishInvocation(tracer(), inv, { timeoutMs: 20 });
    expect(seen?.aborted).toBe(true);
  });
});
