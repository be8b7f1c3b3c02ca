import { afterEach, describe, expect, it } from "vitest";
import { recordFixture } from "../../bench/encode.js";
import { floorJson } from "../../bench/json-floor.js";
import { encodeOtlpJsonBytes } from "../../src/core/export/otlp-json.js";
import { type ExportBatch, createMemoryExporter, flush, init, shutdown, span, startSpan } from "../../src/runtimes/node/index.js";

// The OTLP/JSON row's floor is only a floor if it does all the work the row asks of an encoder:
// these hold it to writing exactly the bytes spanwise's encoder writes, and to refusing (not
// mis-writing) what it does not encode.

// Byte for byte: latin1 maps each byte to one character, so no invalid UTF-8 is papered over.
const text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

async function record(body: () => void, options: { maxAttributes?: number } = {}): Promise<ExportBatch> {
  const memory = createMemoryExporter();
  init({ serviceName: "json-floor-test", exporters: [memory], flushOnExit: false, ...options });
  body();
  await flush();
  const first = memory.batches[0];
  if (first === undefined) throw new Error("nothing exported");
  return { resource: first.resource, scope: first.scope, spans: [...memory.spans] };
}

describe("the OTLP/JSON row's floor (bench/json-floor.ts)", () => {
  afterEach(shutdown);

  it("writes the bench's request byte for byte as spanwise's encoder does, first time and again", async () => {
    const { batch } = await recordFixture();
    const ours = encodeOtlpJsonBytes(batch);
    const first = floorJson(batch);
    expect(first.byteLength).toBeGreaterThan(600 * batch.spans.length);
    expect(text(first)).toBe(text(ours));
    // Again, with its per-trace and per-key pieces kept, into the buffer of the request before.
    const again = floorJson(batch, new Uint8Array(first.buffer));
    expect(again.buffer).toBe(first.buffer);
    expect(text(again)).toBe(text(ours));
    expect(JSON.parse(new TextDecoder().decode(again)).resourceSpans[0].scopeSpans[0].spans).toHaveLength(batch.spans.length);
  });

  it("matches spanwise where values change and come back, and on spans with no attributes, an error status, dropped attributes and events", async () => {
    const batch = await record(
      () => {
        for (let i = 0; i < 12; i++) {
          span(`step.${i % 3}`, (s) => {
            s.setAttribute("pick", ["a", "b", "a", "a"][i % 4] as string);
            s.setAttribute("mode", ["x", "x", "y", "y"][i % 4] as string);
            s.setAttribute("count", i * 1_000_003);
            s.setAttribute("ratio", i / 7 + 0.5);
            s.setAttribute("ok", i % 2 === 0);
            s.setAttribute("extra", "dropped past the limit");
            if (i % 5 === 0) s.addEvent("tick", { n: i });
            if (i % 5 === 1) s.addEvent("empty");
            span("inner", () => undefined);
          });
        }
        const failed = startSpan("failed");
        failed.setStatus("error");
        failed.end();
      },
      { maxAttributes: 5 },
    );
    expect(batch.spans.some((s) => s.droppedAttributesCount > 0)).toBe(true);
    expect(batch.spans.some((s) => s.events.length > 0 && Object.keys(s.events[0]!.attributes).length === 0)).toBe(true);
    const floor = text(floorJson(batch));
    expect(floor).toBe(text(encodeOtlpJsonBytes(batch)));
    expect(floor).toContain('"status":{"code":2}');
    expect(floor).toContain('"attributes":[]');
  });

  it("writes times on both sides of the 1,000 s its kept digits last, and before 2001", async () => {
    const times = [1_700_000_999_999.25, 1_700_001_000_000.5, 1_700_000_999_998.125, 2_000_000_000_000.75, 999_999_999_999.5, 86_400_000.001];
    const batch = await record(() => {
      for (const t of times) startSpan("timed", { startTime: t }).end(t + 0.5);
    });
    expect(batch.spans.map((s) => s.startTime)).toEqual(times);
    const floor = text(floorJson(batch));
    expect(floor).toBe(text(encodeOtlpJsonBytes(batch)));
    expect(floor).toContain('"startTimeUnixNano":"999999999999500000"');
    expect(floor).toContain('"startTimeUnixNano":"1700001000000500000"');
  });

  it("refuses what the bench's spans do not have instead of writing other bytes, every time", async () => {
    // Each case with a check that its batch has what the floor must refuse.
    const cases: [string, () => void, (batch: ExportBatch) => boolean][] = [
      ["a non-ASCII name", () => span("café", () => undefined), (b) => b.spans[0]?.name === "café"],
      ["a value to escape", () => span("quote", (s) => void s.setAttribute("q", 'say "hi"')), (b) => b.spans[0]?.attributes.q === 'say "hi"'],
      ["a negative integer", () => span("minus", (s) => void s.setAttribute("n", -1)), (b) => b.spans[0]?.attributes.n === -1],
      ["a status message", () => span("message", (s) => void s.setStatus("error", "boom")), (b) => b.spans[0]?.statusMessage === "boom"],
      ["an array", () => span("array", (s) => void s.setAttribute("list", ["a", "b"])), (b) => Array.isArray(b.spans[0]?.attributes.list)],
      ["a bigint", () => span("big", (s) => void s.setAttribute("n", 2n ** 60n)), (b) => typeof b.spans[0]?.attributes.n === "bigint"],
      ["an infinite number", () => span("inf", (s) => void s.setAttribute("x", Number.POSITIVE_INFINITY)), (b) => b.spans[0]?.attributes.x === Number.POSITIVE_INFINITY],
      [
        "a remote parent with trace state",
        () => startSpan("continued", { parent: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, traceState: "k=v", isRemote: true } }).end(),
        (b) => b.spans[0]?.traceState === "k=v" && b.spans[0]?.parentSpanId === "b7ad6b7169203331",
      ],
      [
        "a link",
        () => startSpan("linked", { links: [{ context: { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 } }] }).end(),
        (b) => b.spans[0]?.links.length === 1,
      ],
    ];
    for (const [what, body, has] of cases) {
      const batch = await record(body);
      await shutdown();
      expect(has(batch), what).toBe(true);
      // Twice: what it refused once must not come back from a kept piece.
      expect(() => floorJson(batch), what).toThrow(/the JSON floor encodes/);
      expect(() => floorJson(batch), what).toThrow(/the JSON floor encodes/);
    }
  });

  it("writes into the buffer it is lent when that is big enough, and into a new one when not", async () => {
    const batch = await record(() => {
      for (let i = 0; i < 20; i++) span("grow", (s) => {
          s.setAttribute("long", "x".repeat(60));
        });
    });
    const expected = text(encodeOtlpJsonBytes(batch));
    const small = new Uint8Array(64);
    const out = floorJson(batch, small);
    expect(out.buffer).not.toBe(small.buffer);
    expect(text(out)).toBe(expected);
    // Lent buffers of every size up to the request's: each grows at a different point.
    for (let size = 1; size <= out.byteLength + 8; size++) {
      if (text(floorJson(batch, new Uint8Array(size))) !== expected) throw new Error(`wrong bytes when lent ${size} bytes`);
    }
    const big = new Uint8Array(out.byteLength * 2);
    const reused = floorJson(batch, big);
    expect(reused.buffer).toBe(big.buffer);
    expect(text(reused)).toBe(expected);
  });
});
