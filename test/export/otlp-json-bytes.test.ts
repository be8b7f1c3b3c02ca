import { afterEach, describe, expect, it } from "vitest";
import { encodeOtlpJsonBytes } from "../../src/core/export/otlp-json.js";
import { createMemoryExporter, encodeOtlpJson, flush, init, shutdown, span, startSpan } from "spanwise/node";

afterEach(async () => {
  await shutdown();
});

describe("OTLP/JSON as bytes", () => {
  it("sends exactly the UTF-8 of the JSON text, whatever the strings hold", async () => {
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
    expect(Buffer.from(bytes).equals(Buffer.from(new TextEncoder().encode(encodeOtlpJson(batch))))).toBe(true);
    const decoded = JSON.parse(new TextDecoder().decode(bytes)) as { resourceSpans: { scopeSpans: { spans: { attributes: { value: { stringValue?: string } }[] }[] }[] }[] };
    const values = decoded.resourceSpans[0]!.scopeSpans[0]!.spans.slice(0, texts.length).map((s) => s.attributes[0]!.value.stringValue);
    // Lone surrogates travel as \u escapes and come back as themselves.
    expect(values).toEqual(batch.spans.slice(0, texts.length).map((s) => Object.values(s.attributes)[0]));
    expect(values[2]).toBe("lone \ud800 surrogate");
  });
});
