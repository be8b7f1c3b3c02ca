import { afterEach, describe, expect, it } from "vitest";
import { encodeOtlpJsonBytes } from "../../src/core/export/otlp-json.js";
import * as sdk from "../../src/runtimes/node/index.js";
import { type ExportBatch, type ReadableSpan, createMemoryExporter, encodeOtlpJson, flush, init, shutdown, span } from "../../src/runtimes/node/index.js";
import { encodeOtlpJson as reference } from "../helpers/otlp-json-reference.js";
import { plainSpan } from "../helpers/plain-span.js";
import { randomBatch } from "../helpers/random-batch.js";

// The OTLP/JSON encoder writes bytes directly (src/core/export/otlp-json.ts). The string encoder
// it replaced, kept as test/helpers/otlp-json-reference.ts, is the oracle: for any batch whose
// spans have the types ReadableSpan declares, the bytes must be exactly the UTF-8 of its text.
// Compared as latin1 so invalid UTF-8 cannot hide. (Where the reference wrote invalid JSON, for
// values of other types or ids that are not hex, the encoder writes valid JSON: the last test.)
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
const expected = (batch: ExportBatch): string => latin1(new TextEncoder().encode(reference(batch)));

describe("OTLP/JSON bytes against the string encoder they replaced", () => {
  afterEach(shutdown);

  it("writes exactly its UTF-8 for random batches, again into the buffer of the request before", async () => {
    let lent: Uint8Array<ArrayBuffer> | undefined;
    let kinds = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const batch = await randomBatch(sdk, seed);
      await shutdown();
      const want = expected(batch);
      const first = encodeOtlpJsonBytes(batch, lent);
      expect(latin1(first), `seed ${seed}`).toBe(want);
      // The second time its per-key and per-trace pieces are kept.
      const again = encodeOtlpJsonBytes(batch, new Uint8Array(first.buffer));
      expect(latin1(again), `seed ${seed}, again`).toBe(want);
      expect(encodeOtlpJson(batch)).toBe(reference(batch));
      lent = again;
      kinds |= batch.spans.some((s) => s.links.length > 0) ? 1 : 0;
      kinds |= batch.spans.some((s) => s.parentIsRemote && s.traceState) ? 2 : 0;
      kinds |= batch.spans.some((s) => s.droppedEventsCount > 0) ? 4 : 0;
      kinds |= batch.spans.some((s) => s.droppedAttributesCount > 0) ? 8 : 0;
    }
    // The batches did hold links, remote parents with trace state, and dropped events and attributes.
    expect(kinds).toBe(15);
  });

  it("writes spans that are not span records, with odd ids and times, as the string encoder did", () => {
    const base = plainSpan();
    const times = [0, -5, Number.NaN, 0.0000004, 0.9999996, 999.9999999, 1e12 - 0.0000001, 1e13, 2 ** 53, 2 ** 60, 1e22, Infinity, 946_684_800_000.5];
    // Long names (some of several bytes a character) make the request outgrow any buffer it is lent.
    const spans = times.map((t, i) => ({ ...base, startTime: t, endTime: t, name: `t${i} ${(i % 2 ? "é" : "n").repeat(900)}`, parentSpanId: i % 2 ? "b7ad6b7169203331" : "", traceState: i % 3 ? undefined : "k=v" }) as ReadableSpan);
    const batch: ExportBatch = { resource: {}, scope: { name: "spanwise", version: "0.0.0" }, spans };
    expect(latin1(encodeOtlpJsonBytes(batch))).toBe(expected(batch));
    // Lent buffers from too small (not used) through every size the request outgrows at some write, to big enough.
    const size = encodeOtlpJsonBytes(batch).byteLength;
    expect(size).toBeGreaterThan(1024 + 768 * spans.length);
    for (let n = 0; n <= size + 80; n += 13) {
      const lent = new Uint8Array(n);
      const out = encodeOtlpJsonBytes(batch, lent);
      expect(latin1(out), `lent ${n}`).toBe(expected(batch));
      if (n < 1024 + 768 * spans.length) expect(out.buffer).not.toBe(lent.buffer);
      if (n >= size + 64) expect(out.buffer).toBe(lent.buffer);
    }
    // A lent view that does not start at its buffer's start is written from its own start.
    const inner = new Uint8Array(new ArrayBuffer(size + 200), 24, size + 100);
    inner.fill(0x7b);
    const out = encodeOtlpJsonBytes(batch, inner);
    expect(out.buffer).toBe(inner.buffer);
    expect(out.byteOffset).toBe(24);
    expect(latin1(out)).toBe(expected(batch));
    expect(new Uint8Array(inner.buffer, 0, 24).every((b) => b === 0)).toBe(true);
  });

  it("stays right while more keys come than it keeps (1,024), from one request to the next", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false, maxQueueSize: 10_000, maxExportBatchSize: 10_000 });
    // One key first on every span, then 1,500 keys in turn, seven a span: the key cache is emptied
    // while the first position still holds the first key's entry from before, and values repeat
    // so kept entries are in play.
    for (let i = 0; i < 400; i++) {
      span("many keys", (s) => {
        s.setAttribute("gen_ai.request.model", "gpt-4o");
        for (let j = 0; j < 7; j++) s.setAttribute(`key.${(i * 7 + j) % 1500}`, j % 2 ? "same" : i % 3);
      });
    }
    await flush();
    const batch: ExportBatch = { ...memory.batches[0]!, spans: memory.spans };
    expect(batch.spans).toHaveLength(400);
    for (let round = 0; round < 3; round++) expect(latin1(encodeOtlpJsonBytes(batch))).toBe(expected(batch));
  });

  it("keeps a request whole when a span's getter encodes another one while it is written", () => {
    const inner: ExportBatch = { resource: { "service.name": "inner" }, scope: { name: "spanwise", version: "0" }, spans: [] };
    const plain = (name: string): ReadableSpan =>
      ({
        traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
        spanId: "00f067aa0ba902b7",
        parentIsRemote: false,
        traceFlags: 1,
        get name() {
          // The inner request is whole too.
          expect(encodeOtlpJson(inner)).toBe(reference(inner));
          return name;
        },
        kind: "internal",
        startTime: 1_700_000_000_000,
        endTime: 1_700_000_000_001,
        attributes: { k: name },
        events: [],
        links: [],
        statusCode: "ok",
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      }) as unknown as ReadableSpan;
    const batch: ExportBatch = { resource: { "service.name": "outer" }, scope: { name: "spanwise", version: "0" }, spans: [plain("a"), plain("b")] };
    expect(latin1(encodeOtlpJsonBytes(batch))).toBe(expected(batch));
  });

  it("writes valid JSON for values of other types than declared and for ids that are not hex", () => {
    // A processor may assign anything to a span's name or status; a hand-made span may hold any
    // count, kind or id. The reference wrote some of these as invalid JSON; every one parses here.
    const odd = {
      traceId: 'ab"cd',
      spanId: "\ud800",
      parentSpanId: "é",
      parentIsRemote: true,
      traceFlags: 1,
      name: 7,
      kind: "sideways",
      startTime: 1,
      endTime: 2,
      attributes: { n: 1 },
      events: [{ time: 3, name: "e", attributes: {} }],
      links: [{ traceId: "x", spanId: "y", attributes: {}, droppedAttributesCount: -1 }],
      statusCode: "constructor",
      statusMessage: 404,
      droppedAttributesCount: 1.5,
      droppedEventsCount: Number.NaN,
      droppedLinksCount: 1e21,
    } as unknown as ReadableSpan;
    const batch: ExportBatch = { resource: {}, scope: { name: "spanwise", version: undefined as unknown as string }, spans: [odd] };
    const parsed = JSON.parse(encodeOtlpJson(batch)) as { resourceSpans: { scopeSpans: { scope: { version: string }; spans: Record<string, unknown>[] }[] }[] };
    const scope = parsed.resourceSpans[0]!.scopeSpans[0]!;
    expect(scope.scope.version).toBe("undefined");
    expect(scope.spans[0]).toMatchObject({ traceId: 'ab"cd', spanId: "\ud800", parentSpanId: "é", name: "7", kind: 0, droppedAttributesCount: 1.5, droppedEventsCount: 0, droppedLinksCount: 1e21, status: { code: 0, message: "404" } });
    expect((scope.spans[0]!.links as { droppedAttributesCount: number }[])[0]!.droppedAttributesCount).toBe(-1);
    // An event without its count (undefined) gets 0.
    expect((scope.spans[0]!.events as { droppedAttributesCount: unknown }[])[0]!.droppedAttributesCount).toBe(0);
  });
});
