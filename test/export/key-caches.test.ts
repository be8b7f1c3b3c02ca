import { afterEach, describe, expect, it } from "vitest";
import { type ExportBatch, createMemoryExporter, encodeOtlpJson, encodeOtlpProto, flush, init, shutdown, startSpan } from "spanwise/node";
import { quietLogger, referenceProto } from "../helpers/collector.js";
import { memoryInUse } from "../helpers/memory-in-use.js";

// Both encoders keep caches across requests (src/core/export/otlp-proto.ts: attribute keys and
// span names; json-attributes.ts: attribute keys, and the keys of the last list by position).
// They are bounded in entries; this holds them to a bound in bytes too, where spans carry long
// names (never truncated) and maxAttributeKeyLength lets keys of up to 100,000 characters through:
// nothing of a long name or key may stay behind once its spans are gone.

// The independent decoder: protobufjs code generated from the official opentelemetry-proto files.
const { ExportTraceServiceRequest } = referenceProto();

type Decoded = { resourceSpans: { scopeSpans: { spans: { name: string; attributes?: { key: string }[] }[] }[] }[] };

/** The name and keys of each span of a decoded request. */
const namesAndKeys = (request: Decoded) => request.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => [s.name, (s.attributes ?? []).map((a) => a.key)]);

/** Records spans with `record`, then encodes the batch both ways and checks that each holds every name and key. */
async function encodeBoth(memory: ReturnType<typeof createMemoryExporter>, record: () => void): Promise<void> {
  record();
  await flush();
  const batch: ExportBatch = memory.batches.at(-1)!;
  const want = batch.spans.map((s) => [s.name, Object.keys(s.attributes)]);
  const proto = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(encodeOtlpProto(batch)), { arrays: true }) as Decoded;
  const json = JSON.parse(encodeOtlpJson(batch)) as Decoded;
  // Compared as one flag each: a failing comparison of strings this long would take minutes to print.
  expect(JSON.stringify(namesAndKeys(proto)) === JSON.stringify(want)).toBe(true);
  expect(JSON.stringify(namesAndKeys(json)) === JSON.stringify(want)).toBe(true);
  memory.reset();
}

afterEach(shutdown);

describe("the encoders' caches", () => {
  it("keep nothing of long attribute keys once their spans are gone", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], maxAttributeKeyLength: 100_000, maxQueueSize: 10_000, maxExportBatchSize: 10_000, scheduleDelayMs: 60_000, logger: quietLogger() });
    // 100 spans a round, each with a key of 20,000 characters never seen before (and a short one).
    const round = (n: number) => () => {
      for (let i = 0; i < 100; i++) {
        const s = startSpan("long-keys");
        s.setAttribute(`${String(n * 100 + i).padStart(6, "0")}${"k".repeat(19_994)}`, "v");
        s.setAttribute("short", i);
        s.end();
      }
    };
    // The first round also loads what encoding needs.
    await encodeBoth(memory, round(0));
    const before = memoryInUse();
    // 500 more keys, well under both caches' bounds in keys (1,024 and 4,096) with the resource's
    // and the first round's, so neither empties itself on the way.
    for (let n = 1; n <= 5; n++) await encodeBoth(memory, round(n));
    // 500 keys of 20,000 characters are 10 MB as text. Kept by either cache (the protobuf
    // encoder's holds each field's bytes, the JSON one each literal and opening), they stayed at
    // 20 MB or more each here.
    expect(memoryInUse() - before).toBeLessThan(5_000_000);
  });

  it("keep nothing of a span's long keys in the JSON encoder's slots by position", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], maxAttributeKeyLength: 100_000, scheduleDelayMs: 60_000, logger: quietLogger() });
    // Sixteen keys, one for each slot: of 100,000 characters each, or short.
    const span = (tag: string, length: number) => () => {
      const s = startSpan("many-keys");
      for (let i = 0; i < 16; i++) s.setAttribute(`${tag}${String(i).padStart(2, "0")}${"k".repeat(length)}`, "v");
      s.end();
    };
    await encodeBoth(memory, span("warm", 99_994));
    // The slots then hold short keys, which the long ones would take the place of.
    await encodeBoth(memory, span("short", 1));
    const before = memoryInUse();
    await encodeBoth(memory, span("measured", 99_990));
    // Kept, each slot would hold its key, its literal and its opening: ~300 KB, ~4.8 MB in all.
    expect(memoryInUse() - before).toBeLessThan(2_000_000);
  });

  it("keep nothing of long span names once their spans are gone", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() });
    // 64 names of 100,000 characters and more, one for each of the protobuf encoder's name slots
    // (a slot per length modulo 64), each a name no span had before.
    const names = (tag: string, length: number) => () => {
      for (let i = 0; i < 64; i++) startSpan(`${tag}${"n".repeat(length + i)}`).end();
    };
    await encodeBoth(memory, names("warm", 99_996));
    // The slots then hold short names (of 6 to 69 characters), which the long ones would take the place of.
    await encodeBoth(memory, names("short", 1));
    const before = memoryInUse();
    await encodeBoth(memory, names("measured", 99_992));
    // Kept, the slots would hold 64 names of ~100,000 characters: ~6.4 MB.
    expect(memoryInUse() - before).toBeLessThan(2_000_000);
  });
});
