import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "../helpers/collector.js";
import { type RunningWorker, startWorker } from "./harness.js";

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  // Bounded by the test's timeout.
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("instrument(): collector unreachable or hanging", () => {
  let down: RunningWorker;
  let hanging: RunningWorker;
  beforeAll(async () => {
    const port = await closedPort();
    [down, hanging] = await Promise.all([
      startWorker({ endpoint: `http://127.0.0.1:${port}/v1/traces`, bindings: { EXPORT_TIMEOUT_MS: "1000" } }),
      startWorker({ reply: () => "hang", bindings: { EXPORT_TIMEOUT_MS: "1000" } }),
    ]);
  });
  afterAll(() => Promise.all([down.close(), hanging.close()]));

  for (const [label, worker] of [
    ["unreachable", () => down],
    ["hanging", () => hanging],
  ] as const) {
    it(`answers unaffected and counts the failure when the collector is ${label}`, async () => {
      const w = worker();
      const res = await w.get("/basic");
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("basic done");
      // The response is out while the export has not even started (it waits for the gated work).
      expect((await w.debug()).stats.exportErrors).toBe(0);
      w.helper.release();
      const { stats } = await until(w.debug, (d) => d.stats.exportErrors >= 1);
      // The event's four spans: its root, "handle", the gate fetch and "after-response".
      expect(stats.exportErrors).toBe(1);
      expect(stats.dropped.exportFailed).toBe(4);
      expect(stats.exported).toBe(0);
      expect(stats.lastError).toMatch(label === "unreachable" ? /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/traces/ : /no answer from .* within 1000 ms/);
      expect(stats.internalErrors).toBe(0);
      expect(await (await w.get("/plain")).json()).toEqual({ plain: true });
    });
  }
});
