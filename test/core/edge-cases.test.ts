import { afterEach, describe, expect, it } from "vitest";
import { encodeOtlpJson, extract, flush, type ObserveOptions, observe, shutdown, span, startSpan, stats } from "spanwise/node";
import { only, start } from "./helpers.js";

const UNSAMPLED = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00" };

function drops(): number {
  const d = stats().dropped;
  return d.queueFull + d.exportFailed + d.notSampled + d.shutdown + d.rejected;
}

describe("edge cases the counters and the wire format must survive", () => {
  afterEach(() => shutdown());

  it("ends streams, generators and responses of an unsampled trace, keeping exported + dropped == ended", async () => {
    start();
    const parent = extract(UNSAMPLED);
    const gen = observe(function* numbers() {
      yield 1;
      yield 2;
    }, { parent });
    const stream = observe(() => new ReadableStream({ start: (c) => { c.enqueue("a"); c.close(); } }), { parent });
    const response = observe(() => new Response("body"), { parent });
    expect([...gen()]).toEqual([1, 2]);
    const reader = stream().getReader();
    while (!(await reader.read()).done);
    expect(await response().text()).toBe("body");
    await flush();
    const s = stats();
    expect(s.started).toBe(3);
    expect(s.ended).toBe(3);
    expect(s.dropped.notSampled).toBe(3);
    expect(s.exported + drops()).toBe(s.ended);
  });

  it("counts a span that ends while shutdown is flushing instead of stranding it", async () => {
    const waiting: (() => void)[] = [];
    const exported: string[] = [];
    start({
      exporters: [
        {
          name: "slow",
          async export(batch) {
            await new Promise<void>((resolve) => waiting.push(resolve));
            exported.push(...batch.spans.map((sp) => sp.name));
            return { ok: true };
          },
        },
      ],
      maxExportBatchSize: 1,
      maxQueueSize: 10,
    });
    const late = startSpan("late");
    span("first", () => 1);
    const done = shutdown();
    late.end();
    const drain = setInterval(() => waiting.splice(0).forEach((resolve) => resolve()), 5);
    await done;
    clearInterval(drain);
    const s = stats();
    expect(s.ended).toBe(2);
    expect(s.exported + drops()).toBe(2);
  });

  it("turns a non-string span name into text so the OTLP payload stays valid", async () => {
    const { memory } = start();
    const weird = observe(() => 1, { name: 42 as unknown as string });
    weird();
    startSpan({ x: 1 } as unknown as string).end();
    await flush();
    for (const s of memory.spans) expect(typeof s.name).toBe("string");
    const body = JSON.parse(encodeOtlpJson(memory.batches[0]!)) as { resourceSpans: { scopeSpans: { spans: { name: unknown }[] }[] }[] };
    for (const s of body.resourceSpans[0]!.scopeSpans[0]!.spans) expect(typeof s.name).toBe("string");
  });

  it("accepts a started span as the parent of another", async () => {
    const { memory } = start();
    const parent = startSpan("queue consumer");
    startSpan("message", { parent }).end();
    parent.end();
    await flush();
    const child = only(memory, "message");
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(child.traceId).toBe(parent.traceId);
    expect(child.parentIsRemote).toBe(false);
  });

  it("ignores setStatus('unset') after an error, as OpenTelemetry specifies", async () => {
    const { memory } = start();
    span("failing", (s) => {
      s.setStatus("error", "boom");
      s.setStatus("unset");
    });
    await flush();
    expect(only(memory, "failing").statusCode).toBe("error");
    expect(only(memory, "failing").statusMessage).toBe("boom");
  });

  it("still runs the function once when observe options are hostile", async () => {
    start();
    let calls = 0;
    const hostile = { get name(): string { throw new Error("getter"); }, skipArgs: { length: 1 } } as unknown as ObserveOptions;
    const fn = observe((x: number) => {
      calls++;
      return x * 2;
    }, hostile);
    expect(fn(21)).toBe(42);
    expect(span("s", hostile as never, () => "ok")).toBe("ok");
    expect(calls).toBe(1);
  });

  it("keeps every span type, and a kind from plain JavaScript outside SpanType as given", async () => {
    const { memory } = start();
    const types = ["span", "agent", "llm", "tool", "retrieval", "embedding", "workflow"] as const;
    for (const kind of types) span(`typed ${kind}`, { kind }, () => 1);
    span("untyped", { kind: "chain" as never }, () => 1);
    await flush();
    for (const kind of types) expect(only(memory, `typed ${kind}`).type).toBe(kind);
    expect(only(memory, "untyped").type).toBe("chain");
    expect(only(memory, "typed llm").kind).toBe("client");
    expect(only(memory, "typed tool").attributes["gen_ai.operation.name"]).toBe("execute_tool");
  });

  it("encodes a mixed integer and fractional array as doubles, keeping OTLP arrays homogeneous", async () => {
    const { memory } = start();
    span("numbers", (s) => s.setAttribute("values", [1, 1.5, 2]));
    await flush();
    const json = encodeOtlpJson(memory.batches[0]!);
    expect(json).toContain('"arrayValue":{"values":[{"doubleValue":1},{"doubleValue":1.5},{"doubleValue":2}]}');
  });
});
