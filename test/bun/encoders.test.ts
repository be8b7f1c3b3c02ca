// The OTLP encoders under JavaScriptCore. Both keep what repeats from span to span (attribute keys,
// whole entries, span names) as 64-bit words that they read and write as doubles, and rely on
// every such word keeping its bits through a JavaScript number, which holds in V8 for any double
// but a NaN; JavaScriptCore boxes numbers differently. The Node tests hold V8 to the oracles
// (test/export/otlp-json-differential.test.ts, test/export/otlp-proto.test.ts); this holds Bun's
// engine to the same, with each batch encoded twice so the second pass copies the kept words.
import { afterEach, expect, test } from "bun:test";
import * as bun from "spanwise/bun";
import { otlpJsonFromProto } from "../helpers/collector.ts";
import { encodeOtlpJson as reference } from "../helpers/otlp-json-reference.ts";
import { type BatchSdk, randomBatch } from "../helpers/random-batch.ts";

const sdk = bun as unknown as BatchSdk;

afterEach(bun.shutdown);

/** The request as OTLP/JSON reads it, with lone surrogates as protobuf's UTF-8 carries them (U+FFFD). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const asProtobufReadsIt = (json: string): unknown => JSON.parse(json, (_key, v: unknown) => (typeof v === "string" ? v.replace(LONE_SURROGATE, "\ufffd") : v));

test("random batches encode as the oracles say, the second time from the kept words too", async () => {
  let spans = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const batch = await randomBatch(sdk, seed);
    await bun.shutdown();
    spans += batch.spans.length;
    const want = reference(batch);
    for (const pass of ["first", "again"]) {
      expect(bun.encodeOtlpJson(batch), `seed ${seed}, ${pass}`).toBe(want);
      expect(otlpJsonFromProto(bun.encodeOtlpProto(batch)) as unknown, `seed ${seed}, ${pass}`).toEqual(asProtobufReadsIt(want));
    }
  }
  expect(spans).toBeGreaterThan(500);
});
