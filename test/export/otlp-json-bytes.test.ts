import { afterEach, describe, expect, it } from "vitest";
import { encodeOtlpJsonBytes } from "../../src/core/export/otlp-json.js";
import { createMemoryExporter, encodeOtlpJson, flush, init, shutdown, span, startSpan } from "spanwise/node";
import { encodeOtlpJson as reference } from "../helpers/otlp-json-reference.js";

afterEach(async () => {
  await shutdown();
});

describe("OTLP/JSON as bytes", () => {
  // The reference is the string encoder the byte writer replaced (test/helpers/otlp-json-reference.ts).
  it("writes exactly the UTF-8 of the reference encoder's text, whatever the strings hold", async () => {
    const memory = createMemoryExporter();
    init({ serviceName: "bytes ✓", exporters: [memory], flushOnExit: false });
    const texts = ["plain", "héllo ✓ 🚀", "lone \ud800 surrogate", "tail \udc00", "ctrl \u0001\n\t\"quoted\" \\ back", "x".repeat(5000), "", "𝄞".repeat(100)];
    for (const text of texts) {
      span(text || "empty", (s) => {
        s.setAttribute(`key ${text.slice(0, 20)}`, text);
        s.setAttribute("list", [text, "b"]);
        s.addEvent("event", { text });
        s.setStatus("error", text);
      });
    }
    startSpan("linked", { links: [{ context: { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1, traceState: "a=ü" } }] }).end();
    await flush();
    const batch = memory.batches[0]!;
    expect(batch.spans).toHaveLength(texts.length + 1);
    const bytes = encodeOtlpJsonBytes(batch);
    expect(Buffer.from(bytes).equals(Buffer.from(new TextEncoder().encode(reference(batch))))).toBe(true);
    expect(encodeOtlpJson(batch)).toBe(reference(batch));
    const decoded = JSON.parse(new TextDecoder().decode(bytes)) as { resourceSpans: { scopeSpans: { spans: { attributes: { value: { stringValue?: string } }[] }[] }[] }[] };
    const values = decoded.resourceSpans[0]!.scopeSpans[0]!.spans.slice(0, texts.length).map((s) => s.attributes[0]!.value.stringValue);
    // Lone surrogates travel as \u escapes and come back as themselves.
    expect(values).toEqual(batch.spans.slice(0, texts.length).map((s) => Object.values(s.attributes)[0]));
    expect(values[2]).toBe("lone \ud800 surrogate");
  });
  it("writes each value right when one key's value repeats, changes or comes back, first in a list or not", async () => {
    // The encoder keeps a repeated key/value pair's text: every position in this sequence must
    // still read back as its own value, in one request and in the next (the cache outlives a request).
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false });
    const values = ["a", "a", "a", "b", "b", "a", "", "", "é \"q\"", "é \"q\"", "a", 1, "1", "1", true, "true", "x".repeat(65), "x".repeat(65), "y".repeat(64), "y".repeat(64), "a"];
    for (let round = 0; round < 2; round++) {
      // Each key comes first in every other span, so a kept entry must open with "[" or ",".
      const order = (i: number) => (i % 2 === 0 ? ["k", "gen_ai.request.model"] : ["gen_ai.request.model", "k"]);
      values.forEach((value, i) => {
        span("s", (s) => {
          for (const key of order(i)) s.setAttribute(key, value);
        });
      });
      await flush();
      const batch = memory.batches.at(-1)!;
      for (const text of [encodeOtlpJson(batch), new TextDecoder().decode(encodeOtlpJsonBytes(batch))]) {
        const decoded = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: { attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[] };
        const seen = decoded.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
        const want = values.map((v, i) => order(i).map((key) => [key, typeof v === "number" ? String(v) : v]));
        expect(seen).toEqual(want);
      }
    }
  });
  it("encodes a request of many spans, growing its buffer, as exactly the UTF-8 of the reference's text", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false, maxAttributeValueLength: 400_000 });
    for (let i = 0; i < 300; i++) {
      span(`step ${i} ✓`, (s) => {
        s.setAttribute("note", `${"é".repeat(i % 50)} 🚀 ${i}`);
        // Three-byte characters make the whole of one long span: its bytes must all fit too.
        if (i === 150) s.setAttribute("long", "✓".repeat(300_000));
        s.setAttribute("i", i);
      });
    }
    await flush();
    const batch = memory.batches[0]!;
    const text = reference(batch);
    // Far more than the buffer sized for 300 typical spans, so it grows, in the middle of a long value.
    expect(text.length).toBeGreaterThan(1024 + 300 * 768);
    expect(Buffer.from(encodeOtlpJsonBytes(batch)).equals(Buffer.from(new TextEncoder().encode(text)))).toBe(true);
    expect(JSON.parse(text).resourceSpans[0].scopeSpans[0].spans).toHaveLength(300);
  });
});
