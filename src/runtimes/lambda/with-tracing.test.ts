import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, type LambdaContext, createMemoryExporter, flush, shutdown, span, startSpan, stats, withTracing } from "./index.js";

const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");

function lambdaContext(id: string, timeoutMs = 30_000): LambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: id,
    functionName: "orders",
    functionVersion: "7",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:orders:live",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

/** Calls a wrapped handler the way the Lambda runtime does: event, context, callback. */
function invoke(handler: unknown, event: unknown, context: LambdaContext): unknown {
  return (handler as (event: unknown, context: LambdaContext, callback: () => void) => unknown)(event, context, () => {});
}

describe("withTracing", () => {
  afterEach(() => shutdown());

  it("returns the handler's very result object and rethrows its very error", async () => {
    const memory = createMemoryExporter();
    const result = { statusCode: 200, body: "ok" };
    const error = new RangeError("bad input");
    const ok = withTracing(async () => result, { exporters: [memory] });
    const fails = withTracing(async () => Promise.reject(error));
    const throwsSync = withTracing((): Promise<never> => {
      throw error;
    });
    expect(await invoke(ok, {}, lambdaContext("a"))).toBe(result);
    await expect(invoke(fails, {}, lambdaContext("b"))).rejects.toBe(error);
    // Called directly, a synchronous throw is thrown as it was (no rejected promise nobody handles).
    let thrown: unknown;
    try {
      invoke(throwsSync, {}, lambdaContext("c"));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(error);
    await flush();
    expect(memory.spans.map((s) => [s.attributes["faas.invocation_id"], s.statusCode])).toEqual([
      ["a", "unset"],
      ["b", "error"],
      ["c", "error"],
    ]);
    expect(memory.spans[0]?.attributes).toMatchObject({ "faas.name": "orders", "faas.version": "7", "cloud.region": "us-east-1", "cloud.account.id": "111122223333", "cloud.resource_id": "arn:aws:lambda:us-east-1:111122223333:function:orders:7", "aws.lambda.invoked_arn": "arn:aws:lambda:us-east-1:111122223333:function:orders:live" });
  });

  it("records the HTTP status of the result and marks a 5xx as an error", async () => {
    const memory = createMemoryExporter();
    const handler = withTracing(async () => ({ statusCode: 503, body: "down" }), { exporters: [memory] });
    await invoke(handler, { version: "2.0", routeKey: "GET /x", rawPath: "/x", headers: {}, requestContext: { http: { method: "GET", path: "/x" } } }, lambdaContext("h"));
    expect(memory.spans[0]).toMatchObject({ name: "GET /x", statusCode: "error", statusMessage: "HTTP 503" });
    expect(memory.spans[0]?.attributes["http.response.status_code"]).toBe(503);
  });

  it("honours a caller that did not sample the trace: nothing exported, the result unchanged", async () => {
    const memory = createMemoryExporter();
    const handler = withTracing(async () => span("inner", () => "fine"), { exporters: [memory] });
    const event = { version: "2.0", rawPath: "/", headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00" }, requestContext: { http: { method: "GET" } } };
    expect(await invoke(handler, event, lambdaContext("u"))).toBe("fine");
    expect(memory.spans).toEqual([]);
    expect(stats().dropped.notSampled).toBe(2);
  });

  it("exports spans that ended after an invocation finished with the next invocation", async () => {
    const memory = createMemoryExporter();
    let late: Promise<void> | undefined;
    const handler = withTracing(
      async (event: { n: number }) => {
        if (event.n === 1) late = span("background", () => sleep(30));
        return event.n;
      },
      { exporters: [memory], scheduleDelayMs: 60_000 },
    );
    await invoke(handler, { n: 1 }, lambdaContext("first"));
    expect(memory.spans.find((s) => s.name === "background")?.attributes["spanwise.unfinished"]).toBe(true);
    await late;
    await invoke(handler, { n: 2 }, lambdaContext("second"));
    expect(memory.spans.map((s) => s.attributes["faas.invocation_id"] ?? s.name)).toContain("second");
    expect(stats().queued).toBe(0);
  });

  /** Invokes a handler that answers "late" after `ms` (within a span of its own) with a deadline `timeoutMs` away; returns the root span and when the handler returned. */
  const invokeLate = async (ms: number, timeoutMs: number, timeoutGuardMs: number) => {
    const memory = createMemoryExporter();
    let returnedAt = 0;
    const handler = withTracing(
      async () => {
        startSpan("slow call");
        await sleep(ms);
        returnedAt = performance.timeOrigin + performance.now();
        return "late";
      },
      { exporters: [memory], timeoutGuardMs },
    );
    expect(await invoke(handler, {}, lambdaContext("t", timeoutMs))).toBe("late");
    return { memory, root: memory.spans.find((s) => s.name === "orders"), returnedAt };
  };

  it("ends the root span as timed out shortly before the deadline, and still returns the late result unchanged", async () => {
    const { memory, root, returnedAt } = await invokeLate(400, 300, 200);
    // The guard ended and exported the root while the handler was still running.
    expect(root?.endTime).toBeLessThan(returnedAt);
    expect(root?.attributes["error.type"]).toBe("timeout");
    expect(memory.spans.find((s) => s.name === "slow call")?.attributes["spanwise.unfinished"]).toBe(true);
  });

  it("names the trigger of a DynamoDB Streams or Kinesis invocation on its root span", async () => {
    const memory = createMemoryExporter();
    const handler = withTracing(async (event: { Records: unknown[] }) => ({ batchItemFailures: [], seen: event.Records.length }), { exporters: [memory] });
    const dynamodb = {
      Records: [{ eventID: "1", eventName: "REMOVE", eventSource: "aws:dynamodb", dynamodb: { ApproximateCreationDateTime: 1773136800, Keys: { id: { S: "o-1" } } }, eventSourceARN: "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/stream/2026-03-10T10:00:00.000" }],
    };
    const kinesis = {
      Records: [{ eventSource: "aws:kinesis", eventID: "shardId-000000000001:495903", kinesis: { partitionKey: "k", sequenceNumber: "495903", data: "aGk=" }, eventSourceARN: "arn:aws:kinesis:us-east-1:111122223333:stream/clickstream" }],
    };
    expect(await invoke(handler, dynamodb, lambdaContext("d"))).toEqual({ batchItemFailures: [], seen: 1 });
    expect(await invoke(handler, kinesis, lambdaContext("k"))).toEqual({ batchItemFailures: [], seen: 1 });
    const [table, stream] = memory.spans;
    expect(table).toMatchObject({ name: "orders", kind: "server" });
    expect(table?.attributes).toMatchObject({ "faas.trigger": "datasource", "aws.lambda.trigger": "dynamodb", "faas.document.collection": "Orders", "faas.document.operation": "delete", "faas.invocation_id": "d" });
    expect(stream).toMatchObject({ name: "process clickstream", kind: "consumer" });
    expect(stream?.attributes).toMatchObject({ "faas.trigger": "pubsub", "messaging.system": "aws.kinesis", "messaging.destination.name": "clickstream", "messaging.message.id": "495903", "faas.invocation_id": "k" });
  });

  it("traces a handler a unit test calls with the event alone", async () => {
    const memory = createMemoryExporter();
    const handler = withTracing(async (event: { n: number }) => event.n * 2, { exporters: [memory] });
    expect(await handler({ n: 21 })).toBe(42);
    expect(memory.spans.map((s) => s.attributes["faas.trigger"])).toEqual(["other"]);
    expect(stats().internalErrors).toBe(0);
  });

  it("keeps the response streaming marker and the handler's name", () => {
    const marked = Object.assign(async function streamer() {}, { [STREAMING]: "response" });
    const wrapped = withTracing(marked) as typeof marked;
    expect(wrapped[STREAMING]).toBe("response");
    expect(wrapped.name).toBe("streamer");
  });

  it("keeps the handler's arity, which the Node.js 24 runtime reads to refuse callback-style handlers", () => {
    // aws-lambda-ric 4 fails init for a non-streaming handler whose length is 3 or more.
    expect(withTracing(async (_event: unknown, _context: LambdaContext) => 1).length).toBe(2);
    expect(withTracing(async () => 1).length).toBe(0);
    expect(withTracing((_event: unknown, _context: LambdaContext, callback: (e: null, r: number) => void) => callback(null, 1)).length).toBe(3);
  });

  it("gives the Node.js 24 runtime, which passes no callback, a synchronous handler's value only after its spans are exported", async () => {
    const memory = createMemoryExporter();
    const result = { statusCode: 200 };
    const handler = withTracing((_event: unknown, _context: LambdaContext) => result, { exporters: [memory] }) as unknown as (event: unknown, context: LambdaContext) => unknown;
    // A unit test calling it gets the value itself.
    expect(handler({}, lambdaContext("unit"))).toBe(result);
    process.env.AWS_LAMBDA_RUNTIME_API = "127.0.0.1:9001";
    try {
      const answer = handler({}, lambdaContext("v4"));
      expect(answer).toBeInstanceOf(Promise);
      expect(await answer).toBe(result);
      expect(memory.spans.map((s) => s.attributes["faas.invocation_id"])).toContain("v4");
    } finally {
      delete process.env.AWS_LAMBDA_RUNTIME_API;
    }
  });

  it("under the runtime, reports a synchronous throw only after the spans are exported", async () => {
    const memory = createMemoryExporter();
    const error = new TypeError("no");
    const handler = withTracing((_event: unknown, _context: LambdaContext) => {
      throw error;
    }, { exporters: [memory] }) as unknown as (event: unknown, context: LambdaContext) => Promise<unknown>;
    process.env.AWS_LAMBDA_RUNTIME_API = "127.0.0.1:9001";
    try {
      const answer = handler({}, lambdaContext("sync-throw"));
      await expect(answer).rejects.toBe(error);
      expect(memory.spans.map((s) => [s.attributes["faas.invocation_id"], s.statusCode])).toEqual([["sync-throw", "error"]]);
    } finally {
      delete process.env.AWS_LAMBDA_RUNTIME_API;
    }
  });

  it("honours a timeoutGuardMs it was given, up to half the invocation's time", async () => {
    // A slow collector: the guard is asked to flush 450 ms before the deadline of a 1 s invocation.
    const { root, returnedAt } = await invokeLate(700, 1000, 450);
    expect(root?.attributes["error.type"]).toBe("timeout");
    expect(root?.endTime).toBeLessThan(returnedAt);
  });

  it("puts a context's own succeed, fail and done back once the invocation has ended", async () => {
    const memory = createMemoryExporter();
    const answers: unknown[] = [];
    const succeed = (result: unknown): void => void answers.push(result);
    const fail = (): void => {};
    const done = (): void => {};
    // One mock context reused across calls, as a unit test does.
    const context = Object.assign(lambdaContext("legacy"), { succeed, fail, done });
    const handler = withTracing((event: { n: number }, ctx: LambdaContext & { succeed(r: unknown): void }) => ctx.succeed({ n: event.n }), { exporters: [memory] }) as unknown as (event: unknown, context: LambdaContext) => unknown;
    handler({ n: 1 }, context);
    await flush();
    await sleep(0);
    expect([context.succeed, context.fail, context.done]).toEqual([succeed, fail, done]);
    expect(answers).toEqual([{ n: 1 }]);
    handler({ n: 2 }, context);
    await flush();
    await sleep(0);
    expect(context.succeed).toBe(succeed);
    expect(answers).toEqual([{ n: 1 }, { n: 2 }]);
    expect(memory.spans).toHaveLength(2);
  });

  it("never marks a quick invocation timed out, however little time it was given", async () => {
    const memory = createMemoryExporter();
    const handler = withTracing(
      async () => {
        await sleep(20);
        return "quick";
      },
      { exporters: [memory] },
    );
    expect(await invoke(handler, {}, lambdaContext("short", 200))).toBe("quick");
    expect(memory.spans[0]?.statusCode).toBe("unset");
    expect(memory.spans[0]?.attributes["aws.lambda.timed_out"]).toBeUndefined();
  });

  it("reads the X-Ray header from the context where the runtime puts it there", async () => {
    const memory = createMemoryExporter();
    const handler = withTracing(async () => 1, { exporters: [memory] });
    const header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    await invoke(handler, {}, { ...lambdaContext("x"), xRayTraceId: header });
    expect(memory.spans[0]?.attributes["aws.xray.trace_header"]).toBe(header);
  });

  it("calls the handler untouched when tracing is disabled", async () => {
    const promise = Promise.resolve("same");
    const handler = withTracing(() => promise, { enabled: false });
    expect(invoke(handler, {}, lambdaContext("d"))).toBe(promise);
    expect(stats().enabled).toBe(false);
  });

  it("throws a ConfigError naming the bad option when the handler is wrapped", () => {
    const h = async () => 1;
    expect(() => withTracing(h, { flushTimeoutMs: -5 })).toThrow(ConfigError);
    expect(() => withTracing(h, { timeoutGuardMs: Number.NaN })).toThrow(/timeoutGuardMs/);
    expect(() => withTracing(h, { maxQueueSize: 0 })).toThrow(/maxQueueSize/);
    expect(() => withTracing(h, { spanName: 5 as unknown as string })).toThrow(/spanName/);
    expect(() => withTracing("handler.js" as unknown as typeof h)).toThrow(ConfigError);
  });

  it("names withTracing() in its errors and its own options among the known ones", () => {
    const h = async () => 1;
    expect(() => withTracing(h, { flushTimeout: 5 } as never)).toThrow(/^spanwise: unknown option flushTimeout from withTracing\(\): did you mean flushTimeoutMs\? \(known: flushTimeoutMs, deadlineMarginMs, timeoutGuardMs, spanName, attributes, serviceName,/);
    expect(() => withTracing(h, { sampleRate: 2 })).toThrow(/^spanwise: invalid sampleRate from withTracing\(\): expected a number from 0/);
  });
});
