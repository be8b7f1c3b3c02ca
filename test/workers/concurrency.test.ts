import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OtlpSpan } from "../helpers/collector.js";
import { type RunningWorker, attr, startWorker } from "./harness.js";

describe("instrument(): concurrent requests in one isolate", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(() => w.close());

  it("keeps 200 concurrent requests apart: every span in its own trace under the right parent, none lost", async () => {
    const n = 200;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => w.get(`/work?i=${i}`).then((r) => r.json() as Promise<{ i: string }>)));
    expect(answers.map((a) => a.i)).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    // Per request: the SERVER root, "step", the fetch's CLIENT span, "inner".
    const spans = await w.spansWhen((s) => s.length >= 4 * n);
    expect(spans).toHaveLength(4 * n);
    const byTrace = new Map<string, OtlpSpan[]>();
    for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    expect(byTrace.size).toBe(n);
    const seen = new Set<string>();
    for (const trace of byTrace.values()) {
      const root = trace.find((s) => s.kind === 2);
      const step = trace.find((s) => s.name === "step");
      const client = trace.find((s) => s.kind === 3);
      const inner = trace.find((s) => s.name === "inner");
      expect(trace).toHaveLength(4);
      expect(root?.parentSpanId ?? "").toBe("");
      expect(step?.parentSpanId).toBe(root?.spanId);
      expect(client?.parentSpanId).toBe(step?.spanId);
      expect(inner?.parentSpanId).toBe(step?.spanId);
      // The request's number travels through every span of its trace.
      const i = String(attr(step, "i"));
      expect(attr(inner, "i")).toBe(i);
      expect(attr(root, "url.full")).toBe(new URL("/work?i=REDACTED", w.url).href);
      expect(attr(client, "url.full")).toBe(`${w.helper.url}/echo?i=REDACTED`);
      seen.add(i);
    }
    expect(seen.size).toBe(n);
    const stats = (await w.debug()).stats;
    expect(stats.internalErrors).toBe(0);
    expect(stats.exportErrors).toBe(0);
  });
});
