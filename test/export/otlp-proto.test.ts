import { afterEach, describe, expect, it } from "vitest";
import { type ExportBatch, createMemoryExporter, encodeOtlpJson, encodeOtlpProto, extract, flush, init, shutdown, span, startSpan, stats } from "spanwise/node";
import { type Collector, otlpJsonFromProto, quietLogger, referenceProto, startCollector } from "../helpers/collector.js";
import { plainSpan } from "../helpers/plain-span.js";

// The independent decoder: protobufjs code generated from the official opentelemetry-proto files.
const { ExportTraceServiceRequest, ExportTraceServiceResponse } = referenceProto();

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

/** Decodes a protobuf request into proto3 JSON form: ids as hex, 64-bit integers as decimal strings. */
function decode(bytes: Uint8Array): unknown {
  const object = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(bytes), { longs: String, enums: Number, bytes: Array, arrays: true });
  return canonical(object);
}

// The message each length-delimited field holds, by message and field number (opentelemetry-proto).
const MESSAGES: Record<string, Record<number, string>> = {
  request: { 1: "resourceSpans" },
  resourceSpans: { 1: "resource", 2: "scopeSpans" },
  resource: { 1: "keyValue" },
  scopeSpans: { 1: "scope", 2: "span" },
  scope: { 3: "keyValue" },
  span: { 9: "keyValue", 11: "event", 13: "link", 15: "status" },
  event: { 3: "keyValue" },
  link: { 4: "keyValue" },
  status: {},
  keyValue: { 2: "anyValue" },
  anyValue: { 5: "arrayValue", 6: "keyValueList" },
  arrayValue: { 1: "anyValue" },
  keyValueList: { 1: "keyValue" },
};

/**
 * Walks a request the way a strict decoder does: every field of every message must end inside
 * that message. protobufjs is lenient there (it reads a varint past the length around it), so
 * a wrong length can decode fine and still be refused by a collector.
 */
function expectWellFormed(bytes: Uint8Array, from = 0, to = bytes.length, type = "request"): void {
  let p = from;
  const varint = (): number => {
    let v = 0;
    for (let scale = 1; ; scale *= 128) {
      if (p >= to) throw new Error(`a varint runs past the end of a ${type} (bytes ${from}-${to})`);
      const b = bytes[p++]!;
      v += (b & 127) * scale;
      if (b < 128) return v;
    }
  };
  while (p < to) {
    const key = varint();
    const wire = key & 7;
    const field = Math.floor(key / 8);
    if (wire === 0) varint();
    else if (wire === 1 || wire === 5) p += wire === 1 ? 8 : 4;
    else if (wire === 2) {
      const len = varint();
      const child = MESSAGES[type]?.[field];
      if (child !== undefined && p + len <= to) expectWellFormed(bytes, p, p + len, child);
      p += len;
    } else throw new Error(`wire type ${wire} in a ${type}`);
    if (p > to) throw new Error(`field ${field} runs past the end of a ${type} (bytes ${from}-${to})`);
  }
}

const ID_FIELDS = new Set(["traceId", "spanId", "parentSpanId"]);

/**
 * One form for both encodings, so they can be compared whole: byte ids as hex, proto3 defaults
 * (0, "", empty lists and messages) left out, non-finite doubles spelled as in proto3 JSON.
 */
function canonical(value: unknown, key = ""): unknown {
  if (ID_FIELDS.has(key) && Array.isArray(value)) return (value as number[]).map((b) => b.toString(16).padStart(2, "0")).join("");
  if (key === "doubleValue" && typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (key === "intValue" || key.endsWith("UnixNano")) return String(value);
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = canonical(v, k);
      const empty = c === 0 || c === "" || c === "0" || (Array.isArray(c) && c.length === 0) || (typeof c === "object" && c !== null && !Array.isArray(c) && Object.keys(c).length === 0 && k !== "value" && k !== "values");
      if (!empty || (k === "intValue" && c === "0")) out[k] = c;
    }
    return out;
  }
  return value;
}

/** Makes spans that use every field the trace request has; returns how many ended. */
async function traceEveryField(): Promise<number> {
  const remote = extract({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: "vendor=abc,other=x" })!;
  const producer = startSpan("enqueue", { parent: null, spanKind: "producer" });
  producer.end();
  await span("handle", { parent: remote, spanKind: "server" }, async (s) => {
    s.setAttributes({
      "attr.string": "héllo ✓ 🚀",
      "attr.empty": "",
      "attr.int": 123,
      "attr.zero": 0,
      "attr.negative": -7,
      "attr.large": Number.MAX_SAFE_INTEGER,
      "attr.double": 3.25,
      "attr.negative.double": -0.5,
      "attr.infinity": Number.POSITIVE_INFINITY,
      "attr.bool": true,
      "attr.false": false,
      "attr.bigint": 9007199254740993n,
      "attr.min.int64": -(2n ** 63n),
      "attr.strings": ["a", "", "ü"],
      "attr.ints": [1, -2, 3],
      "attr.doubles": [1.5, 2],
      "attr.bools": [true, false],
      "attr.with.null": ["x", null],
      "attr.long.text": "x".repeat(300),
    });
    s.addEvent("checkpoint", { "checkpoint.step": 2, "checkpoint.note": "halfway" });
    s.addEvent("bare");
    startSpan("consume", { spanKind: "consumer", links: [{ context: remote, attributes: { "link.reason": "batch" } }, { context: producer.spanContext() }] }).end();
    span("client-call", { spanKind: "client" }, (c) => {
      c.setStatus("ok");
    });
    await span("failing", async (f) => {
      f.setStatus("error", "tool exploded: ✗");
    });
    span("failing-quietly", (f) => {
      f.setStatus("error");
    });
    // Over the limits set in init: dropped attributes, events and links are counted.
    const crowded = startSpan("crowded", { links: [{ context: remote }, { context: remote }, { context: remote }] });
    for (let i = 0; i < 40; i++) crowded.setAttribute(`k${i}`, i);
    for (let i = 0; i < 5; i++) crowded.addEvent(`e${i}`, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13, n: 14, o: 15, p: 16, q: 17, r: 18, s: 19, t: 20, u: 21, v: 22, w: 23, x: 24, y: 25, z: 26, aa: 27, bb: 28, cc: 29, dd: 30, ee: 31, ff: 32, gg: 33 });
    crowded.end();
  });
  return 7;
}

describe("OTLP/HTTP protobuf", () => {
  it("round-trips spans with every field type through a decoder generated from opentelemetry-proto", async () => {
    collector = await startCollector(() => ({ status: 200, body: "" }));
    const memory = createMemoryExporter();
    init({
      serviceName: "proto-svc",
      serviceVersion: "2.0.0",
      endpoint: collector.url,
      protocol: "http/protobuf",
      exporters: [memory, "otlp"],
      resourceAttributes: { "cloud.region": "eu-west-1", "host.cores": 8, "feature.on": true, ratio: 0.5 },
      maxAttributes: 32,
      maxEvents: 3,
      maxLinks: 2,
      scheduleDelayMs: 60_000,
      logger: quietLogger(),
    });

    const ended = await traceEveryField();
    await flush();

    expect(collector.requests).toHaveLength(1);
    const req = collector.requests[0]!;
    expect(req.headers["content-type"]).toBe("application/x-protobuf");
    expect(memory.batches).toHaveLength(1);
    expect(memory.spans).toHaveLength(ended);

    expectWellFormed(req.bytes);
    const decoded = decode(req.bytes) as { resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[] };
    // The same batch through our OTLP/JSON encoder (itself checked against real receivers).
    const expected = canonical(JSON.parse(encodeOtlpJson(memory.batches[0]!)));
    expect(decoded).toEqual(expected);
    // The test collector's reading of protobuf requests (the default encoding) is the OTLP/JSON
    // request itself, zero counts and all, so tests may read a request whichever way it came.
    expect(otlpJsonFromProto(req.bytes)).toEqual(JSON.parse(encodeOtlpJson(memory.batches[0]!)));

    // And spot checks on the decoded bytes, so the comparison cannot pass by both being empty.
    const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(ended);
    const byName = (name: string) => spans.find((s) => s.name === name) as Record<string, unknown>;
    const handle = byName("handle");
    expect(handle).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_ID, traceState: "vendor=abc,other=x", kind: 2, flags: 0x301 });
    const attributes = Object.fromEntries((handle.attributes as { key: string; value: unknown }[]).map((kv) => [kv.key, kv.value]));
    expect(attributes["attr.string"]).toEqual({ stringValue: "héllo ✓ 🚀" });
    expect(attributes["attr.int"]).toEqual({ intValue: "123" });
    expect(attributes["attr.negative"]).toEqual({ intValue: "-7" });
    expect(attributes["attr.bigint"]).toEqual({ intValue: "9007199254740993" });
    expect(attributes["attr.min.int64"]).toEqual({ intValue: "-9223372036854775808" });
    expect(attributes["attr.double"]).toEqual({ doubleValue: 3.25 });
    expect(attributes["attr.infinity"]).toEqual({ doubleValue: "Infinity" });
    expect(attributes["attr.bool"]).toEqual({ boolValue: true });
    expect(attributes["attr.doubles"]).toEqual({ arrayValue: { values: [{ doubleValue: 1.5 }, { doubleValue: 2 }] } });
    expect(attributes["attr.ints"]).toEqual({ arrayValue: { values: [{ intValue: "1" }, { intValue: "-2" }, { intValue: "3" }] } });
    expect(attributes["attr.with.null"]).toEqual({ arrayValue: { values: [{ stringValue: "x" }, {}] } });
    expect((handle.events as { name: string }[]).map((e) => e.name)).toEqual(["checkpoint", "bare"]);
    expect(byName("failing").status).toEqual({ code: 2, message: "tool exploded: ✗" });
    expect(byName("client-call").status).toEqual({ code: 1 });
    expect(byName("failing-quietly").status).toEqual({ code: 2 });
    const consume = byName("consume");
    expect(consume.links).toMatchObject([
      { traceId: TRACE_ID, spanId: PARENT_ID, traceState: "vendor=abc,other=x", flags: 0x301, attributes: [{ key: "link.reason", value: { stringValue: "batch" } }] },
      { flags: 0x101 },
    ]);
    const crowded = byName("crowded");
    expect(crowded.droppedAttributesCount).toBe(8);
    expect(crowded.droppedEventsCount).toBe(2);
    expect(crowded.droppedLinksCount).toBe(1);
    expect((crowded.events as { droppedAttributesCount: number }[])[0]!.droppedAttributesCount).toBe(1);
    expect(BigInt(handle.endTimeUnixNano as string)).toBeGreaterThanOrEqual(BigInt(handle.startTimeUnixNano as string));
    expect(BigInt(handle.startTimeUnixNano as string) / 1_000_000n).toBeGreaterThan(BigInt(Date.now() - 60_000));
    const resource = Object.fromEntries(decoded.resourceSpans[0]!.resource.attributes.map((kv) => [(kv as { key: string }).key, (kv as { value: unknown }).value]));
    expect(resource["service.name"]).toEqual({ stringValue: "proto-svc" });
    expect(resource["host.cores"]).toEqual({ intValue: "8" });
    expect(resource["feature.on"]).toEqual({ boolValue: true });
    expect(resource.ratio).toEqual({ doubleValue: 0.5 });
    expect(decoded.resourceSpans[0]!.scopeSpans[0]!.scope).toMatchObject({ name: "spanwise" });
    expect(stats().exported).toBe(ended);
  });

  it("encodes a large batch whose nested lengths need multi-byte varints", async () => {
    collector = await startCollector(() => ({ status: 200, body: "" }));
    init({ endpoint: collector.url, protocol: "http/protobuf", compression: "none", scheduleDelayMs: 60_000, logger: quietLogger() });
    await span("big", async (s) => {
      s.setAttribute("payload", "words, ".repeat(2_000));
      // A second one takes the span past 16 KiB, more than the two length bytes reserved for it.
      s.setAttribute("payload.more", "more words ".repeat(1_200));
      for (let i = 0; i < 200; i++) span(`child-${i}`, (c) => c.setAttribute("i", i));
    });
    await flush();
    expectWellFormed(collector.requests[0]!.bytes);
    const decoded = decode(collector.requests[0]!.bytes) as { resourceSpans: { scopeSpans: { spans: { name: string; attributes: { value: { stringValue?: string } }[] }[] }[] }[] };
    const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(201);
    const big = spans.find((s) => s.name === "big")!;
    expect(big.attributes.find((a) => a.value.stringValue?.startsWith("words"))!.value.stringValue).toHaveLength(14_000);
    expect(big.attributes.find((a) => a.value.stringValue?.startsWith("more words"))!.value.stringValue).toHaveLength(13_200);
    expect(spans.filter((s) => s.name.startsWith("child-"))).toHaveLength(200);
    expect(collector.requests[0]!.headers["content-encoding"]).toBeUndefined();
  });

  it("writes each value right when one key's value repeats, changes, comes back or changes type, at every size limit", async () => {
    // The encoder writes short values with their lengths worked out first and keeps a repeated
    // key/value pair's bytes: every position in this sequence must still decode to its own value,
    // well formed, under every field that holds attributes (resource, span, event, link), in one
    // request and in the next (the cache outlives a request).
    const memory = createMemoryExporter();
    // A key's field is its tag, length and bytes: 3 bytes for "k", 112 (the longest the fast path
    // takes) for 110 q's, 113 for 111 r's. Around each, the longest value a one-byte length holds.
    const keys = ["k", "gen_ai.request.model", "q".repeat(110), "r".repeat(111)];
    init({ exporters: [memory], resourceAttributes: Object.fromEntries(keys.map((key) => [key, "resource"])), scheduleDelayMs: 60_000, logger: quietLogger() });
    const twice = (...vs: unknown[]) => vs.flatMap((v) => [v, v]);
    const values = [
      ...["a", "a", "a", "b", "b", "a", "", "", "é", "é", "a", "resource"],
      ...twice("y".repeat(11), "y".repeat(12), "z".repeat(120), "z".repeat(121), "x".repeat(130)),
      ...twice(1, 300, 1, 0, -1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER),
      ...twice(1.5, -0.5, -0, Number.NaN, Number.POSITIVE_INFINITY, true, false),
      "a",
    ];
    const link = { context: { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: 1 } };
    for (let round = 0; round < 2; round++) {
      for (const value of values) {
        const attrs = Object.fromEntries(keys.map((key) => [key, value]));
        const s = startSpan("s", { links: [{ ...link, attributes: attrs }] });
        s.setAttributes(attrs);
        s.addEvent("e", attrs);
        s.end();
      }
      await flush();
      const batch = memory.batches.at(-1)!;
      const bytes = encodeOtlpProto(batch);
      expectWellFormed(bytes);
      type Attrs = { key: string; value: unknown }[];
      const decoded = decode(bytes) as { resourceSpans: { scopeSpans: { spans: { attributes: Attrs; events: { attributes: Attrs }[]; links: { attributes: Attrs }[] }[] }[] }[] };
      expect(decoded).toEqual(canonical(JSON.parse(encodeOtlpJson(batch))));
      const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
      expect(spans).toHaveLength(values.length);
      // And against the values themselves, so a shared mistake in both encoders cannot pass.
      const valuesOf = (attrs: Attrs) => attrs.map((a) => a.value);
      const seen = spans.map((s) => [valuesOf(s.attributes), valuesOf(s.events[0]!.attributes), valuesOf(s.links[0]!.attributes)]);
      const want = values.map((v) => {
        const value = typeof v === "string" ? { stringValue: v } : typeof v === "boolean" ? { boolValue: v } : Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: Number.isNaN(v) ? "NaN" : Number.isFinite(v) ? v : "Infinity" };
        const all = keys.map(() => value);
        return [all, all, all];
      });
      expect(seen).toEqual(canonical(want));
    }
  });

  it("writes each span's own name when names repeat, take turns in one slot, are long or non-ASCII, or never repeat", async () => {
    // A repeated short ASCII name is copied from words kept in a slot per name length: a name
    // must come out as itself whichever name held its slot before, across requests, and among
    // thousands of names that never repeat.
    const memory = createMemoryExporter();
    init({ exporters: [memory], maxQueueSize: 10_000, maxExportBatchSize: 10_000, scheduleDelayMs: 60_000, logger: quietLogger() });
    const key = "gen_ai.request.model";
    // "tool.search" and "tool.lookup" share a slot, as do "x" and 65 y's; 64 é's are 128 bytes.
    const same = ["tool.search", "tool.search", "tool.lookup", "tool.lookup", "tool.search", "x", "x", "y".repeat(65), "y".repeat(65), "x"];
    const names = [key, ...same, key, "été ✓", "été ✓", "é".repeat(64), "é".repeat(64), "n".repeat(127), "n".repeat(127), "o".repeat(128), "o".repeat(128), "tool.search"];
    for (let round = 0; round < 3; round++) {
      const want = round === 1 ? [...names, ...Array.from({ length: 5000 }, (_, i) => `GET /users/${i}`), ...names] : names;
      for (const name of want) span(name, (s) => void s.setAttribute(key, name));
      await flush();
      const bytes = encodeOtlpProto(memory.batches.at(-1)!);
      expectWellFormed(bytes);
      const decoded = decode(bytes) as { resourceSpans: { scopeSpans: { spans: { name: string; attributes: { key: string; value: unknown }[] }[] }[] }[] };
      const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
      expect(spans.map((s) => s.name)).toEqual(want);
      expect(spans.map((s) => s.attributes)).toEqual(want.map((name) => [{ key, value: { stringValue: name } }]));
    }
  });

  it("writes every time to the nanosecond, from the first millisecond to the last that fixed64 holds", async () => {
    // Times are written as fixed64 nanoseconds worked out in doubles, without BigInt, for span
    // starts and ends (written together) and for events. Every value is k + j/64 ms, which a
    // double holds exactly, so its nanoseconds are k * 10^6 + j * 15625 with no rounding.
    const memory = createMemoryExporter();
    init({ exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() });
    const k0 = 1_763_000_000_000;
    const times: [number, number][] = [
      [1, 0],
      [1, 63],
      [k0, 1],
      [k0 + 1, 32],
      // Around 2^21 ms and 2^32 ns, where the arithmetic splits and carries.
      [2 ** 21 - 1, 63],
      [2 ** 21, 0],
      [4294, 61],
      [4294, 62],
      [k0 + 3_600_000, 17],
      [2, 0],
      // Near the end of what fixed64 holds (2^64 ns is in the year 2554).
      [18_446_744_073_708, 63],
      [k0, 62],
    ];
    const ms = ([k, j]: [number, number]) => k + j / 64;
    const nanos = ([k, j]: [number, number]) => String(BigInt(k) * 1_000_000n + BigInt(j * 15_625));
    // Each span ends 1/64 ms after it starts, so a start written as the end (or the other way) shows.
    const later = ([k, j]: [number, number]): [number, number] => [k, j + 1];
    for (let round = 0; round < 2; round++) {
      times.forEach((t, i) => {
        const s = startSpan(`t${i}`, { startTime: ms(t) });
        s.addEvent("at", {}, ms(t));
        s.end(ms(later(t)));
      });
      await flush();
      const batch = memory.batches.at(-1)!;
      const bytes = encodeOtlpProto(batch);
      expectWellFormed(bytes);
      type Times = { name: string; startTimeUnixNano: string; endTimeUnixNano: string; events: { timeUnixNano: string }[] };
      const decoded = decode(bytes) as { resourceSpans: { scopeSpans: { spans: Times[] }[] }[] };
      const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
      const seen = Object.fromEntries(spans.map((s) => [s.name, [s.startTimeUnixNano, s.endTimeUnixNano, s.events[0]!.timeUnixNano]]));
      expect(seen).toEqual(Object.fromEntries(times.map((t, i) => [`t${i}`, [nanos(t), nanos(later(t)), nanos(t)]])));
      expect(decoded).toEqual(canonical(JSON.parse(encodeOtlpJson(batch))));
    }
  });

  it("writes each span's own keys when spans set them in other orders, with keys of any length or script", async () => {
    // A key's field is kept as 8-byte words once written, and so is a repeated string value's
    // whole entry: each span must come out with its own keys and values, in its own order,
    // whatever came before, across requests.
    const memory = createMemoryExporter();
    init({ exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() });
    // The emoji's first byte falls on the seventh byte of a key field's first word ("abcd🚀"),
    // and of a repeated entry's ("abc🚀"); the long key's length takes two bytes.
    const long = `${"q".repeat(130)}🚀`;
    const sets: [string, [string, unknown][]][] = [
      ["ab", [["x", "1"], ["y", 2], ["abcd🚀", "v"], ["abc🚀", "w"]]],
      ["ab", [["x", "1"], ["y", 2], ["abcd🚀", "v"], ["abc🚀", "w"]]],
      ["cd", [["y", "2"], ["x", 1], ["abc🚀", "w"], ["abcd🚀", "v"]]],
      ["ab", [["abc🚀", "w"], ["x", "1"], [long, "long"], ["y", true]]],
      ["ab", [["x", "1"], ["y", 2], ["abcd🚀", "v"], ["abc🚀", "w"]]],
      ["ab", Array.from({ length: 8 }, (_, i): [string, unknown] => [`k${i}`, i % 2 === 0 ? `v${i}` : i])],
      ["cd", Array.from({ length: 8 }, (_, i): [string, unknown] => [`k${7 - i}`, `v${i}`])],
      ["ab", [[long, "long"], ["abc🚀", "w"]]],
      ["ab", []],
      ["cd", [["x", 1.5]]],
    ];
    const value = (v: unknown) => (typeof v === "string" ? { stringValue: v } : typeof v === "boolean" ? { boolValue: v } : Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v });
    for (let round = 0; round < 2; round++) {
      for (const [name, attrs] of [...sets, ...sets]) {
        const s = startSpan(name);
        for (const [k, v] of attrs) s.setAttribute(k, v);
        s.end();
      }
      await flush();
      const batch = memory.batches.at(-1)!;
      const bytes = encodeOtlpProto(batch);
      expectWellFormed(bytes);
      const decoded = decode(bytes) as { resourceSpans: { scopeSpans: { spans: { name: string; attributes?: { key: string; value: unknown }[] }[] }[] }[] };
      const spans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
      expect(spans.map((s) => [s.name, s.attributes ?? []])).toEqual([...sets, ...sets].map(([name, attrs]) => [name, attrs.map(([key, v]) => ({ key, value: value(v) }))]));
      expect(decoded).toEqual(canonical(JSON.parse(encodeOtlpJson(batch))));
    }
  });

  it("makes room for every write wherever the buffer ends, the cached copies of names, keys and entries included", async () => {
    // Cached bytes are copied eight at a time and may write up to seven bytes past their end, and
    // a span's ids, kind and times are written after one check for room each. The request starts
    // in a buffer of 1,024 bytes plus 320 a span: resource attributes one byte longer each time
    // (short values, which make only the room they need) move every write of the spans across
    // that end in turn, where too little room would throw (a DataView store) or lose a byte (a
    // Uint8Array store).
    const memory = createMemoryExporter();
    init({ exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() });
    for (let i = 0; i < 3; i++) {
      span("tool.search", { spanKind: "client" }, (s) => {
        s.setAttribute("gen_ai.request.model", "gpt-4o-mini");
        s.setAttribute("gen_ai.usage.input_tokens", 120 + i);
        s.setAttribute("cache.hit", i === 1);
        s.setAttribute("🚀 rocket", "v".repeat(17));
        s.addEvent("done", { "documents.count": 3 });
      });
    }
    await flush();
    const batch = memory.batches.at(-1)!;
    // Once first, so the names, keys and repeated entries are cached.
    const unpadded = encodeOtlpProto(batch).byteLength;
    const end = 1024 + 320 * batch.spans.length;
    let crossings = 0;
    for (let pad = end - unpadded - 16; pad <= end; pad++) {
      const resource: Record<string, string> = { last: "x".repeat(pad % 100) };
      for (let i = 0; i < Math.floor(pad / 100); i++) resource[`pad.${i}`] = "x".repeat(100);
      const padded: ExportBatch = { ...batch, resource: { ...batch.resource, ...resource } };
      const bytes = encodeOtlpProto(padded);
      if (bytes.byteLength > end) crossings++;
      expectWellFormed(bytes);
      expect(decode(bytes), `pad ${pad}`).toEqual(canonical(JSON.parse(encodeOtlpJson(padded))));
    }
    // The requests did outgrow the first buffer, at every byte of the spans and past them.
    expect(crossings).toBeGreaterThan(unpadded);
  });

  it("writes spans that are not span records, with an unknown kind and odd times, as a decoder reads them", () => {
    // A processor or another SDK may hand over a plain object: a kind the OTLP enum lacks is
    // written as 0 (unspecified), and a time that is not a positive number as 0.
    const spans = [
      plainSpan({ name: "known", kind: "server", attributes: { k: "v" }, startTime: 1_700_000_000_000.5, endTime: 1_700_000_000_001 }),
      plainSpan({ name: "unknown", kind: "sideways", attributes: { k: "v" }, startTime: Number.NaN, endTime: -5 }),
      plainSpan({ name: "inherited", kind: "toString", attributes: { k: "v" }, startTime: Number.POSITIVE_INFINITY, endTime: 0 }),
    ];
    const bytes = encodeOtlpProto({ resource: {}, scope: { name: "x", version: "1" }, spans });
    expectWellFormed(bytes);
    const decoded = decode(bytes) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const seen = decoded.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => [s.name, s.kind ?? 0, s.startTimeUnixNano ?? "0", s.endTimeUnixNano ?? "0", s.attributes]);
    const attrs = [{ key: "k", value: { stringValue: "v" } }];
    expect(seen).toEqual([
      ["known", 2, "1700000000000500000", "1700000000001000000", attrs],
      ["unknown", 0, "0", "0", attrs],
      ["inherited", 0, "0", "0", attrs],
    ]);
  });

  it("returns a request whose ArrayBuffer holds exactly its bytes, whatever the batch size", async () => {
    // Users send `encodeOtlpProto(batch).buffer` too (a Blob, postMessage, Buffer.from): spare
    // bytes after the request would reach the collector as an invalid field.
    const memory = createMemoryExporter();
    init({ exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() });
    for (const [count, text] of [[1, "x"], [10, "y".repeat(50)], [60, "z".repeat(400)], [400, "w".repeat(600)]] as const) {
      for (let i = 0; i < count; i++) span(`s${i}`, (s) => s.setAttributes({ text, i, ok: true }));
      await flush();
      const batch = memory.batches.at(-1)!;
      const bytes = encodeOtlpProto(batch);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      expectWellFormed(bytes);
      expect(decode(new Uint8Array(bytes.buffer))).toEqual(decode(bytes));
    }
  });

  it("reads a protobuf partial success and counts the rejected spans", async () => {
    const answer = ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject({ partialSuccess: { rejectedSpans: 2, errorMessage: "2 spans too old" } })).finish();
    collector = await startCollector(() => ({ status: 200, headers: { "content-type": "application/x-protobuf" }, body: Buffer.from(answer) as unknown as string }));
    const logger = quietLogger();
    init({ endpoint: collector.url, protocol: "http/protobuf", logger });
    await span("a", () => span("b", () => span("c", () => undefined)));
    await flush();
    const s = stats();
    expect(s.dropped.rejected).toBe(2);
    expect(s.exported).toBe(1);
    expect(logger.messages).toContain("[spanwise] the collector rejected 2 of 3 spans: 2 spans too old");
  });

  it("takes the protocol from OTEL_EXPORTER_OTLP_TRACES_PROTOCOL over OTEL_EXPORTER_OTLP_PROTOCOL", async () => {
    collector = await startCollector(() => ({ status: 200, body: "" }));
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = "http/json";
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = "http/protobuf";
    try {
      init({ endpoint: collector.url, logger: quietLogger() });
      span("from-env", () => undefined);
      await flush();
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
      delete process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
    }
    expect(collector.requests[0]!.headers["content-type"]).toBe("application/x-protobuf");
    expect(JSON.stringify(decode(collector.requests[0]!.bytes))).toContain('"name":"from-env"');
  });

  it("ignores OTEL_EXPORTER_OTLP_PROTOCOL=grpc with a warning and sends OTLP/HTTP protobuf", async () => {
    collector = await startCollector(() => ({ status: 200, body: "" }));
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = "grpc";
    const warnings: string[] = [];
    try {
      expect(init({ endpoint: collector.url, logger: { warn: (m: string) => warnings.push(m) } })).toBe(true);
      span("despite-grpc", () => undefined);
      await flush();
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
    }
    expect(warnings.filter((w) => w.includes("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is ignored: spanwise sends OTLP over HTTP (port 4318), not gRPC"))).toHaveLength(1);
    expect(collector.requests[0]!.headers["content-type"]).toBe("application/x-protobuf");
  });
});
