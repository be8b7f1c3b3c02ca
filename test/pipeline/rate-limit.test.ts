import { afterEach, describe, expect, it } from "vitest";
import { type ReadableSpan, flush, shutdown, span, stats } from "spanwise/node";
import { sleep, start } from "../core/helpers.js";

afterEach(() => shutdown());

function byTrace(spans: readonly ReadableSpan[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of spans) out.set(s.traceId, (out.get(s.traceId) ?? 0) + 1);
  return out;
}

describe("maxSpansPerSecond", () => {
  it("admits or refuses whole traces at their first span, and counts the refused spans", async () => {
    const { memory } = start({ maxSpansPerSecond: 30 });
    const recording: boolean[][] = [];
    const began = performance.now();
    for (let i = 0; i < 50; i++) {
      span("request", (root) => {
        span("step", (step) => span("leaf", (leaf) => recording.push([root.isRecording(), step.isRecording(), leaf.isRecording()])));
      });
    }
    const elapsed = performance.now() - began;
    await flush();
    expect(recording.every(([a, b, c]) => a === b && b === c)).toBe(true);
    const admitted = recording.filter(([root]) => root).length;
    // A full bucket of 30 buys ten 3-span traces; while the loop ran, the bucket earned 30 a second more.
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(10 + Math.ceil((elapsed * 30) / 1000 / 3) + 1);
    expect(admitted).toBeLessThan(50);
    const traces = byTrace(memory.spans);
    expect(traces.size).toBe(admitted);
    expect([...traces.values()].every((n) => n === 3)).toBe(true);
    const s = stats();
    expect(s.dropped.rateLimited).toBe((50 - admitted) * 3);
    expect(s.exported + s.dropped.rateLimited).toBe(s.ended);
  });

  it("admits traces again once the bucket has refilled", async () => {
    const { memory } = start({ maxSpansPerSecond: 20 });
    for (let i = 0; i < 20; i++) span("burst", () => span("child", () => 1));
    await sleep(300);
    span("later", () => span("child", () => 1));
    await flush();
    expect(memory.spans.filter((s) => s.name === "later")).toHaveLength(1);
    expect(stats().dropped.rateLimited).toBeGreaterThan(0);
  });

  it("spends the budget only on sampled traces, so traces recorded for tail sampling do not crowd them out", async () => {
    const { memory } = start({ maxSpansPerSecond: 20, sampleRate: 0.1 });
    for (let i = 0; i < 1000; i++) span("request", () => 1);
    await flush();
    const s = stats();
    // About 100 traces are head-sampled; a bucket of 20 admits about 20 of them, so most of the
    // other ~900 must be counted as not sampled, not as rate limited.
    expect(s.dropped.notSampled).toBeGreaterThan(800);
    expect(s.dropped.rateLimited).toBeLessThan(150);
    expect(memory.spans.length).toBeGreaterThanOrEqual(10);
    expect(s.exported + s.dropped.notSampled + s.dropped.rateLimited).toBe(s.ended);
  });
});
