import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, type ExportBatch, createOtlpHttpExporter, encodeOtlpProto, extract, flush, init, shutdown, span, startSpan, stats } from "spanwise/node";
import { G } from "../../src/core/global.js";
import { type Collector, type ReceivedRequest, attrs, quietLogger, startCollector } from "../helpers/collector.js";

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";

describe("OTLP/HTTP transport and batching", () => {
  it("continues a remote trace with its trace id, parent id, tracestate and a remote-parent flag", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, logger: quietLogger() });

    const parent = extract({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: "vendor=abc" });
    expect(parent).toBeDefined();
    await span("handle", { parent, spanKind: "server" }, async () => {
      span("inner", () => undefined);
    });
    await flush();

    const spans = collector.spans();
    const handle = spans.find((s) => s.name === "handle")!;
    const inner = spans.find((s) => s.name === "inner")!;
    expect(handle.traceId).toBe(TRACE_ID);
    expect(handle.parentSpanId).toBe(PARENT_ID);
    expect(handle.traceState).toBe("vendor=abc");
    expect(handle.kind).toBe(2);
    // SpanFlags: sampled (0x01), "is remote" known (0x100) and set (0x200).
    expect(handle.flags).toBe(0x301);
    expect(inner.traceId).toBe(TRACE_ID);
    expect(inner.parentSpanId).toBe(handle.spanId);
    expect(inner.flags).toBe(0x101);
  });

  it("marks a link to a remote span context as remote in its flags", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, logger: quietLogger() });

    const remote = extract({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` })!;
    const local = startSpan("local-producer", { parent: null });
    local.end();
    startSpan("consume-batch", { parent: null, spanKind: "consumer", links: [{ context: remote }, { context: local.spanContext() }] }).end();
    await flush();

    const consumer = collector.spans().find((s) => s.name === "consume-batch")!;
    expect(consumer.kind).toBe(5);
    expect(consumer.links).toHaveLength(2);
    const [toRemote, toLocal] = consumer.links!;
    expect(toRemote!.traceId).toBe(TRACE_ID);
    expect(toRemote!.spanId).toBe(PARENT_ID);
    // OTLP Link.flags bits 8 and 9 say whether the linked context is remote, as for spans.
    expect(toRemote!.flags).toBe(0x301);
    expect(toLocal!.flags).toBe(0x101);
  });

  it("encodes explicit start and end times exactly as unix nanoseconds", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, logger: quietLogger() });

    const s = startSpan("backfilled", { startTime: new Date("2024-01-01T00:00:00.123Z") });
    s.addEvent("midway", {}, 1704067200500);
    s.end(new Date("2024-01-01T00:00:01.007Z"));
    await flush();

    const [wire] = collector.spans();
    expect(wire!.startTimeUnixNano).toBe("1704067200123000000");
    expect(wire!.endTimeUnixNano).toBe("1704067201007000000");
    expect(wire!.events![0]!.timeUnixNano).toBe("1704067200500000000");
  });

  it("splits a large queue into requests of at most maxExportBatchSize spans", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, maxExportBatchSize: 2, scheduleDelayMs: 60_000, logger: quietLogger() });

    for (let i = 0; i < 5; i++) span(`s${i}`, () => undefined);
    await flush();

    const sizes = collector.requests.map((r) => r.body!.resourceSpans[0]!.scopeSpans[0]!.spans.length);
    expect(sizes.every((n) => n >= 1 && n <= 2)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    expect(collector.spans().map((s) => s.name).sort()).toEqual(["s0", "s1", "s2", "s3", "s4"]);
    expect(stats().exported).toBe(5);
  });

  it("exports on its own after scheduleDelayMs, without a flush", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, scheduleDelayMs: 20, logger: quietLogger() });

    span("timed", () => undefined);
    await collector.waitForRequests(1);

    expect(collector.spans().map((s) => s.name)).toEqual(["timed"]);
  });

  it("exports what is still queued when shut down", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, scheduleDelayMs: 60_000, logger: quietLogger() });

    span("queued", () => undefined);
    await shutdown();

    expect(collector.spans().map((s) => s.name)).toEqual(["queued"]);
    expect(stats().exported).toBe(1);
    expect(stats().enabled).toBe(false);
  });

  it("counts a span that ends after shutdown as dropped and never sends it", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, logger: quietLogger() });

    const late = startSpan("late");
    await shutdown();
    late.end();
    await flush();

    expect(collector.spans()).toHaveLength(0);
    expect(stats().dropped.shutdown).toBe(1);
  });

  it("retries after the connection drops and then succeeds", async () => {
    collector = await startCollector((i) => (i === 0 ? "reset" : { status: 200, body: "{}" }));
    init({ endpoint: collector.url, logger: quietLogger() });

    span("resilient", () => undefined);
    await flush();

    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]!.body!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).toEqual(["resilient"]);
    const s = stats();
    expect(s.exported).toBe(1);
    expect(s.exportErrors).toBe(0);
  });

  it("reads the endpoint, headers, service name and resource from OTEL_* environment variables", async () => {
    collector = await startCollector();
    const saved = { ...process.env };
    try {
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${collector.port}`;
      process.env.OTEL_EXPORTER_OTLP_HEADERS = "x-tenant=acme,x-note=a%20b";
      process.env.OTEL_SERVICE_NAME = "from-env";
      process.env.OTEL_RESOURCE_ATTRIBUTES = "team=ml,deployment.environment.name=prod";
      expect(init({ logger: quietLogger() })).toBe(true);
    } finally {
      for (const key of ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES"]) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }

    span("env-configured", () => undefined);
    await flush();

    expect(collector.requests).toHaveLength(1);
    const req = collector.requests[0]!;
    expect(req.url).toBe("/v1/traces");
    expect(req.headers["x-tenant"]).toBe("acme");
    expect(req.headers["x-note"]).toBe("a b");
    const resource = attrs(req.body!.resourceSpans[0]!.resource.attributes);
    expect(resource["service.name"]).toEqual({ stringValue: "from-env" });
    expect(resource.team).toEqual({ stringValue: "ml" });
    expect(resource["deployment.environment.name"]).toEqual({ stringValue: "prod" });
  });

  it("gzips a request body of 1 KiB or more, and sends a smaller one as it is", async () => {
    // DESIGN.md, "From span end to the wire": gzip where the runtime can (zlib on Node). Gzipping
    // a one-span body saves ~100 bytes, for 0.2–0.3 ms of a Worker's CPU.
    collector = await startCollector();
    init({ endpoint: collector.url, logger: quietLogger() });

    span("small", () => undefined);
    await flush();
    span("large", (s) => void s.setAttribute("text", "abc ".repeat(500)));
    await flush();

    expect(collector.requests).toHaveLength(2);
    const [small, large] = collector.requests as [ReceivedRequest, ReceivedRequest];
    expect(small.headers["content-type"]).toBe("application/x-protobuf");
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.bytes.length).toBeLessThan(1024);
    expect(small.body!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).toEqual(["small"]);
    expect(large.headers["content-encoding"]).toBe("gzip");
    expect(Number(large.headers["content-length"])).toBeLessThan(large.bytes.length / 4);
    // The collector helper gunzips before decoding.
    expect(attrs(large.body!.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes).text).toEqual({ stringValue: "abc ".repeat(500) });
  });

  it("gzips from exactly compressionMinBytes, and every body with 0", async () => {
    collector = await startCollector();
    const batch: ExportBatch = { resource: { "service.name": "threshold" }, scope: { name: "spanwise", version: "1.0.0" }, spans: [] };
    // An empty batch: a body of a known, small size.
    const size = encodeOtlpProto(batch).length;
    expect(size).toBeLessThan(100);
    for (const min of [size, size + 1, 0]) {
      const result = await createOtlpHttpExporter({ endpoint: collector.url, compressionMinBytes: min }).export(batch);
      expect(result.ok).toBe(true);
    }
    expect(collector.requests.map((r) => r.headers["content-encoding"])).toEqual(["gzip", undefined, "gzip"]);
    expect(collector.requests.map((r) => r.bytes.length)).toEqual([size, size, size]);
  });

  it("throws a ConfigError naming compressionMinBytes for a value that is not a number of bytes", () => {
    for (const bad of [-1, Number.NaN, "many", "1024", true]) {
      let thrown: unknown;
      try {
        createOtlpHttpExporter({ endpoint: "http://127.0.0.1:4318/v1/traces", compressionMinBytes: bad as number });
      } catch (err) {
        thrown = err;
      }
      expect(ConfigError.isInstance(thrown), String(bad)).toBe(true);
      expect((thrown as ConfigError).field).toBe("compressionMinBytes");
      expect((thrown as ConfigError).message).toMatch(/invalid compressionMinBytes from createOtlpHttpExporter\(\): expected a number of bytes, 0 or more/);
    }
  });

  it("takes its endpoint as init() does: a bare origin gets /v1/traces", async () => {
    collector = await startCollector();
    const batch: ExportBatch = { resource: { "service.name": "origin" }, scope: { name: "spanwise", version: "1.0.0" }, spans: [] };
    const origin = new URL(collector.url).origin;
    for (const endpoint of [origin, `${origin}/`, `  ${origin}/custom/path `]) expect((await createOtlpHttpExporter({ endpoint }).export(batch)).ok).toBe(true);
    expect(collector.requests.map((r) => r.url)).toEqual(["/v1/traces", "/v1/traces", "/custom/path"]);
  });

  it("throws a ConfigError naming the endpoint at once for one init() would refuse, never showing its credentials", () => {
    const cases: [unknown, RegExp][] = [
      ["localhost:4318", /expected an http\(s\) URL such as http:\/\/localhost:4318\/v1\/traces, got "localhost:4318"$/],
      ["ftp://collector/v1/traces", /expected an http\(s\) URL/],
      ["not a url", /expected an http\(s\) URL/],
      [undefined, /expected an http\(s\) URL.*, got undefined$/],
      ["https://alice:hunter2@collector.example.com/v1/traces", /expected an http\(s\) URL without credentials; put them in headers or apiKey, got "https:\/\/REDACTED:REDACTED@collector\.example\.com\/v1\/traces"$/],
    ];
    for (const [endpoint, message] of cases) {
      let thrown: unknown;
      try {
        createOtlpHttpExporter({ endpoint: endpoint as string });
      } catch (err) {
        thrown = err;
      }
      expect(ConfigError.isInstance(thrown), String(endpoint)).toBe(true);
      const error = thrown as ConfigError;
      expect(error.field).toBe("endpoint");
      expect(error.source).toBe("createOtlpHttpExporter()");
      expect(error.message).toMatch(/^spanwise: invalid endpoint from createOtlpHttpExporter\(\): /);
      expect(error.message).toMatch(message);
      expect(`${error.message} ${String(error.value)}`).not.toContain("hunter2");
    }
  });

  it("sends uncompressed, and stops trying, where CompressionStream throws (as in Next.js's edge runtime)", async () => {
    collector = await startCollector();
    // No runtime gzip (as on the edge) and a CompressionStream that exists but throws.
    const runtime = G.runtime;
    const original = globalThis.CompressionStream;
    let made = 0;
    class Throwing {
      constructor() {
        made++;
        throw new TypeError("CompressionStream is not supported here");
      }
    }
    G.runtime = undefined;
    globalThis.CompressionStream = Throwing as unknown as typeof CompressionStream;
    try {
      const exporter = createOtlpHttpExporter({ endpoint: collector.url });
      const batch: ExportBatch = { resource: { "service.name": "edge", note: "over a kilobyte ".repeat(80) }, scope: { name: "spanwise", version: "1.0.0" }, spans: [] };
      expect(encodeOtlpProto(batch).length).toBeGreaterThan(1024);
      expect((await exporter.export(batch)).ok).toBe(true);
      expect((await exporter.export(batch)).ok).toBe(true);
      expect(made).toBe(1);
    } finally {
      G.runtime = runtime;
      globalThis.CompressionStream = original;
    }
    expect(collector.requests.map((r) => r.headers["content-encoding"])).toEqual([undefined, undefined]);
    expect(attrs(collector.requests[1]!.body!.resourceSpans[0]!.resource.attributes)["service.name"]).toEqual({ stringValue: "edge" });
  });

  it("gzips with the Node runtime's zlib, CompressionStream or not, bodies under and over 64 KiB alike", async () => {
    // spanwise/node gzips with zlib (far faster than CompressionStream on Node): take the web
    // API away and every export must still arrive compressed and whole.
    const original = globalThis.CompressionStream;
    delete (globalThis as { CompressionStream?: unknown }).CompressionStream;
    try {
      collector = await startCollector();
      init({ endpoint: collector.url, logger: quietLogger() });
      // Over 1 KiB, so it is gzipped (smaller bodies are sent as they are).
      span("small", (s) => void s.setAttribute("text", "small ".repeat(250)));
      await flush();
      for (let i = 0; i < 100; i++) span(`large ${i}`, (s) => s.setAttribute("text", `${i} `.repeat(500)));
      await flush();
      const requests = collector.requests;
      expect(requests).toHaveLength(2);
      expect(requests.map((r) => r.headers["content-encoding"])).toEqual(["gzip", "gzip"]);
      // Past 64 KiB the body is compressed on the thread pool rather than in line.
      expect(requests[1]!.bytes.length).toBeGreaterThan(64 * 1024);
      expect(requests[0]!.body!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name)).toEqual(["small"]);
      const large = requests[1]!.body!.resourceSpans[0]!.scopeSpans[0]!.spans;
      expect(large).toHaveLength(100);
      expect(attrs(large.find((s) => s.name === "large 7")!.attributes).text).toEqual({ stringValue: "7 ".repeat(500) });
    } finally {
      globalThis.CompressionStream = original;
    }
  });
});
