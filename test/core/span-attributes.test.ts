import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, encodeOtlpJson, encodeOtlpProto, flush, init, shutdown, span, startSpan, stats } from "spanwise/node";
import { only, start } from "./helpers.js";

// What a user sees of span attributes: order, overwrites, the count limit with repeated keys,
// reads while the span is open, and processors editing or replacing them.

afterEach(async () => {
  await shutdown();
});

const own = (attributes: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(attributes).filter(([k]) => !k.startsWith("openinference.") && !k.startsWith("gen_ai.operation")));

describe("span attributes", () => {
  it("keep the first-set order, and a key set again takes its last value", async () => {
    const { memory } = start();
    span("ordered", (s) => {
      s.setAttribute("a", 1).setAttribute("b", "two").setAttribute("a", 3).setAttribute("c", true);
      for (let i = 0; i < 9; i++) s.setAttribute(`extra.${i}`, i);
      s.setAttribute("b", "last");
    });
    await flush();
    const attrs = own(only(memory, "ordered").attributes);
    expect(Object.keys(attrs)).toEqual(["a", "b", "c", ...Array.from({ length: 9 }, (_, i) => `extra.${i}`)]);
    expect(attrs).toMatchObject({ a: 3, b: "last", c: true, "extra.8": 8 });
    expect(only(memory, "ordered").droppedAttributesCount).toBe(0);
  });

  it("count a key set twice once against maxAttributes", async () => {
    const { memory } = start({ maxAttributes: 3 });
    const s = startSpan("limited");
    for (const key of ["a", "b", "a", "c", "d", "e"]) s.setAttribute(key, key);
    s.end();
    await flush();
    const exported = only(memory, "limited");
    expect(own(exported.attributes)).toEqual({ a: "a", b: "b", c: "c" });
    expect(exported.droppedAttributesCount).toBe(2);
  });

  it("can be read while the span is open (span.update reads them), and later writes still land", async () => {
    const { memory } = start({ maxAttributes: 5 });
    span("read-mid-way", (s) => {
      s.setAttribute("first", 1);
      s.update({ tags: ["a"] });
      s.setAttribute("first", 2);
      s.update({ tags: ["b"] });
      s.setAttributes({ second: 2, third: 3, fourth: 4, fifth: 5 });
    });
    await flush();
    const exported = only(memory, "read-mid-way");
    expect(own(exported.attributes)).toEqual({ first: 2, "tag.tags": ["a", "b"], second: 2, third: 3, fourth: 4 });
    expect(exported.droppedAttributesCount).toBe(1);
  });

  it("encode in the order and with the values the attributes object shows, numeric keys first", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false, scheduleDelayMs: 60_000, logger: { warn: () => {}, debug: () => {} } });
    span("few", (s) => {
      s.setAttribute("b", 1).setAttribute("a", "x").setAttribute("b", 2);
    });
    span("numeric", (s) => {
      s.setAttribute("b", 1).setAttribute("c", 1).setAttribute("b", 5).setAttribute("10", "ten").setAttribute("2", "two");
    });
    span("many", (s) => {
      for (let i = 0; i < 12; i++) s.setAttribute(`k${i % 10}`, i);
    });
    await flush();
    // Encoded first, while the spans hold their attributes as they were recorded...
    const batch = memory.batches[0]!;
    const json = JSON.parse(encodeOtlpJson(batch)) as { resourceSpans: { scopeSpans: { spans: { name: string; attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[] };
    const proto = encodeOtlpProto(batch);
    const encoded = Object.fromEntries(json.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => [s.name, s.attributes.map((a) => [a.key, Object.values(a.value)[0]])]));
    // ...then read as objects: the same keys, order and values, and the same protobuf bytes.
    for (const s of batch.spans) {
      const entries = Object.entries(s.attributes).map(([k, v]) => [k, typeof v === "number" ? String(v) : v]);
      expect(encoded[s.name]).toEqual(entries);
    }
    expect(Object.keys(only(memory, "numeric").attributes).slice(0, 4)).toEqual(["2", "10", "b", "c"]);
    expect(only(memory, "numeric").attributes.b).toBe(5);
    expect(only(memory, "many").attributes).toMatchObject({ k0: 10, k1: 11, k2: 2, k9: 9 });
    expect(encodeOtlpProto(batch)).toEqual(proto);
  });

  it("are one object processors can edit in place", async () => {
    const { memory } = start({
      processors: [
        (trace) => {
          for (const s of trace.spans) {
            s.attributes["team"] = "search";
            delete s.attributes["secret"];
          }
        },
      ],
    });
    span("edited", (s) => {
      s.setAttribute("secret", "x");
      s.setAttribute("kept", 1);
    });
    await flush();
    expect(own(only(memory, "edited").attributes)).toEqual({ kept: 1, team: "search" });
  });

  it("can be replaced whole by a processor, as a JavaScript processor may do to strip keys", async () => {
    const { memory, warnings } = start({
      processors: [
        (trace) => {
          // ReadableSpan types the field readonly; plain JavaScript assigns it all the same.
          for (const s of trace.spans) (s as { attributes: Record<string, unknown> }).attributes = { kept: s.attributes["kept"] };
        },
      ],
    });
    span("replaced", (s) => {
      s.setAttribute("secret", "ada@example.com");
      s.setAttribute("kept", 1);
    });
    await flush();
    expect(warnings).toEqual([]);
    expect(stats().processorErrors).toBe(0);
    expect(only(memory, "replaced").attributes).toEqual({ kept: 1 });
  });

  it("are cut to their length limit without splitting a surrogate pair", async () => {
    const { memory } = start({ maxAttributeValueLength: 16 });
    const cut = `${"a".repeat(15)}😀 and more`;
    span("emoji", (s) => {
      s.setAttribute("text", cut);
      s.setAttribute("list", [cut, "ok"]);
      s.setAttribute("object", { note: `${"b".repeat(5)}😀😀😀 and more` });
      s.setStatus("error", cut);
    });
    await flush();
    const s = only(memory, "emoji");
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    expect(s.attributes.text).toBe("a".repeat(15));
    expect(s.attributes.list).toEqual(["a".repeat(15), "ok"]);
    expect(s.statusMessage).toBe("a".repeat(15));
    for (const v of [s.attributes.text, s.attributes.object, s.statusMessage]) expect(lone.test(String(v))).toBe(false);
  });

  it("stay empty on a span that sets none, apart from its neighbours", async () => {
    const { memory } = start();
    span("bare", () => undefined);
    span("other", (s) => {
      s.setAttribute("x", 1);
    });
    await flush();
    expect(own(only(memory, "bare").attributes)).toEqual({});
    expect(own(only(memory, "other").attributes)).toEqual({ x: 1 });
  });
});
