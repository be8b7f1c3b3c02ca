import { afterEach, describe, expect, it } from "vitest";
import { type SpanContext, flush, init, observe, shutdown, span, startSpan, stats } from "spanwise/node";
import { type Collector, type OtlpSpan, attrs, quietLogger, startCollector } from "../helpers/collector.js";

// Clock readings of the SDK (performance.timeOrigin + performance.now()) and Date.now() may
// disagree by a little; anything beyond this is a wrong timestamp, not jitter.
const CLOCK_TOLERANCE_MS = 50n;
const MS = 1_000_000n;

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

describe("OTLP/HTTP export to a real receiver", () => {
  it.each([
    ["http/protobuf, the default", undefined, /^application\/x-protobuf$/],
    ["http/json", "http/json", /^application\/json\b/],
  ] as const)("exports a span tree to an OTLP receiver with every field intact (%s)", async (_label, protocol, contentType) => {
    collector = await startCollector();
    const logger = quietLogger();
    expect(
      init({
        ...(protocol === undefined ? {} : { protocol }),
        serviceName: "support-bot",
        serviceVersion: "1.4.2",
        environment: "staging",
        endpoint: collector.url,
        apiKey: "sk-test-0123456789",
        headers: { "X-Team": "agents" },
        resourceAttributes: { "cloud.region": "eu-west-1", "host.cores": 8 },
        scheduleDelayMs: 60_000,
        logger,
      }),
    ).toBe(true);

    const before = Date.now();
    const enqueue = startSpan("enqueue", { parent: null, spanKind: "producer" });
    enqueue.end();
    const linked: SpanContext = enqueue.spanContext();
    let caught: unknown;

    const handle = observe(
      async (question: string) => {
        await span("plan", { spanKind: "internal" }, async (s) => {
          s.setAttributes({
            "attr.string": "hello",
            "attr.int": 123,
            "attr.negative": -7,
            "attr.double": 3.25,
            "attr.bool": true,
            "attr.false": false,
            "attr.bigint": 9007199254740993n,
            "attr.strings": ["a", "b"],
            "attr.ints": [1, 2, 3],
            "attr.doubles": [1.5, 2.5],
            "attr.bools": [true, false],
            "attr.object": { plan: "pro", steps: [1, 2], nested: { ok: true } },
          });
          s.addEvent("checkpoint", { "checkpoint.step": 2, "checkpoint.note": "halfway" });
          await new Promise((resolve) => setTimeout(resolve, 5));
        });
        const call = startSpan("call-llm", { spanKind: "client", links: [{ context: linked, attributes: { "link.reason": "batch" } }] });
        await new Promise((resolve) => setTimeout(resolve, 2));
        call.end();
        const tool = observe(
          async () => {
            throw new TypeError("tool exploded");
          },
          { name: "search-tool", kind: "tool" },
        );
        try {
          await tool();
        } catch (err) {
          caught = err;
        }
        return `answer to ${question}`;
      },
      { name: "handle-request", spanKind: "server" },
    );

    const result = await handle("what is spanwise?");
    await flush();
    const after = Date.now();

    expect(result).toBe("answer to what is spanwise?");
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).message).toBe("tool exploded");

    // The request itself.
    expect(collector.requests).toHaveLength(1);
    const req = collector.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/v1/traces");
    expect(req.headers["content-type"]).toMatch(contentType);
    expect(req.headers.authorization).toBe("Bearer sk-test-0123456789");
    expect(req.headers["x-team"]).toBe("agents");
    // The exporter names itself and its version (the resource's), as OTLP exporters should.
    const version = req.body?.resourceSpans[0]?.resource.attributes.find((a) => a.key === "telemetry.sdk.version")?.value.stringValue;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(req.headers["user-agent"]).toBe(`spanwise/${version}`);
    expect(req.body).toBeDefined();

    // Resource and scope.
    const body = req.body!;
    expect(body.resourceSpans).toHaveLength(1);
    const rs = body.resourceSpans[0]!;
    const resource = attrs(rs.resource.attributes);
    expect(resource["service.name"]).toEqual({ stringValue: "support-bot" });
    expect(resource["service.version"]).toEqual({ stringValue: "1.4.2" });
    expect(resource["deployment.environment.name"]).toEqual({ stringValue: "staging" });
    expect(resource["telemetry.sdk.name"]).toEqual({ stringValue: "spanwise" });
    expect(resource["telemetry.sdk.language"]).toEqual({ stringValue: "nodejs" });
    expect(resource["telemetry.sdk.version"]?.stringValue).toMatch(/^\d+\.\d+\.\d+/);
    expect(resource["cloud.region"]).toEqual({ stringValue: "eu-west-1" });
    expect(resource["host.cores"]).toEqual({ intValue: "8" });
    expect(rs.scopeSpans).toHaveLength(1);
    expect(rs.scopeSpans[0]!.scope.name).toBe("spanwise");

    const spans = rs.scopeSpans[0]!.spans;
    expect(spans.map((s) => s.name).sort()).toEqual(["call-llm", "enqueue", "handle-request", "plan", "search-tool"]);
    const byName = (name: string): OtlpSpan => spans.find((s) => s.name === name)!;
    const root = byName("handle-request");
    const plan = byName("plan");
    const call = byName("call-llm");
    const tool = byName("search-tool");
    const producer = byName("enqueue");

    // Ids, parentage and kinds.
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.traceId).not.toBe("0".repeat(32));
      expect(s.spanId).not.toBe("0".repeat(16));
    }
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    for (const child of [plan, call, tool]) {
      expect(child.traceId).toBe(root.traceId);
      expect(child.parentSpanId).toBe(root.spanId);
    }
    expect(root.parentSpanId).toBeUndefined();
    expect(producer.parentSpanId).toBeUndefined();
    expect(producer.traceId).not.toBe(root.traceId);
    expect(root.kind).toBe(2);
    expect(call.kind).toBe(3);
    expect(plan.kind).toBe(1);
    expect(tool.kind).toBe(1);
    expect(producer.kind).toBe(4);
    // Sampled, and the parent is known to be local (OTLP SpanFlags bit 8 set, bit 9 clear).
    for (const s of spans) expect(s.flags).toBe(0x101);

    // Timestamps: decimal strings, in the test's wall-clock window, children inside their parent.
    const lo = BigInt(before) * MS - CLOCK_TOLERANCE_MS * MS;
    const hi = BigInt(after) * MS + CLOCK_TOLERANCE_MS * MS;
    for (const s of spans) {
      expect(s.startTimeUnixNano).toMatch(/^\d+$/);
      expect(s.endTimeUnixNano).toMatch(/^\d+$/);
      const start = BigInt(s.startTimeUnixNano);
      const end = BigInt(s.endTimeUnixNano);
      expect(start >= lo && start <= hi, `${s.name} start ${start} in [${lo}, ${hi}]`).toBe(true);
      expect(end >= lo && end <= hi, `${s.name} end ${end} in [${lo}, ${hi}]`).toBe(true);
      expect(end >= start, `${s.name} ends after it starts`).toBe(true);
    }
    for (const child of [plan, call, tool]) {
      expect(BigInt(child.startTimeUnixNano) >= BigInt(root.startTimeUnixNano), `${child.name} starts inside its parent`).toBe(true);
      expect(BigInt(child.endTimeUnixNano) <= BigInt(root.endTimeUnixNano), `${child.name} ends inside its parent`).toBe(true);
    }
    expect(BigInt(plan.endTimeUnixNano) - BigInt(plan.startTimeUnixNano) >= 4n * MS).toBe(true);

    // Attributes as OTLP AnyValue.
    const a = attrs(plan.attributes);
    expect(a["attr.string"]).toEqual({ stringValue: "hello" });
    expect(a["attr.int"]).toEqual({ intValue: "123" });
    expect(a["attr.negative"]).toEqual({ intValue: "-7" });
    expect(a["attr.double"]).toEqual({ doubleValue: 3.25 });
    expect(a["attr.bool"]).toEqual({ boolValue: true });
    expect(a["attr.false"]).toEqual({ boolValue: false });
    expect(a["attr.bigint"]).toEqual({ intValue: "9007199254740993" });
    expect(a["attr.strings"]).toEqual({ arrayValue: { values: [{ stringValue: "a" }, { stringValue: "b" }] } });
    expect(a["attr.ints"]).toEqual({ arrayValue: { values: [{ intValue: "1" }, { intValue: "2" }, { intValue: "3" }] } });
    expect(a["attr.doubles"]).toEqual({ arrayValue: { values: [{ doubleValue: 1.5 }, { doubleValue: 2.5 }] } });
    expect(a["attr.bools"]).toEqual({ arrayValue: { values: [{ boolValue: true }, { boolValue: false }] } });
    expect(a["attr.object"]?.stringValue).toBeDefined();
    expect(JSON.parse(a["attr.object"]!.stringValue!)).toEqual({ plan: "pro", steps: [1, 2], nested: { ok: true } });
    // observe records its argument and result.
    expect(attrs(root.attributes)["input.value"]).toEqual({ stringValue: "what is spanwise?" });
    expect(attrs(root.attributes)["output.value"]).toEqual({ stringValue: "answer to what is spanwise?" });

    // Event with attributes.
    expect(plan.events).toHaveLength(1);
    const checkpoint = plan.events![0]!;
    expect(checkpoint.name).toBe("checkpoint");
    expect(checkpoint.timeUnixNano).toMatch(/^\d+$/);
    const eventTime = BigInt(checkpoint.timeUnixNano);
    expect(eventTime >= BigInt(plan.startTimeUnixNano) && eventTime <= BigInt(plan.endTimeUnixNano)).toBe(true);
    expect(attrs(checkpoint.attributes)).toEqual({ "checkpoint.step": { intValue: "2" }, "checkpoint.note": { stringValue: "halfway" } });

    // Link.
    expect(call.links).toHaveLength(1);
    const link = call.links![0]!;
    expect(link.traceId).toBe(producer.traceId);
    expect(link.spanId).toBe(producer.spanId);
    expect(attrs(link.attributes)).toEqual({ "link.reason": { stringValue: "batch" } });

    // Error recorded from a thrown error.
    expect(tool.status).toEqual({ code: 2, message: "tool exploded" });
    for (const ok of [root, plan, call, producer]) expect(ok.status.code ?? 0).toBe(0);
    const exception = tool.events?.find((e) => e.name === "exception");
    expect(exception).toBeDefined();
    const ex = attrs(exception!.attributes);
    expect(ex["exception.type"]).toEqual({ stringValue: "TypeError" });
    expect(ex["exception.message"]).toEqual({ stringValue: "tool exploded" });
    expect(ex["exception.stacktrace"]?.stringValue).toContain("TypeError: tool exploded");
    expect(exception!.timeUnixNano).toMatch(/^\d+$/);

    // Counters.
    const s = stats();
    expect(s.started).toBe(5);
    expect(s.ended).toBe(5);
    expect(s.exported).toBe(5);
    expect(s.queued).toBe(0);
    expect(s.exportErrors).toBe(0);
    expect(s.lastError).toBeUndefined();
    expect(Object.values(s.dropped).every((n) => n === 0)).toBe(true);
    expect(logger.messages.join("\n")).not.toContain("sk-test-0123456789");
  });

  it("sends a bare-origin endpoint to /v1/traces and lets a custom authorization header win over apiKey", async () => {
    collector = await startCollector();
    init({ endpoint: `http://127.0.0.1:${collector.port}`, apiKey: "ignored-key", headers: { Authorization: "Basic dXNlcjpwYXNz" }, logger: quietLogger() });
    span("one", () => undefined);
    await flush();
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]!.url).toBe("/v1/traces");
    expect(collector.requests[0]!.headers.authorization).toBe("Basic dXNlcjpwYXNz");
    expect(collector.spans().map((s) => s.name)).toEqual(["one"]);
  });

  it.each([undefined, "http/json"] as const)("exports every span when a processor writes a name or attribute values the span API would not take (%s)", async (protocol) => {
    collector = await startCollector();
    init({
      ...(protocol === undefined ? {} : { protocol }),
      endpoint: collector.url,
      logger: quietLogger(),
      maxAttributeValueLength: 100,
      processors: [
        (trace) => {
          for (const s of trace.spans) {
            // Server spans renamed after their route: one has none.
            // `name` is read-only in the types; plain JavaScript writes it anyway.
            if (s.kind === "server") (s as { name: unknown }).name = s.attributes["http.route"];
            Object.assign(s.attributes, { "app.meta": { plan: "pro" }, "app.at": new Date(0), "app.gone": null, "app.tag": Symbol("beta"), "app.long": Symbol("x".repeat(300)) });
          }
        },
      ],
    });
    span("GET /users/1", { spanKind: "server", attributes: { "http.route": "/users/:id" } }, () => 1);
    span("GET /health", { spanKind: "server" }, () => 1);
    span("background job", () => 1);
    await flush();
    expect(collector.spans().map((s) => s.name).sort()).toEqual(["/users/:id", "GET /health", "background job"]);
    const a = attrs(collector.spans().find((s) => s.name === "background job")?.attributes);
    expect(a["app.meta"]).toEqual({ stringValue: '{"plan":"pro"}' });
    expect(a["app.at"]).toEqual({ stringValue: "1970-01-01T00:00:00.000Z" });
    expect(a["app.gone"]).toBeUndefined();
    // As setAttribute writes a symbol, not an empty value.
    expect(a["app.tag"]).toEqual({ stringValue: "Symbol(beta)" });
    // Cut to the limit as any string value.
    expect(a["app.long"]).toEqual({ stringValue: `Symbol(${"x".repeat(100 - 7)}` });
    expect(stats().processorErrors).toBe(1);
    expect(stats().dropped.exportFailed).toBe(0);
  });

  it("exports nothing and makes no request when no span ended", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, logger: quietLogger() });
    await flush();
    expect(collector.requests).toHaveLength(0);
    expect(stats().exported).toBe(0);
  });

  it("exports spans that end after a flush in the next flush", async () => {
    collector = await startCollector();
    init({ endpoint: collector.url, scheduleDelayMs: 60_000, logger: quietLogger() });
    span("first", () => undefined);
    await flush();
    span("second", () => undefined);
    await flush();
    expect(collector.requests).toHaveLength(2);
    expect(collector.requests.map((r) => r.body!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name))).toEqual([["first"], ["second"]]);
    expect(stats().exported).toBe(2);
  });
});
