import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES, measureWorkerdHotPath, startHotPathWorker } from "../../bench/workerd-hot-path.js";

// The workerd hot-path row times requests from outside, so it is only the hot path if each case
// really records every span of the workload inside workerd, with context that survives `await`.

describe("the hot-path Worker (bench/fixtures/worker-hot-path.ts) in workerd", () => {
  let mf: Miniflare | undefined;
  let get: (query: string) => Promise<string>;

  beforeAll(async () => {
    ({ mf, get } = await startHotPathWorker());
  });
  afterAll(async () => {
    // Undefined when starting it failed: that error is the one to see.
    await mf?.dispose();
  });

  it.each(CASES)("%s: keeps the current span across an await", async (c) => {
    expect(await get(`nesting=${c}`)).toBe("true");
    await get(`settle=${c}`);
  });

  it.each(CASES)("%s: queues five spans per trace, and settling drops them", async (c) => {
    await get(`case=${c}&n=3`);
    await get(`case=${c}&n=4`);
    expect(await get(`settle=${c}`)).toBe("35");
    expect(await get(`settle=${c}`)).toBe("0");
  });

  it("refuses a case it does not have", async () => {
    await expect(get("case=nope&n=1")).rejects.toThrow(/404 no case nope/);
  });
});

describe("measureWorkerdHotPath", () => {
  // Its own checks (context across an await, every span queued, the Workers build) throw if they fail.
  it("passes its own checks for every case and times each over the spans of a request", async () => {
    const r = await measureWorkerdHotPath(20, 2);
    expect(r.spansPerRequest).toBe(100);
    for (const ns of [r.spanwiseNs, r.otelNs, r.floorNs, r.bareAlsNs]) expect(Number.isFinite(ns)).toBe(true);
  });
});
