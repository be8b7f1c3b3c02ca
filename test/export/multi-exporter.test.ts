import { afterEach, describe, expect, it } from "vitest";
import { type SpanExporter, createMemoryExporter, flush, init, observe, shutdown, span, startSpan, stats } from "spanwise/node";
import { type Collector, attrs, quietLogger, startCollector } from "../helpers/collector.js";

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

async function traceSomeWork(): Promise<void> {
  const run = observe(
    async () => {
      await span("retrieve", { kind: "retrieval", attributes: { "docs.count": 3 } }, async () => "docs");
      startSpan("notify", { spanKind: "client" }).end();
      return "ok";
    },
    { name: "agent-run", kind: "agent", spanKind: "server" },
  );
  await run();
}

describe("several exporters at once", () => {
  it("sends the same spans to a memory exporter and to the OTLP endpoint", async () => {
    collector = await startCollector();
    const memory = createMemoryExporter();
    expect(init({ serviceName: "multi", endpoint: collector.url, exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() })).toBe(true);

    await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(1);
    const wire = collector.spans();
    expect(memory.spans).toHaveLength(3);
    expect(wire).toHaveLength(3);
    const key = (s: { traceId: string; spanId: string; parentSpanId?: string | undefined; name: string }): string => `${s.traceId}/${s.spanId}/${s.parentSpanId ?? "-"}/${s.name}`;
    expect(wire.map(key).sort()).toEqual(memory.spans.map(key).sort());
    for (const w of wire) {
      const m = memory.spans.find((s) => s.spanId === w.spanId)!;
      expect(Object.keys(attrs(w.attributes)).sort()).toEqual(Object.keys(m.attributes).sort());
    }
    expect(memory.batches[0]!.resource["service.name"]).toBe("multi");
    expect(attrs(collector.requests[0]!.body!.resourceSpans[0]!.resource.attributes)["service.name"]).toEqual({ stringValue: "multi" });
    const s = stats();
    expect(s.exported).toBe(3);
    expect(s.exportErrors).toBe(0);
  });

  it("uses one OTLP exporter when both an endpoint and \"otlp\" are given", async () => {
    collector = await startCollector();
    const memory = createMemoryExporter();
    init({ endpoint: collector.url, exporters: [memory, "otlp"], scheduleDelayMs: 60_000, logger: quietLogger() });

    await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(1);
    expect(collector.spans()).toHaveLength(3);
    expect(memory.spans).toHaveLength(3);
  });

  it("still delivers to the other exporters when one exporter throws", async () => {
    collector = await startCollector();
    const memory = createMemoryExporter();
    const broken: SpanExporter = {
      name: "broken",
      export: async () => {
        throw new Error("disk on fire");
      },
    };
    init({ endpoint: collector.url, exporters: [broken, memory], scheduleDelayMs: 60_000, logger: quietLogger() });

    await traceSomeWork();
    await expect(flush()).resolves.toBeUndefined();

    expect(memory.spans).toHaveLength(3);
    expect(collector.spans()).toHaveLength(3);
    const s = stats();
    expect(s.exportErrors).toBe(1);
    expect(s.lastError).toContain("disk on fire");
  });

  it("does not let an exporter that never settles hold flush past the export timeout", async () => {
    collector = await startCollector();
    const hung: SpanExporter = { name: "hung", export: () => new Promise(() => undefined) };
    init({ endpoint: collector.url, exporters: [hung], exportTimeoutMs: 100, logger: quietLogger() });

    await traceSomeWork();
    await expect(flush()).resolves.toBeUndefined();

    expect(collector.spans()).toHaveLength(3);
    const s = stats();
    expect(s.exportErrors).toBe(1);
    expect(s.lastError).toContain("hung");
  });
});
