import { afterEach, describe, expect, it } from "vitest";
import { type FloorSpan, floorHotPath, floorSpan } from "../../bench/floor.js";
import { spanwiseTrace } from "../../bench/workload.js";
import { createMemoryExporter, flush, init, shutdown } from "../../src/runtimes/node/index.js";

function pairs(list: readonly unknown[], count: number): [string, unknown][] {
  return Array.from({ length: count }, (_, i) => [list[2 * i] as string, list[2 * i + 1]]);
}

// The hot-path row's floor is only a floor if it does the work the row asks of a tracer. These
// hold it to that: spans nested through AsyncLocalStorage, ids, times, attributes, all queued.

describe("the hot path's floor (bench/floor.ts)", () => {
  afterEach(shutdown);

  it("makes a parent and four children per trace, nested through the async context, and queues every one", () => {
    const floor = floorHotPath();
    floor.run(3);
    const spans = floor.queued();
    expect(spans).toHaveLength(3 * floor.unitsPerIteration);
    const roots = spans.filter((s) => s.parent === undefined);
    expect(roots.map((r) => r.name)).toEqual(["agent.run", "agent.run", "agent.run"]);
    for (const s of spans) {
      if (s.parent === undefined) continue;
      expect(s.name).toBe("tool.search");
      expect(roots).toContain(s.parent);
      expect(s.trace).toBe(s.parent.trace);
    }
    // Each root's four children end (and queue) before it.
    expect(roots.map((r) => spans.indexOf(r))).toEqual([4, 9, 14]);
    // Three traces, three 128-bit ids.
    expect(new Set(roots.map((r) => r.trace)).size).toBe(3);
    expect(new Set(roots.map(({ trace: t }) => `${t.w0}:${t.w1}:${t.w2}:${t.w3}`)).size).toBe(3);
  });

  it("does the same work as the spanwise case of the row: the same spans, nesting and attributes", async () => {
    const memory = createMemoryExporter();
    init({ serviceName: "floor-test", exporters: [memory], flushOnExit: false });
    spanwiseTrace(false);
    await flush();
    const ours = memory.spans;
    const floor = floorHotPath();
    floor.run(1);
    const bare = floor.queued();
    // The same spans in the same order (children end first), each with its parent's name and
    // the same attributes.
    const shape = (name: string, parentName: string | undefined, attributes: Record<string, unknown>) => ({ name, parentName, attributes });
    expect(bare.map((s) => shape(s.name, s.parent?.name, Object.fromEntries(pairs(s.attributes ?? [], s.attributeCount))))).toEqual(
      ours.map((s) => shape(s.name, ours.find((p) => p.spanId === s.parentSpanId)?.name, { ...s.attributes })),
    );
  });

  it("gives each span its own id, a start and an end, and its five attributes", () => {
    const floor = floorHotPath();
    const before = performance.now();
    floor.run(2);
    const after = performance.now();
    const spans = floor.queued();
    expect(new Set(spans.map((s) => `${s.idHi}:${s.idLo}`)).size).toBe(spans.length);
    for (const s of spans) {
      expect(s.startTime).toBeGreaterThanOrEqual(before);
      expect(s.endTime).toBeGreaterThanOrEqual(s.startTime);
      expect(s.endTime).toBeLessThanOrEqual(after);
      expect(s.attributeCount).toBe(5);
    }
    expect(spans[0]?.attributes).toEqual(["tool.name", "search", "gen_ai.request.model", "gpt-4o-mini", "gen_ai.usage.input_tokens", 120, "llm.temperature", 0.7, "cache.hit", true]);
    expect(spans[4]?.attributes?.slice(0, 2)).toEqual(["gen_ai.agent.name", "support-bot"]);
  });
});

describe("floorSpan", () => {
  it("queues a span whose body throws, and the error reaches the caller unchanged", async () => {
    const floor = floorHotPath();
    const boom = new Error("boom");
    const fail = (): never => {
      throw boom;
    };
    expect(() => floorSpan("fails", () => floorSpan("inner", fail))).toThrow(boom);
    expect(floor.queued().map((s) => s.name)).toEqual(["inner", "fails"]);
    expect(floor.queued()[0]?.parent).toBe(floor.queued()[1]);
  });

  it("keeps the span current across await and queues it when the promise settles", async () => {
    const floor = floorHotPath();
    const result = floorSpan("async", async () => {
      await new Promise((r) => setTimeout(r, 5));
      return floorSpan("after-await", () => 42);
    });
    expect(floor.queued().map((s) => s.name)).toEqual([]);
    await expect(result).resolves.toBe(42);
    expect(floor.queued().map((s) => s.name)).toEqual(["after-await", "async"]);
    expect(floor.queued()[0]?.parent).toBe(floor.queued()[1]);
    const [inner, outer] = floor.queued() as [FloorSpan, FloorSpan];
    expect(outer.endTime).toBeGreaterThanOrEqual(inner.endTime);
  });
});
