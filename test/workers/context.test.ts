import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OtlpSpan } from "../helpers/collector.js";
import { type RunningWorker, attr, startWorker } from "./harness.js";

const named = (spans: OtlpSpan[], name: string) => spans.find((s) => s.name === name);

describe.each([["nodejs_compat"], ["nodejs_als"]])("async context with the %s flag", (flag) => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker({ flags: [flag] });
  });
  afterAll(() => w.close());

  it("keeps the current span across await, timers and fetch", async () => {
    await (await w.get("/work?i=3")).json();
    const spans = await w.spansWhen((s) => s.length >= 4);
    const root = spans.find((s) => s.kind === 2);
    const step = named(spans, "step");
    expect(step?.parentSpanId).toBe(root?.spanId);
    expect(named(spans, "inner")?.parentSpanId).toBe(step?.spanId);
    expect(spans.find((s) => s.kind === 3)?.parentSpanId).toBe(step?.spanId);
    expect((await w.debug()).warnings).toEqual([]);
  });
});

describe("without nodejs_als or nodejs_compat", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker({ flags: [] });
  });
  afterAll(() => w.close());

  it("still nests spans synchronously and honours an explicit parent, and warns once naming the flag", async () => {
    await (await w.get("/explicit-parent")).text();
    await (await w.get("/explicit-parent")).text();
    const spans = await w.spansWhen((s) => s.filter((x) => x.name === "sync-inner").length === 2);
    const roots = spans.filter((s) => s.kind === 2 && attr(s, "url.path") === "/explicit-parent");
    expect(roots).toHaveLength(2);
    for (const root of roots) {
      const parent = spans.find((s) => s.name === "parent" && s.traceId === root.traceId);
      expect(parent?.parentSpanId).toBe(root.spanId);
      expect(spans.find((s) => s.name === "child" && s.traceId === root.traceId)?.parentSpanId).toBe(parent?.spanId);
    }
    for (const inner of spans.filter((s) => s.name === "sync-inner")) {
      expect(spans.find((s) => s.spanId === inner.parentSpanId)?.name).toBe("sync-outer");
    }
    // Without async context the export's suppression cannot follow its awaits: the exporter's
    // own untraced fetch is what keeps it out of the trace.
    expect(spans.some((s) => String(attr(s, "url.full") ?? "").startsWith(w.collector.url))).toBe(false);
    const { warnings, stats } = await w.debug();
    expect(warnings.filter((m) => m.includes("nodejs_als"))).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(stats.internalErrors).toBe(0);
  });
});
