import { describe, expect, it } from "vitest";
import { detectTrigger } from "./trigger.js";

const TP = (trace: string, span: string): string => `00-${trace}-${span}-01`;
const T1 = "0af7651916cd43dd8448eb211c80319c";
const S1 = "b7ad6b7169203331";
const T2 = "5b8efff798038103d269b633813fc60c";
const S2 = "eee19b7ec3c1b174";

describe("detectTrigger", () => {
  it("reads an API Gateway REST request, multi-value headers and mixed-case traceparent included", () => {
    const t = detectTrigger({
      resource: "/orders/{id}",
      path: "/orders/7",
      httpMethod: "POST",
      headers: null,
      multiValueHeaders: { Host: ["api.example.com"], "X-Forwarded-Proto": ["https"], TRACEPARENT: [TP(T1, S1)], "User-Agent": ["curl/8"] },
      requestContext: { apiId: "a1", stage: "prod", requestId: "r-1", resourcePath: "/orders/{id}", identity: { sourceIp: "198.51.100.1" } },
    });
    expect(t.name).toBe("POST /orders/{id}");
    expect(t.spanKind).toBe("server");
    expect(t.http).toBe("rest");
    expect(t.parent).toMatchObject({ traceId: T1, spanId: S1, isRemote: true });
    expect(t.attributes).toEqual({
      "faas.trigger": "http",
      "aws.lambda.trigger": "api-gateway-rest",
      "http.request.method": "POST",
      "url.path": "/orders/7",
      "http.route": "/orders/{id}",
      "url.scheme": "https",
      "server.address": "api.example.com",
      "user_agent.original": "curl/8",
      "client.address": "198.51.100.1",
      "aws.apigateway.api_id": "a1",
      "aws.apigateway.stage": "prod",
      "aws.apigateway.request_id": "r-1",
    });
  });

  it("combines repeated tracestate and baggage headers of multiValueHeaders into one list each", () => {
    const t = detectTrigger({
      httpMethod: "GET",
      path: "/",
      headers: { traceparent: TP(T1, S1), tracestate: "b=2" },
      multiValueHeaders: { traceparent: [TP(T1, S1)], tracestate: ["a=1", "b=2"], baggage: ["k1=v1", "k2=v2"] },
      requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1" } },
    });
    expect(t.parent).toMatchObject({ traceId: T1, spanId: S1, traceState: "a=1,b=2" });
    expect(Object.fromEntries(t.parent?.baggage ?? [])).toMatchObject({ k1: { value: "v1" }, k2: { value: "v2" } });
  });

  it("reads an ALB request with the client from X-Forwarded-For", () => {
    const t = detectTrigger({
      requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/tg/abc" } },
      httpMethod: "GET",
      path: "/health",
      headers: { host: "alb.example.com", "x-forwarded-for": "192.0.2.9, 10.0.0.1", traceparent: TP(T2, S2) },
    });
    expect(t.name).toBe("GET");
    expect(t.parent?.traceId).toBe(T2);
    expect(t.attributes).toMatchObject({ "aws.lambda.trigger": "alb", "client.address": "192.0.2.9", "aws.alb.target_group_arn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/tg/abc" });
    expect(t.attributes["http.route"]).toBeUndefined();
  });

  it("tells a Function URL from an HTTP API by its domain", () => {
    const t = detectTrigger({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/chat",
      rawQueryString: "",
      headers: { traceparent: TP(T1, S1), tracestate: "k=v" },
      requestContext: { domainName: "abcdefg.lambda-url.eu-west-1.on.aws", http: { method: "POST", path: "/chat", sourceIp: "203.0.113.5", userAgent: "ua", protocol: "HTTP/1.1" } },
    });
    expect(t.name).toBe("POST");
    expect(t.http).toBe("http");
    expect(t.parent).toMatchObject({ traceId: T1, traceState: "k=v" });
    expect(t.attributes).toMatchObject({ "aws.lambda.trigger": "function-url", "url.path": "/chat", "server.address": "abcdefg.lambda-url.eu-west-1.on.aws", "network.protocol.version": "1.1" });
    expect(t.attributes["aws.apigateway.api_id"]).toBeUndefined();
    expect(t.attributes["url.query"]).toBeUndefined();
  });

  it("ignores an invalid traceparent instead of failing", () => {
    const t = detectTrigger({ version: "2.0", rawPath: "/", headers: { traceparent: "00-zz-nope-01" }, requestContext: { http: { method: "GET" } } });
    expect(t.parent).toBeUndefined();
    expect(t.attributes["faas.trigger"]).toBe("http");
  });

  it("takes a single SNS message's context from its message attributes", () => {
    const t = detectTrigger({
      Records: [{ EventSource: "aws:sns", Sns: { MessageId: "n-1", TopicArn: "arn:aws:sns:eu-west-1:1:alerts", MessageAttributes: { traceparent: { Type: "String", Value: TP(T1, S1) } } } }],
    });
    expect(t.name).toBe("process alerts");
    expect(t.spanKind).toBe("consumer");
    expect(t.parent).toMatchObject({ traceId: T1, spanId: S1 });
    expect(t.links).toEqual([]);
    expect(t.attributes).toMatchObject({ "faas.trigger": "pubsub", "messaging.system": "aws.sns", "aws.sns.topic.arn": "arn:aws:sns:eu-west-1:1:alerts", "messaging.message.id": "n-1", "messaging.batch.message_count": 1 });
  });

  it("links every message of a batch that carries a context of its own, skipping those without", () => {
    const record = (id: string, tp?: string) => ({ eventSource: "aws:sqs", messageId: id, eventSourceARN: `arn:aws:sqs:eu-west-1:1:${id === "c" ? "other" : "jobs"}`, messageAttributes: tp ? { traceparent: { stringValue: tp, dataType: "String" } } : {} });
    const t = detectTrigger({ Records: [record("a", TP(T1, S1)), record("b"), record("c", TP(T2, S2))] });
    expect(t.parent).toBeUndefined();
    expect(t.links.map((l) => [l.context.traceId, l.attributes?.["messaging.message.id"]])).toEqual([
      [T1, "a"],
      [T2, "c"],
    ]);
    // Two queues in one batch: no single destination.
    expect(t.name).toBe("process multiple_sources");
    expect(t.attributes["messaging.destination.name"]).toBeUndefined();
  });

  it("links each SQS message's X-Ray AWSTraceHeader, never making it the parent", () => {
    // What an X-Ray-traced producer's message carries; X-Ray samples few, so Sampled=0 is common.
    const xray = (root: string, parent: string, sampled: string) => `Root=1-${root.slice(0, 8)}-${root.slice(8)};Parent=${parent};Sampled=${sampled}`;
    const record = (id: string, header: unknown, tp?: string) => ({
      eventSource: "aws:sqs",
      messageId: id,
      eventSourceARN: "arn:aws:sqs:eu-west-1:1:jobs",
      attributes: { ApproximateReceiveCount: "1", AWSTraceHeader: header },
      messageAttributes: tp ? { traceparent: { stringValue: tp, dataType: "String" } } : {},
    });
    const one = detectTrigger({ Records: [record("a", xray(T1, S1, "0"))] });
    expect(one.parent).toBeUndefined();
    expect(one.links).toEqual([{ context: { traceId: T1, spanId: S1, traceFlags: 0, isRemote: true }, attributes: { "messaging.message.id": "a" } }]);
    const batch = detectTrigger({
      Records: [
        record("b", `${xray(T2, S2, "1")};Lineage=a87bd80c:1|68fd508a:5`),
        // A W3C context wins over the message's X-Ray header, and is the parent as before.
        record("c", xray(T2, S1, "1"), TP(T1, S2)),
        record("d", "Root=1-nothex!-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"),
        record("e", "Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8"),
        record("f", 42),
      ],
    });
    expect(batch.parent).toMatchObject({ traceId: T1, spanId: S2 });
    expect(batch.links.map((l) => [l.context.traceId, l.context.spanId, l.context.traceFlags, l.attributes?.["messaging.message.id"]])).toEqual([[T2, S2, 1, "b"]]);
  });

  it("uses one shared context of a whole batch as the parent", () => {
    const record = (id: string) => ({ eventSource: "aws:sqs", messageId: id, eventSourceARN: "arn:aws:sqs:eu-west-1:1:jobs", messageAttributes: { traceparent: { stringValue: TP(T1, S1) } } });
    const t = detectTrigger({ Records: [record("a"), record("b")] });
    expect(t.parent?.spanId).toBe(S1);
    expect(t.links).toEqual([]);
  });

  it("finds the context of an SNS notification delivered to SQS without raw delivery", () => {
    const envelope = { Type: "Notification", MessageId: "n-9", TopicArn: "arn:aws:sns:eu-west-1:1:t", Message: "hi", MessageAttributes: { traceparent: { Type: "String", Value: TP(T2, S2) } } };
    const t = detectTrigger({ Records: [{ eventSource: "aws:sqs", messageId: "m", eventSourceARN: "arn:aws:sqs:eu-west-1:1:q", body: JSON.stringify(envelope), messageAttributes: {} }] });
    expect(t.parent).toMatchObject({ traceId: T2, spanId: S2 });
  });

  it("marks a schedule as a timer and other EventBridge events as pubsub", () => {
    const schedule = detectTrigger({ version: "0", id: "e-1", "detail-type": "Scheduled Event", source: "aws.events", time: "2026-03-10T10:00:00Z", resources: ["arn:aws:events:eu-west-1:1:rule/nightly"], detail: {} });
    expect(schedule.attributes).toMatchObject({ "faas.trigger": "timer", "faas.time": "2026-03-10T10:00:00Z", "aws.eventbridge.event_id": "e-1", "aws.eventbridge.resources": ["arn:aws:events:eu-west-1:1:rule/nightly"] });
    expect(schedule.spanKind).toBe("server");
    const custom = detectTrigger({ "detail-type": "OrderPlaced", source: "shop.orders", detail: { id: 1 } });
    expect(custom.attributes).toMatchObject({ "faas.trigger": "pubsub", "aws.eventbridge.source": "shop.orders", "aws.eventbridge.detail_type": "OrderPlaced" });
    expect(custom.spanKind).toBe("consumer");
  });

  it("reads an S3 notification with the object key decoded", () => {
    const t = detectTrigger({
      Records: [{ eventSource: "aws:s3", eventName: "ObjectRemoved:Delete", eventTime: "2026-03-10T10:00:00.000Z", s3: { bucket: { name: "uploads" }, object: { key: "reports/q1+final%281%29.pdf" } } }],
    });
    expect(t.attributes).toEqual({
      "faas.trigger": "datasource",
      "aws.lambda.trigger": "s3",
      "faas.document.operation": "delete",
      "aws.s3.event_name": "ObjectRemoved:Delete",
      "faas.document.collection": "uploads",
      "aws.s3.bucket": "uploads",
      "faas.document.name": "reports/q1 final(1).pdf",
      "aws.s3.key": "reports/q1 final(1).pdf",
      "faas.document.time": "2026-03-10T10:00:00.000Z",
    });
  });

  it("reads a DynamoDB Streams batch as a datasource trigger on its table", () => {
    const arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders/stream/2026-03-10T10:00:00.000";
    const record = (id: string, eventName: string) => ({
      eventID: id,
      eventName,
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "eu-west-1",
      dynamodb: { ApproximateCreationDateTime: 1773136800, Keys: { id: { S: id } }, SequenceNumber: `1${id}`, SizeBytes: 26, StreamViewType: "NEW_AND_OLD_IMAGES" },
      eventSourceARN: arn,
    });
    const t = detectTrigger({ Records: [record("a", "INSERT"), record("b", "INSERT")] });
    expect(t.name).toBeUndefined();
    expect(t.spanKind).toBe("server");
    expect(t.parent).toBeUndefined();
    expect(t.attributes).toEqual({
      "faas.trigger": "datasource",
      "aws.lambda.trigger": "dynamodb",
      "faas.document.collection": "Orders",
      "faas.document.operation": "insert",
      "faas.document.time": "2026-03-10T10:00:00.000Z",
      "aws.dynamodb.table_names": ["Orders"],
      "aws.dynamodb.record_count": 2,
    });
    expect(detectTrigger({ Records: [record("c", "MODIFY")] }).attributes["faas.document.operation"]).toBe("edit");
    expect(detectTrigger({ Records: [record("d", "REMOVE")] }).attributes["faas.document.operation"]).toBe("delete");
    // A batch that mixes operations has no single one.
    const mixed = detectTrigger({ Records: [record("e", "INSERT"), record("f", "REMOVE")] });
    expect(mixed.attributes["faas.trigger"]).toBe("datasource");
    expect(mixed.attributes["faas.document.operation"]).toBeUndefined();
  });

  it("reads a Kinesis Data Streams batch as a pubsub trigger with messaging attributes", () => {
    const record = (seq: string) => ({
      kinesis: { kinesisSchemaVersion: "1.0", partitionKey: "user-7", sequenceNumber: seq, data: "eyJvcmRlciI6MX0=", approximateArrivalTimestamp: 1773136800.123 },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `shardId-000000000006:${seq}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "arn:aws:iam::111122223333:role/consumer",
      awsRegion: "eu-west-1",
      eventSourceARN: "arn:aws:kinesis:eu-west-1:111122223333:stream/clickstream",
    });
    const batch = detectTrigger({ Records: [record("49590338271490256608559692538361571095921575989136588898"), record("49590338271490256608559692540925702759324208523137515618")] });
    expect(batch.name).toBe("process clickstream");
    expect(batch.spanKind).toBe("consumer");
    expect(batch.parent).toBeUndefined();
    expect(batch.links).toEqual([]);
    expect(batch.attributes).toEqual({
      "faas.trigger": "pubsub",
      "aws.lambda.trigger": "kinesis",
      "messaging.system": "aws.kinesis",
      "messaging.operation.type": "process",
      "messaging.operation.name": "process",
      "messaging.destination.name": "clickstream",
      "messaging.destination.partition.id": "shardId-000000000006",
      "messaging.batch.message_count": 2,
      "aws.kinesis.stream_name": "clickstream",
    });
    // One record: its sequence number identifies the message.
    const single = detectTrigger({ Records: [record("49590338271490256608559692538361571095921575989136588898")] });
    expect(single.attributes["messaging.message.id"]).toBe("49590338271490256608559692538361571095921575989136588898");
  });

  it("takes the stream name from an enhanced fan-out consumer's ARN too", () => {
    const t = detectTrigger({
      Records: [{ eventSource: "aws:kinesis", eventID: "shardId-000000000000:1", kinesis: { sequenceNumber: "1" }, eventSourceARN: "arn:aws:kinesis:eu-west-1:111122223333:stream/clickstream/consumer/indexer:1773136800" }],
    });
    expect(t.attributes).toMatchObject({ "messaging.destination.name": "clickstream", "aws.kinesis.stream_name": "clickstream" });
  });

  it("falls back to faas.trigger=other for a DynamoDB or Kinesis record it cannot read, and never throws", () => {
    const malformed: unknown[] = [
      { Records: [{ eventSource: "aws:dynamodb", eventName: "INSERT" }] },
      { Records: [{ eventSource: "aws:dynamodb", eventSourceARN: 42 }] },
      { Records: [{ eventSource: "aws:dynamodb", eventSourceARN: "Orders" }] },
      { Records: [{ eventSource: "aws:dynamodb", eventSourceARN: "arn:aws:dynamodb:eu-west-1:1:table/" }] },
      { Records: [{ eventSource: "aws:dynamodb", eventSourceARN: "arn:aws:kinesis:eu-west-1:1:stream/clickstream" }] },
      { Records: [{ eventSource: "aws:kinesis", kinesis: { sequenceNumber: "1" } }] },
      { Records: [{ eventSource: "aws:kinesis", eventSourceARN: "arn:aws:kinesis" }] },
      { Records: [{ eventSource: "aws:kinesis", eventSourceARN: "arn:aws:kinesis:eu-west-1:1:stream" }] },
      { Records: [{ eventSource: "aws:kinesis", eventSourceARN: "arn:aws:dynamodb:eu-west-1:1:table/Orders/stream/2026-03-10T10:00:00.000" }] },
      { Records: [{ eventSource: "aws:kinesis", eventSourceARN: ["arn:aws:kinesis:eu-west-1:1:stream/clickstream"] }] },
      { Records: [null, { eventSource: "aws:kinesis", eventSourceARN: "arn:aws:kinesis:eu-west-1:1:stream/clickstream" }] },
    ];
    for (const event of malformed) expect(detectTrigger(event).attributes, JSON.stringify(event)).toEqual({ "faas.trigger": "other" });
    // Odd fields of a record that is otherwise fine are left out, not thrown on.
    const odd = detectTrigger({
      Records: [{ eventSource: "aws:dynamodb", eventName: "__proto__", dynamodb: { ApproximateCreationDateTime: 1e20 }, eventSourceARN: "arn:aws:dynamodb:eu-west-1:1:table/Orders/stream/x" }],
    });
    expect(odd.attributes).toEqual({ "faas.trigger": "datasource", "aws.lambda.trigger": "dynamodb", "faas.document.collection": "Orders", "aws.dynamodb.table_names": ["Orders"], "aws.dynamodb.record_count": 1 });
  });

  it("falls back to faas.trigger=other for anything else, hostile input included", () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("no");
        },
      },
    );
    for (const event of [undefined, null, 42, "text", [1, 2], {}, { Records: "x" }, { Records: [null] }, hostile]) {
      expect(detectTrigger(event).attributes).toEqual({ "faas.trigger": "other" });
    }
  });
});
