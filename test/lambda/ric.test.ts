// The Lambda runtime inside AWS's own Node.js runtime interface client (aws-lambda-ric), driven by
// a Runtime API and an OTLP receiver that this suite owns, all on 127.0.0.1.
import { afterEach, describe, expect, it } from "vitest";
import { attrs } from "../helpers/collector.js";
import { type LambdaFunction, type StartOptions, startFunction } from "./helpers/lambda-function.js";
import type { Answer } from "./helpers/runtime-api.js";
import { plain, traceOf } from "./helpers/trace-of.js";

const SERVER = 2;
const CONSUMER = 5;
const STATUS_ERROR = 2;

let fn: LambdaFunction | undefined;
afterEach(async () => {
  await fn?.stop();
  fn = undefined;
});

async function start(handler: string, options?: StartOptions): Promise<LambdaFunction> {
  fn = await startFunction(handler, options);
  return fn;
}

/** Every span of the invocation had reached the receiver before the runtime began to post its answer. */
function expectFlushedBeforeAnswer(f: LambdaFunction, answer: Answer): void {
  const trace = traceOf(f, answer);
  expect(trace.arrivals.length).toBeGreaterThan(0);
  for (const at of trace.arrivals) expect(at).toBeLessThan(answer.postedAt);
}

describe("withTracing inside aws-lambda-ric", () => {
  it("exports a cold and then a warm invocation before each response, with faas and cloud attributes", async () => {
    const f = await start("basic.handler");
    const cold = await f.api.invoke({ value: 1 });
    const warm = await f.api.invoke({ value: 2 });

    expect(cold.kind).toBe("response");
    expect(JSON.parse(cold.body.toString())).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(JSON.parse(warm.body.toString()).body).echo).toBe(2);
    expectFlushedBeforeAnswer(f, cold);
    expectFlushedBeforeAnswer(f, warm);

    const first = traceOf(f, cold);
    const second = traceOf(f, warm);
    expect(first.root.kind).toBe(SERVER);
    expect(first.root.name).toBe("spanwise-test");
    expect(plain(first.rootAttributes)).toMatchObject({
      "faas.invocation_id": cold.id,
      "faas.name": "spanwise-test",
      "faas.version": "$LATEST",
      "faas.coldstart": true,
      "faas.trigger": "other",
      "cloud.provider": "aws",
      "cloud.region": "eu-west-1",
      "cloud.account.id": "123456789012",
    });
    expect(second.rootAttributes["faas.coldstart"]?.boolValue).toBe(false);
    expect(second.root.traceId).not.toBe(first.root.traceId);
    expect(first.spans.map((s) => s.name).sort()).toEqual(["spanwise-test", "work"]);
    expect(first.spans.find((s) => s.name === "work")?.parentSpanId).toBe(first.root.spanId);

    const resource = plain(attrs(f.collector.requests[0]?.body?.resourceSpans[0]?.resource.attributes));
    expect(resource).toMatchObject({ "service.name": "spanwise-test", "cloud.provider": "aws", "cloud.platform": "aws_lambda", "faas.name": "spanwise-test", "faas.max_memory": 128 * 1024 * 1024 });

    // The warm handler saw the cold invocation's spans already exported: nothing was waiting.
    const warmStats = JSON.parse(JSON.parse(warm.body.toString()).body).stats;
    expect(warmStats).toMatchObject({ exported: 2, queued: 0, dropped: { exportFailed: 0 } });
  });

  it("takes service.name from resourceAttributes over the function's name, which is only the default", async () => {
    const f = await start("basic.namedByAttribute");
    const answer = await f.api.invoke({});
    expect(answer.kind).toBe("response");
    expectFlushedBeforeAnswer(f, answer);
    const resource = plain(attrs(f.collector.requests[0]?.body?.resourceSpans[0]?.resource.attributes));
    expect(resource).toMatchObject({ "service.name": "billing", "faas.name": "spanwise-test" });
  });

  it("counts no invocation of a provisioned-concurrency environment as a cold start", async () => {
    const f = await start("basic.handler", { env: { AWS_LAMBDA_INITIALIZATION_TYPE: "provisioned-concurrency" } });
    const first = await f.api.invoke({ value: 1 });
    expect(traceOf(f, first).rootAttributes["faas.coldstart"]?.boolValue).toBe(false);
  });

  it("returns a thrown error to the runtime unchanged, after exporting the span that records it", async () => {
    const f = await start("basic.thrower");
    const answer = await f.api.invoke({});
    expect(answer.kind).toBe("error");
    expect(JSON.parse(answer.body.toString())).toMatchObject({ errorType: "PaymentDeclined", errorMessage: "card 4242 declined" });
    expectFlushedBeforeAnswer(f, answer);

    const { root, spans } = traceOf(f, answer);
    expect(root.status).toMatchObject({ code: STATUS_ERROR, message: "card 4242 declined" });
    const exception = plain(attrs(root.events?.find((e) => e.name === "exception")?.attributes));
    expect(exception).toMatchObject({ "exception.type": "PaymentDeclined", "exception.message": "card 4242 declined" });
    expect(spans.map((s) => s.name)).toContain("charge card");
  });

  it("continues the caller's trace from an API Gateway v2 request's traceparent, whatever its header case", async () => {
    const f = await start("basic.http");
    const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const xray = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const answer = await f.api.invoke(apiGatewayV2({ TraceParent: `00-${callerTrace}-${callerSpan}-01`, tracestate: "vendor=abc" }), { xrayTraceId: xray });
    expect(JSON.parse(answer.body.toString())).toEqual({ statusCode: 201, headers: { "content-type": "application/json" }, body: '{"id":"42"}' });
    expectFlushedBeforeAnswer(f, answer);

    const { root, rootAttributes, spans } = traceOf(f, answer);
    expect(root.traceId).toBe(callerTrace);
    expect(root.parentSpanId).toBe(callerSpan);
    expect(root.traceState).toBe("vendor=abc");
    expect(root.name).toBe("GET /items/{id}");
    expect(root.kind).toBe(SERVER);
    expect(plain(rootAttributes)).toMatchObject({
      "faas.trigger": "http",
      "aws.lambda.trigger": "api-gateway-http",
      "http.request.method": "GET",
      "http.route": "/items/{id}",
      "url.path": "/items/42",
      "url.query": "verbose=REDACTED",
      "client.address": "203.0.113.7",
      "http.response.status_code": 201,
      // Recorded for correlation, never the parent.
      "aws.xray.trace_header": xray,
    });
    expect(spans.find((s) => s.name === "load item")?.parentSpanId).toBe(root.spanId);
  });

  it("links an SQS batch's root span to each message's own trace context", async () => {
    const f = await start("basic.sqs");
    const contexts = [
      ["0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"],
      ["5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"],
      ["4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"],
    ] as const;
    const answer = await f.api.invoke({ Records: contexts.map(([t, s], i) => sqsRecord(`m-${i}`, `00-${t}-${s}-01`)) });
    expect(JSON.parse(answer.body.toString())).toEqual({ batchItemFailures: [] });
    expectFlushedBeforeAnswer(f, answer);

    const { root, rootAttributes, spans } = traceOf(f, answer);
    expect(root.kind).toBe(CONSUMER);
    expect(root.name).toBe("process orders");
    expect(root.parentSpanId ?? "").toBe("");
    expect(contexts.map(([t]) => t)).not.toContain(root.traceId);
    expect(root.links?.map((l) => [l.traceId, l.spanId, attrs(l.attributes)["messaging.message.id"]?.stringValue])).toEqual(contexts.map(([t, s], i) => [t, s, `m-${i}`]));
    expect(plain(rootAttributes)).toMatchObject({
      "faas.trigger": "pubsub",
      "messaging.system": "aws_sqs",
      "messaging.operation.type": "process",
      "messaging.destination.name": "orders",
      "messaging.batch.message_count": 3,
    });
    expect(spans.map((s) => s.name).sort()).toEqual(["handle m-0", "handle m-1", "handle m-2", "process orders"]);
  });

  it("takes a single SQS message's context as the parent", async () => {
    const f = await start("basic.sqs");
    const answer = await f.api.invoke({ Records: [sqsRecord("only", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] });
    const { root } = traceOf(f, answer);
    expect(root.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(root.parentSpanId).toBe("b7ad6b7169203331");
    expect(root.links ?? []).toEqual([]);
  });

  it("ends and exports a timed-out invocation before its deadline, marking the spans it cut short", async () => {
    const f = await start("basic.hangs");
    const answer = await f.api.invoke({}, { timeoutMs: 1500 });
    expect(answer.kind).toBe("timeout");
    const deadline = f.timeline.entries.findIndex((e) => e.what === "runtime:timeout" && e.id === answer.id);
    const trace = traceOf(f, answer);
    for (const at of trace.arrivals) expect(at).toBeLessThan(deadline);

    expect(trace.root.status.code).toBe(STATUS_ERROR);
    expect(trace.root.status.message).toMatch(/about to time out/);
    expect(plain(trace.rootAttributes)).toMatchObject({ "error.type": "timeout", "aws.lambda.timed_out": true });
    const cut = trace.spans.find((s) => s.name === "call that never returns");
    expect(attrs(cut?.attributes)["spanwise.unfinished"]?.boolValue).toBe(true);
    expect(cut?.parentSpanId).toBe(trace.root.spanId);
    expect(trace.spans.map((s) => s.name)).toContain("finished before the hang");
  });

  it("answers within its flush budget when the collector hangs, and counts the abandoned spans at once", async () => {
    const f = await start("basic.budgeted", { reply: () => "hang" });
    // The function's timeout (3 s) is far below the exporter's own (10 s): only the flush budget can save it.
    const first = await f.api.invoke({ value: 1 }, { timeoutMs: 3000 });
    const second = await f.api.invoke({ value: 2 }, { timeoutMs: 3000 });
    expect(first.kind).toBe("response");
    expect(second.kind).toBe("response");
    expect(JSON.parse(first.body.toString()).statusCode).toBe(200);
    // The second handler reads the counters the first invocation left: its 2 spans, dropped once.
    const stats = JSON.parse(JSON.parse(second.body.toString()).body).stats;
    expect(stats).toMatchObject({ exported: 0, exportErrors: 1, dropped: { exportFailed: 2 } });
    expect(stats.lastError).toMatch(/abandoned/);
  });

  it("bounds the flush by the time left when that is shorter than flushTimeoutMs", async () => {
    const f = await start("basic.unbudgeted", { reply: () => "hang" });
    const answer = await f.api.invoke({ value: 1 }, { timeoutMs: 2000 });
    expect(answer.kind).toBe("response");
    expect(JSON.parse(JSON.parse(answer.body.toString()).body).echo).toBe(1);
  });

  it.each([
    ["callbackStyle", "callback", ["timer work"]],
    ["callbackNoWait", "no-wait", ["quick"]],
    ["legacySucceed", "succeed", ["legacy"]],
  ])("flushes a %s handler before the runtime answers", async (name, mode, children) => {
    const f = await start(`basic.${name}`);
    const answer = await f.api.invoke({});
    expect(JSON.parse(answer.body.toString())).toEqual({ ok: true, mode });
    expectFlushedBeforeAnswer(f, answer);
    const { root, spans } = traceOf(f, answer);
    expect(spans.filter((s) => s !== root).map((s) => [s.name, s.parentSpanId])).toEqual(children.map((c) => [c, root.spanId]));
  });

  it.each([
    ["callbackNever", "timer work"],
    ["callbackNeverNoWait", "quick"],
    ["promiseNever", "timer work"],
  ])("ends and flushes a %s handler before the runtime's null answer, at every invocation", async (name, child) => {
    const f = await start(`basic.${name}`);
    for (const value of [1, 2]) {
      const answer = await f.api.invoke({ value });
      expect(answer.kind).toBe("response");
      expect(answer.body.toString()).toBe("null");
      expectFlushedBeforeAnswer(f, answer);
      const { root, spans } = traceOf(f, answer);
      expect(root.status.code ?? 0).not.toBe(STATUS_ERROR);
      expect(spans.filter((s) => s !== root).map((s) => [s.name, s.parentSpanId])).toEqual([[`${child} ${value}`, root.spanId]]);
    }
  });
});

describe("response streaming inside aws-lambda-ric", () => {
  const expected = Buffer.concat([Buffer.from("data: one\n\ndata: two\n\n"), Buffer.from([0, 1, 2, 255]), Buffer.from("data: done\n\n")]);

  /** Spans were out before the runtime asked for the next event, i.e. before Lambda could freeze it. */
  async function expectFlushedBeforeNextPoll(f: LambdaFunction, answer: Answer): Promise<void> {
    await f.api.waitForPolls(2);
    const nextPoll = f.timeline.entries.findIndex((e, i) => i > answer.postedAt && e.what === "runtime:poll");
    expect(nextPoll).toBeGreaterThan(answer.postedAt);
    for (const at of traceOf(f, answer).arrivals) expect(at).toBeLessThan(nextPoll);
  }

  it("passes a streamed body through unchanged when streamifyResponse wraps withTracing", async () => {
    const f = await start("streaming.outside");
    const answer = await f.api.invoke({});
    expect(answer.kind).toBe("response");
    expect(answer.headers["lambda-runtime-function-response-mode"]).toBe("streaming");
    expect(answer.headers["content-type"]).toBe("text/event-stream");
    expect(answer.body.equals(expected)).toBe(true);
    await expectFlushedBeforeNextPoll(f, answer);

    const { root, rootAttributes, spans } = traceOf(f, answer);
    expect(rootAttributes["aws.lambda.response_streaming"]?.boolValue).toBe(true);
    const writes = spans.filter((s) => s.name === "write chunk");
    expect(writes).toHaveLength(4);
    // The root span covers the whole stream.
    for (const w of writes) expect(BigInt(root.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(w.endTimeUnixNano));
  });

  it("keeps the streaming marker when withTracing wraps streamifyResponse, HTTP prelude included", async () => {
    const f = await start("streaming.inside");
    const answer = await f.api.invoke({});
    expect(answer.kind).toBe("response");
    expect(answer.headers["content-type"]).toBe("application/vnd.awslambda.http-integration-response");
    const prelude = JSON.stringify({ statusCode: 207, headers: { "x-stream": "yes" } });
    expect(answer.body.equals(Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), expected]))).toBe(true);
    await expectFlushedBeforeNextPoll(f, answer);
    expect(traceOf(f, answer).spans.filter((s) => s.name === "write chunk")).toHaveLength(4);
  });

  it("records the status code of a Function URL's streamed HTTP prelude, and a 5xx as an error", async () => {
    const url = { version: "2.0", rawPath: "/chat", headers: {}, requestContext: { domainName: "abc.lambda-url.eu-west-1.on.aws", http: { method: "POST", path: "/chat" } } };
    const ok = await start("streaming.inside");
    const created = await ok.api.invoke(url);
    await expectFlushedBeforeNextPoll(ok, created);
    expect(plain(traceOf(ok, created).rootAttributes)).toMatchObject({ "http.response.status_code": 207 });
    expect(traceOf(ok, created).root.status.code ?? 0).not.toBe(STATUS_ERROR);
    await ok.stop();
    fn = undefined;
    const f = await start("streaming.unavailable");
    const answer = await f.api.invoke(url);
    expect(answer.kind).toBe("response");
    expect(answer.body.toString()).toContain("busy");
    await expectFlushedBeforeNextPoll(f, answer);
    const { root, rootAttributes } = traceOf(f, answer);
    expect(plain(rootAttributes)).toMatchObject({ "http.response.status_code": 503 });
    expect(root.status).toMatchObject({ code: STATUS_ERROR, message: "HTTP 503" });
  });

  it("reports a streaming handler's error to the runtime unchanged and records it on the root span", async () => {
    const f = await start("streaming.failing");
    const answer = await f.api.invoke({});
    expect(answer.kind).toBe("error");
    expect(answer.body.toString()).toBe("partial");
    expect(answer.trailers["lambda-runtime-function-error-type"]).toBe("TypeError");
    const reported = JSON.parse(Buffer.from(answer.trailers["lambda-runtime-function-error-body"] ?? "", "base64").toString());
    expect(reported).toMatchObject({ errorType: "TypeError", errorMessage: "upstream model went away" });
    await expectFlushedBeforeNextPoll(f, answer);
    const { root, spans } = traceOf(f, answer);
    expect(root.status).toMatchObject({ code: STATUS_ERROR, message: "upstream model went away" });
    expect(spans.map((s) => s.name)).toContain("before the failure");
  });
});

describe("entry points inside aws-lambda-ric", () => {
  it("works from a CommonJS handler", async () => {
    const f = await start("commonjs.handler");
    const answer = await f.api.invoke({ n: 21 });
    expect(JSON.parse(answer.body.toString())).toEqual({ doubled: 42 });
    expectFlushedBeforeAnswer(f, answer);
    expect(traceOf(f, answer).spans.map((s) => s.name).sort()).toEqual(["cjs work", "spanwise-test"]);
  });

  it("uses the Lambda runtime even when the Node build of spanwise was imported first", async () => {
    const f = await start("mixed.handler");
    const answer = await f.api.invoke({});
    expect(JSON.parse(answer.body.toString())).toEqual({ result: "done" });
    expectFlushedBeforeAnswer(f, answer);
    const resource = plain(attrs(f.collector.requests[0]?.body?.resourceSpans[0]?.resource.attributes));
    expect(resource).toMatchObject({ "service.name": "spanwise-test", "cloud.provider": "aws", "faas.name": "spanwise-test" });
    expect(traceOf(f, answer).spans.map((s) => s.name).sort()).toEqual(["spanwise-test", "step"]);
  });
});

function apiGatewayV2(headers: Record<string, string>): unknown {
  return {
    version: "2.0",
    routeKey: "GET /items/{id}",
    rawPath: "/items/42",
    rawQueryString: "verbose=1",
    headers: { host: "abc123.execute-api.eu-west-1.amazonaws.com", "user-agent": "curl/8.5.0", ...headers },
    pathParameters: { id: "42" },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      http: { method: "GET", path: "/items/42", protocol: "HTTP/1.1", sourceIp: "203.0.113.7", userAgent: "curl/8.5.0" },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: "GET /items/{id}",
      stage: "$default",
      time: "10/Mar/2026:10:00:00 +0000",
      timeEpoch: 1773136800000,
    },
    isBase64Encoded: false,
  };
}

function sqsRecord(messageId: string, traceparent: string): unknown {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body: JSON.stringify({ order: messageId }),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1773136800000", SenderId: "AIDAEXAMPLE", ApproximateFirstReceiveTimestamp: "1773136800001" },
    messageAttributes: { traceparent: { stringValue: traceparent, stringListValues: [], binaryListValues: [], dataType: "String" } },
    md5OfBody: "0",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:orders",
    awsRegion: "eu-west-1",
  };
}
