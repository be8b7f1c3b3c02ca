import { SpanStatusCode, context, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, encodeOtlpJson, encodeOtlpProto, flush, init, shutdown, span, startSpan } from "spanwise/node";
import { ProtoDecodeError, decodeOtlpProto } from "../../src/cli/viewer/decode-otlp-proto.js";
import { normalizeOtlp } from "../../src/cli/viewer/normalize-otlp.js";
import { referenceProto } from "../helpers/collector.js";

// The reference encoder: protobufjs code generated from the official opentelemetry-proto files.
const { ExportTraceServiceRequest } = referenceProto();

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const bytes = (hex: string): number[] => Array.from(Buffer.from(hex, "hex"));

/** A request using every field the viewer reads, in OTLP/JSON form; `ids` picks how ids are spelled. */
function request(ids: (hex: string) => unknown): Record<string, unknown> {
  const kv = (key: string, value: unknown) => ({ key, value });
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv("service.name", { stringValue: "checkout" }), kv("host.cores", { intValue: "8" })] },
        scopeSpans: [
          {
            scope: { name: "@acme/instr", version: "1.2.3" },
            spans: [
              {
                traceId: ids(TRACE),
                spanId: ids("00f067aa0ba902b7"),
                name: "GET /cart",
                kind: 2,
                startTimeUnixNano: "1700000000123456789",
                endTimeUnixNano: "1700000000223456789",
                attributes: [
                  kv("http.request.method", { stringValue: "GET" }),
                  kv("text", { stringValue: "héllo ✓ 🚀" }),
                  kv("int", { intValue: "-7" }),
                  kv("int64.max", { intValue: "9223372036854775807" }),
                  kv("double", { doubleValue: 3.25 }),
                  kv("bool", { boolValue: true }),
                  kv("list", { arrayValue: { values: [{ stringValue: "a" }, { intValue: "2" }, { boolValue: false }] } }),
                  kv("map", { kvlistValue: { values: [kv("nested", { kvlistValue: { values: [kv("deep", { doubleValue: 0.5 })] } })] } }),
                ],
                events: [{ timeUnixNano: "1700000000200000000", name: "exception", attributes: [kv("exception.message", { stringValue: "boom" })] }],
                links: [{ traceId: ids("0af7651916cd43dd8448eb211c80319c"), spanId: ids("b7ad6b7169203331"), attributes: [kv("link.kind", { stringValue: "follows" })] }],
                status: { code: 2, message: "boom" },
                flags: 0x301,
              },
              {
                traceId: ids(TRACE),
                spanId: ids("1111111111111111"),
                parentSpanId: ids("00f067aa0ba902b7"),
                name: "chat gpt-4o",
                kind: 3,
                startTimeUnixNano: "1700000000130000000",
                endTimeUnixNano: "1700000000210000000",
                attributes: [kv("gen_ai.usage.input_tokens", { intValue: "12" })],
              },
            ],
          },
        ],
      },
    ],
  };
}

afterEach(async () => {
  await shutdown();
});

describe("decodeOtlpProto", () => {
  it("reads what the reference protobuf encoder writes as the JSON encoding of the same request reads", () => {
    const encoded = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request(bytes))).finish();
    const fromProto = normalizeOtlp(decodeOtlpProto(encoded));
    const fromJson = normalizeOtlp(JSON.parse(JSON.stringify(request((h) => h))));
    expect(fromProto).toEqual(fromJson);
    expect(fromProto.rejected).toBe(0);
    const [server, client] = fromProto.spans;
    expect(server).toMatchObject({
      traceId: TRACE,
      spanId: "00f067aa0ba902b7",
      name: "GET /cart",
      kind: 2,
      start: 1700000000123.456,
      end: 1700000000223.456,
      status: { code: 2, message: "boom" },
      resource: { "service.name": "checkout", "host.cores": 8 },
      scope: { name: "@acme/instr", version: "1.2.3" },
      events: [{ name: "exception", time: 1700000000200, attributes: { "exception.message": "boom" } }],
      links: [{ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", attributes: { "link.kind": "follows" } }],
    });
    expect(server!.attributes).toEqual({
      "http.request.method": "GET",
      text: "héllo ✓ 🚀",
      int: -7,
      "int64.max": "9223372036854775807",
      double: 3.25,
      bool: true,
      list: ["a", 2, false],
      map: { nested: { deep: 0.5 } },
    });
    expect(client).toMatchObject({ parentSpanId: "00f067aa0ba902b7", kind: 3, attributes: { "gen_ai.usage.input_tokens": 12 } });
  });

  it("reads spanwise's own protobuf encoding as its JSON encoding of the same batch reads", async () => {
    const memory = createMemoryExporter();
    init({ serviceName: "enc", exporters: [memory] });
    await span("root", { kind: "agent", attributes: { n: 1, d: 1.5, list: ["x", "y"], ok: true } }, async () => {
      const child = startSpan("child", { kind: "llm" });
      child.addEvent("first-token", { index: 0 });
      child.end();
      await span("fails", { kind: "tool" }, async () => {
        throw new Error("nope");
      }).catch(() => undefined);
    });
    await flush();
    expect(memory.batches.length).toBeGreaterThan(0);
    for (const batch of memory.batches) {
      const fromProto = normalizeOtlp(decodeOtlpProto(encodeOtlpProto(batch)));
      expect(fromProto).toEqual(normalizeOtlp(JSON.parse(encodeOtlpJson(batch))));
      expect(fromProto.spans.map((s) => s.name).sort()).toEqual(["child", "fails", "root"]);
      expect(fromProto.spans.find((s) => s.name === "fails")?.events[0]?.name).toBe("exception");
    }
  });

  it("reads the OpenTelemetry JS SDK's protobuf serialization as its JSON serialization reads", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "otel" }), spanProcessors: [new SimpleSpanProcessor(memory)] });
    const tracer = provider.getTracer("scope", "1.0.0");
    const root = tracer.startSpan("root", { attributes: { int: 42, double: 0.25, flag: true, list: ["a", "b"], nums: [1, 2.5] } });
    const child = tracer.startSpan("child", { links: [{ context: root.spanContext(), attributes: { why: "retry" } }] }, trace.setSpan(context.active(), root));
    child.addEvent("tick", { n: 1 });
    child.recordException(new TypeError("bad input"));
    child.setStatus({ code: SpanStatusCode.ERROR, message: "bad input" });
    child.end();
    root.end();
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    const fromProto = normalizeOtlp(decodeOtlpProto(ProtobufTraceSerializer.serializeRequest(spans)!));
    const fromJson = normalizeOtlp(JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)));
    expect(fromProto).toEqual(fromJson);
    expect(fromProto.spans.map((s) => s.name)).toEqual(["child", "root"]);
    expect(fromProto.spans[1]!.attributes).toEqual({ int: 42, double: 0.25, flag: true, list: ["a", "b"], nums: [1, 2.5] });
    expect(fromProto.spans[0]).toMatchObject({ parentSpanId: root.spanContext().spanId, status: { code: 2, message: "bad input" }, links: [{ spanId: root.spanContext().spanId, attributes: { why: "retry" } }] });
    expect(fromProto.spans[0]!.events.map((e) => e.name)).toEqual(["tick", "exception"]);
    await provider.shutdown();
  });

  it("refuses truncated, overlong and deeply nested input with a ProtoDecodeError", () => {
    const good = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(request(bytes))).finish();
    expect(() => decodeOtlpProto(good.subarray(0, good.length - 5))).toThrow(ProtoDecodeError);
    expect(() => decodeOtlpProto(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).toThrow(/runs past/);
    expect(() => decodeOtlpProto(new TextEncoder().encode('{"resourceSpans":[]}'))).toThrow(ProtoDecodeError);
    // An AnyValue holding an array holding an array ... 100 deep.
    let value: unknown = { stringValue: "x" };
    for (let i = 0; i < 100; i++) value = { arrayValue: { values: [value] } };
    const deep = structuredClone(request(bytes)) as { resourceSpans: { scopeSpans: { spans: { attributes: unknown[] }[] }[] }[] };
    deep.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes = [{ key: "deep", value }];
    const encoded = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(deep)).finish();
    expect(() => decodeOtlpProto(encoded)).toThrow(/nested deeper/);
  });

  it("leaves ids of the wrong length unset, so the span is rejected rather than read as another id", () => {
    const req = request(bytes) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = bytes("4bf92f3577b34da6a3ce92");
    req.resourceSpans[0]!.scopeSpans[0]!.spans[1]!.spanId = bytes("00f067aa0ba902b7ff");
    const out = normalizeOtlp(decodeOtlpProto(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(req)).finish()));
    expect(out.spans).toEqual([]);
    expect(out.rejected).toBe(2);
    expect(out.reason).toMatch(/no traceId/);
    req.resourceSpans[0]!.scopeSpans[0]!.spans.shift();
    expect(normalizeOtlp(decodeOtlpProto(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(req)).finish())).reason).toMatch(/no spanId/);
  });

  it("decodes an empty request to no spans", () => {
    expect(normalizeOtlp(decodeOtlpProto(new Uint8Array(0)))).toEqual({ spans: [], rejected: 0 });
  });
});

describe("normalizeOtlp", () => {
  it("keeps valid spans and counts the ones without valid ids as rejected", () => {
    const req = request((h) => h) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    req.resourceSpans[0]!.scopeSpans[0]!.spans[1]!.spanId = "0000000000000000";
    const out = normalizeOtlp(req);
    expect(out.spans).toHaveLength(1);
    expect(out.rejected).toBe(1);
    expect(out.reason).toMatch(/invalid spanId/);
  });

  it("accepts enum names, numeric int64 and base64 ids as protobuf JSON mappings spell them", () => {
    const out = normalizeOtlp({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: Buffer.from(TRACE, "hex").toString("base64"),
                  spanId: Buffer.from("00f067aa0ba902b7", "hex").toString("base64"),
                  name: "x",
                  kind: "SPAN_KIND_CLIENT",
                  startTimeUnixNano: 1700000000000000000,
                  endTimeUnixNano: "1700000000001000000",
                  status: { code: "STATUS_CODE_ERROR" },
                  attributes: [{ key: "n", value: { intValue: 5 } }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(out.spans[0]).toMatchObject({ traceId: TRACE, spanId: "00f067aa0ba902b7", kind: 3, status: { code: 2 }, attributes: { n: 5 } });
  });

  it("reads enum names it does not know, Object.prototype's among them, as 0", () => {
    const spans = ["constructor", "__proto__", "toString", "SPAN_KIND_NONSENSE"].map((name, i) => ({
      traceId: TRACE,
      spanId: `00f067aa0ba902b${i}`,
      name,
      kind: name,
      startTimeUnixNano: "1700000000000000000",
      endTimeUnixNano: "1700000000001000000",
      status: { code: name },
    }));
    const out = normalizeOtlp({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
    expect(out.spans.map((s) => [s.name, s.kind, s.status.code])).toEqual(spans.map((s) => [s.name, 0, 0]));
  });

  it("refuses scopeSpans or spans that are not lists, with a reason", () => {
    expect(() => normalizeOtlp({ resourceSpans: [{ scopeSpans: 5 }] })).toThrow(/scopeSpans is not a list/);
    expect(() => normalizeOtlp({ resourceSpans: [{ scopeSpans: [{ spans: {} }] }] })).toThrow(/spans is not a list/);
  });

  it("keeps an attribute named __proto__ as data, without changing what other keys read", () => {
    const kv = (key: string, value: unknown) => ({ key, value });
    const evil = { kvlistValue: { values: [kv("session.id", { stringValue: "hijacked" }), kv("gen_ai.usage.input_tokens", { intValue: "999" })] } };
    const req = request((h) => h) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const span = req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    span.attributes = [kv("__proto__", evil), kv("nested", { kvlistValue: { values: [kv("__proto__", { stringValue: "x" })] } })];
    const out = normalizeOtlp(JSON.parse(JSON.stringify(req)));
    const attributes = out.spans[0]!.attributes;
    expect(Object.getPrototypeOf(attributes)).not.toBe(Object.getPrototypeOf(evil));
    expect(attributes["session.id"]).toBeUndefined();
    expect(attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(Object.keys(attributes)).toEqual(["__proto__", "nested"]);
    expect(JSON.parse(JSON.stringify(attributes))).toEqual(JSON.parse('{"__proto__":{"session.id":"hijacked","gen_ai.usage.input_tokens":999},"nested":{"__proto__":"x"}}'));
  });
});
