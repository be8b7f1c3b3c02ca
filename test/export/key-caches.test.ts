import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, encodeOtlpJson, encodeOtlpProto, flush, init, shutdown, startSpan } from "spanwise/node";
import { quietLogger } from "../helpers/collector.js";

// Both encoders keep per-key caches across requests (src/core/export/otlp-proto.ts,
// json-attributes.ts). They are bounded in keys; this holds them to a bound in bytes too, where
// maxAttributeKeyLength lets keys of up to 100,000 characters through: a stream of distinct long
// keys must leave nothing of them behind once their spans are gone.

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function heapAfterCollection(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

afterEach(shutdown);

describe("the encoders' key caches", () => {
  it("keep nothing of long keys once their spans are gone, and still encode them right", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], maxAttributeKeyLength: 100_000, maxQueueSize: 10_000, maxExportBatchSize: 10_000, scheduleDelayMs: 60_000, logger: quietLogger() });
    const encodeRound = async (round: number): Promise<void> => {
      // 100 spans, each with a key of 20,000 characters never seen before (and a short one).
      for (let i = 0; i < 100; i++) {
        const s = startSpan("long-keys");
        s.setAttribute(`${String(round * 100 + i).padStart(6, "0")}${"k".repeat(19_994)}`, "v");
        s.setAttribute("short", i);
        s.end();
      }
      await flush();
      const batch = memory.batches.at(-1)!;
      const proto = encodeOtlpProto(batch);
      const json = encodeOtlpJson(batch);
      expect(proto.byteLength).toBeGreaterThan(100 * 20_000);
      expect(json.length).toBeGreaterThan(100 * 20_000);
      memory.reset();
    };
    // The first round also loads what encoding needs.
    await encodeRound(0);
    const before = heapAfterCollection();
    // 900 more keys: 1,001 in all, under both caches' bounds in keys (1,024 and 4,096), so
    // neither empties itself on the way.
    for (let round = 1; round <= 9; round++) await encodeRound(round);
    const grown = heapAfterCollection() - before;
    // 900 keys of 20,000 characters are 18 MB as text. Kept by either cache (the protobuf
    // encoder's holds each field's bytes, the JSON one each literal and opening), they stayed at
    // 37–40 MB each here.
    expect(grown).toBeLessThan(8_000_000);
  });
});
