import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SpanStatusCode, context, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Viewer, type ViewerOptions, startViewer } from "../../src/cli/viewer/index.js";
import type { SpanView, TraceSummary } from "../../src/cli/viewer/types.js";

let dir: string;
const open: Viewer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spanwise-viewer-"));
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((v) => v.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function viewer(options: ViewerOptions = {}): Promise<Viewer> {
  const v = await startViewer({ port: 0, dataDir: dir, ...options });
  open.push(v);
  return v;
}

let nextSpan = 1;
/** One OTLP/JSON request with `count` spans of a fresh trace (or of `traceId`). */
function otlpJson(count = 1, traceId = randomHex(16), extra: Record<string, unknown> = {}): { traceId: string; body: Record<string, unknown> } {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceId,
    spanId: (nextSpan++).toString(16).padStart(16, "0"),
    name: i === 0 ? "root" : `child ${i}`,
    kind: 1,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n),
    endTimeUnixNano: String(1_700_000_000_100_000_000n),
    attributes: [{ key: "session.id", value: { stringValue: "s-1" } }],
    ...extra,
  }));
  return { traceId, body: { resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] }, scopeSpans: [{ scope: { name: "t" }, spans }] }] } };
}

function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

function randomBytes(bytes: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(bytes));
}

const postJson = (v: Viewer, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

const traces = async (v: Viewer, query = ""): Promise<{ traces: TraceSummary[]; total: number }> => (await fetch(`${v.url}api/traces${query}`)).json() as Promise<{ traces: TraceSummary[]; total: number }>;

describe("OTLP/HTTP ingest", () => {
  it("accepts JSON and answers with an empty ExportTraceServiceResponse", async () => {
    const v = await viewer();
    const { traceId, body } = otlpJson(3);
    const res = await postJson(v, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({});
    const list = await traces(v);
    expect(list.traces).toEqual([expect.objectContaining({ traceId, name: "root", service: "svc", spanCount: 3, sessionId: "s-1" })]);
  });

  it("answers the browser's /favicon.ico with 204, not a 404 the console would report", async () => {
    const v = await viewer();
    const res = await fetch(`${v.url}favicon.ico`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
  });

  it("accepts gzip-compressed JSON", async () => {
    const v = await viewer();
    const { traceId, body } = otlpJson(2);
    const res = await fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: gzipSync(JSON.stringify(body)) });
    expect(res.status).toBe(200);
    expect((await traces(v)).traces[0]?.traceId).toBe(traceId);
  });

  it("answers malformed JSON and protobuf with 400 and a reason, and keeps serving", async () => {
    const v = await viewer();
    const bad = await postJson(v, '{"resourceSpans": [');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/not valid JSON/);
    const shape = await postJson(v, { resourceSpans: 42 });
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { message: string }).message).toMatch(/resourceSpans is not a list/);
    const proto = await fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: new Uint8Array([0x0a, 0xff, 0x01, 0x02]) });
    expect(proto.status).toBe(400);
    expect(proto.headers.get("content-type")).toBe("application/x-protobuf");
    expect(Buffer.from(await proto.arrayBuffer()).toString("latin1")).toMatch(/invalid protobuf ExportTraceServiceRequest/);
    const gz = await postJson(v, "not gzip at all", { "content-encoding": "gzip" });
    expect(gz.status).toBe(400);
    const type = await fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(type.status).toBe(415);
    const enc = await postJson(v, "{}", { "content-encoding": "br" });
    expect(enc.status).toBe(415);
    expect((await fetch(`${v.url}api/health`)).status).toBe(200);
    expect((await postJson(v, otlpJson(1).body)).status).toBe(200);
  });

  it("answers bodies over the limit, and gzip that inflates past it, with 413", async () => {
    const v = await viewer({ maxBodyBytes: 64 * 1024 });
    const big = JSON.stringify(otlpJson(1, randomHex(16), { name: "x".repeat(100 * 1024) }).body);
    const res = await postJson(v, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/exceeds the limit of 65536 bytes/);
    // A small gzip body (about 1 KB) that inflates to 1 MB.
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 32));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: bomb });
    expect(inflated.status).toBe(413);
    expect(((await inflated.json()) as { message: string }).message).toMatch(/inflates past the limit/);
    // Streamed without a Content-Length, the limit still holds.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(16 * 1024).fill(32));
        c.close();
      },
    });
    const chunked = await fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await fetch(`${v.url}api/health`)).status).toBe(200);
  });

  it("refuses a small body that decodes to more spans or elements than its size allows, with 413 and a reason", async () => {
    const v = await viewer({ maxBodyBytes: 1 << 20, maxSpans: 1000 });
    const varint = (n: number): number[] => (n < 128 ? [n] : [(n & 127) | 128, ...varint(Math.floor(n / 128))]);
    const message = (field: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(body.length)]), body]);
    const request = (spans: Buffer[]): Buffer => message(1, message(2, Buffer.concat(spans)));
    const postProto = (body: Buffer): Promise<Response> =>
      fetch(`${v.url}v1/traces`, { method: "POST", headers: { "content-type": "application/x-protobuf", "content-encoding": "gzip" }, body: gzipSync(body) });
    const reason = async (res: Response): Promise<string> => Buffer.from(await res.arrayBuffer()).toString("latin1");

    // 400 000 empty spans (0x12 0x00): 800 KB that gzip to about 1 KB.
    const empty = request([Buffer.alloc(800_000, Buffer.from([0x12, 0x00]))]);
    expect(gzipSync(empty).length).toBeLessThan(8 * 1024);
    const spans = await postProto(empty);
    expect(spans.status).toBe(413);
    expect(await reason(spans)).toMatch(/more than 1000 spans/);

    // One span with 300 000 empty attributes (0x4a 0x00).
    const ids = Buffer.from([0x0a, 16, ...randomBytes(16), 0x12, 8, ...randomBytes(8)]);
    const attributes = await postProto(request([message(2, Buffer.concat([ids, Buffer.alloc(600_000, Buffer.from([0x4a, 0x00]))]))]));
    expect(attributes.status).toBe(413);
    expect(await reason(attributes)).toMatch(/more than \d+ elements/);

    // The same in JSON: 300 000 empty span objects.
    const json = await postJson(v, `{"resourceSpans":[{"scopeSpans":[{"spans":[${Array(300_000).fill("{}").join(",")}]}]}]}`);
    expect(json.status).toBe(413);
    expect(((await json.json()) as { message: string }).message).toMatch(/more than \d+ elements/);
    const fewer = await postJson(v, `{"resourceSpans":[{"scopeSpans":[{"spans":[${Array(1001).fill("{}").join(",")}]}]}]}`);
    expect(fewer.status).toBe(413);
    expect(((await fewer.json()) as { message: string }).message).toMatch(/more than 1000 spans/);

    expect((await fetch(`${v.url}api/health`)).status).toBe(200);
    expect((await postJson(v, otlpJson(3).body)).status).toBe(200);
  });

  it("keeps the valid spans of a request and reports the others as a partial success", async () => {
    const v = await viewer();
    const { body } = otlpJson(2);
    const spans = (body.resourceSpans as { scopeSpans: { spans: { traceId: string }[] }[] }[])[0]!.scopeSpans[0]!.spans;
    spans[1]!.traceId = "not-an-id";
    const res = await postJson(v, body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: { rejectedSpans: "1", errorMessage: expect.stringMatching(/invalid traceId/) } });
    expect((await traces(v)).traces[0]?.spanCount).toBe(1);
  });

  it("keeps an attribute named __proto__ as data: no session, user or tokens leak from it, before or after a restart", async () => {
    const first = await viewer();
    const kv = (key: string, value: Record<string, string>) => ({ key, value });
    const evil = { kvlistValue: { values: [kv("session.id", { stringValue: "hijacked" }), kv("user.id", { stringValue: "mallory" }), kv("gen_ai.usage.input_tokens", { intValue: "999" })] } };
    const { traceId, body } = otlpJson(1, randomHex(16), { attributes: [{ key: "__proto__", value: evil }] });
    expect((await postJson(first, body)).status).toBe(200);
    const check = async (v: Viewer): Promise<void> => {
      const summary = (await traces(v)).traces[0]!;
      expect(summary).toMatchObject({ traceId, inputTokens: 0 });
      expect(summary.sessionId).toBeUndefined();
      expect(summary.userId).toBeUndefined();
      const detail = (await (await fetch(`${v.url}api/traces/${traceId}`)).json()) as { spans: SpanView[] };
      expect(Object.keys(detail.spans[0]!.attributes)).toEqual(["__proto__"]);
    };
    await check(first);
    await first.close();
    await check(await viewer());
  });

  it("shows what the official OpenTelemetry protobuf exporter sends", async () => {
    const v = await viewer();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "otel-app" }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${v.url}v1/traces`, compression: "gzip" } as ConstructorParameters<typeof OTLPTraceExporter>[0]))],
    });
    const tracer = provider.getTracer("otel-test", "9.9.9");
    let traceId = "";
    tracer.startActiveSpan("handle request", (root) => {
      traceId = root.spanContext().traceId;
      const llm = tracer.startSpan("chat gpt-4o-mini", {
        attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 5, "llm.cost.total": 0.0001 },
      }, trace.setSpan(context.active(), root));
      llm.end();
      const failing = tracer.startSpan("tool", {}, trace.setSpan(context.active(), root));
      failing.recordException(new Error("disk full"));
      failing.setStatus({ code: SpanStatusCode.ERROR, message: "disk full" });
      failing.end();
      root.end();
    });
    await provider.forceFlush();
    await provider.shutdown();
    const list = await traces(v);
    expect(list.traces[0]).toMatchObject({ traceId, service: "otel-app", name: "handle request", spanCount: 3, status: "error", inputTokens: 12, outputTokens: 5, cost: 0.0001, models: ["gpt-4o-mini"] });
    const detail = (await (await fetch(`${v.url}api/traces/${traceId}`)).json()) as { spans: SpanView[] };
    const llm = detail.spans.find((s) => s.name === "chat gpt-4o-mini");
    expect(llm).toMatchObject({ category: "llm", scope: { name: "otel-test", version: "9.9.9" }, llm: { model: "gpt-4o-mini", inputTokens: 12, outputTokens: 5, cost: 0.0001 } });
    const tool = detail.spans.find((s) => s.name === "tool");
    expect(tool?.events[0]).toMatchObject({ name: "exception", attributes: { "exception.message": "disk full" } });
  });
});

describe("the JSONL store", () => {
  it("keeps earlier traces across a restart", async () => {
    const first = await viewer();
    const { traceId, body } = otlpJson(4);
    await postJson(first, body);
    await first.close();
    const second = await viewer();
    const list = await traces(second);
    expect(list.traces.map((t) => [t.traceId, t.spanCount])).toEqual([[traceId, 4]]);
    const detail = (await (await fetch(`${second.url}api/traces/${traceId}`)).json()) as { spans: SpanView[] };
    expect(detail.spans).toHaveLength(4);
  });

  it("skips a line cut short by a crash and appends after it on a fresh line", async () => {
    const first = await viewer();
    await postJson(first, otlpJson(1).body);
    await first.close();
    const file = join(dir, "traces.jsonl");
    const { appendFileSync } = await import("node:fs");
    appendFileSync(file, '{"traceId":"abc","spa');
    const second = await viewer();
    expect(((await (await fetch(`${second.url}api/health`)).json()) as { skippedLines: number }).skippedLines).toBe(1);
    await postJson(second, otlpJson(1).body);
    await second.close();
    const third = await viewer();
    expect((await traces(third)).total).toBe(2);
  });

  it("skips a stored line that parses but is not a whole span, and keeps listing the others", async () => {
    const first = await viewer();
    const { traceId, body } = otlpJson(2);
    await postJson(first, body);
    await first.close();
    const { appendFileSync } = await import("node:fs");
    appendFileSync(join(dir, "traces.jsonl"), '{"traceId":"abc","spanId":"def"}\n{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"x","start":1,"end":2,"status":{"code":0},"attributes":[],"events":[],"links":[],"resource":{},"scope":{"name":""},"kind":1}\n');
    const second = await viewer();
    const list = await fetch(`${second.url}api/traces`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { traces: TraceSummary[] }).traces.map((t) => t.traceId)).toEqual([traceId]);
    expect(((await (await fetch(`${second.url}api/health`)).json()) as { skippedLines: number }).skippedLines).toBe(2);
  });

  it("refuses a second viewer on the same data folder, naming it, and takes over a lock its dead holder left", async () => {
    const first = await viewer();
    const err = await startViewer({ port: 0, dataDir: dir }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(new RegExp(`another spanwise viewer \\(pid ${process.pid}\\) is using the data folder ${dir}`));
    await first.close();
    const second = await viewer();
    await second.close();
    const { spawnSync } = await import("node:child_process");
    const { writeFileSync } = await import("node:fs");
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(join(dir, "traces.lock"), `${dead}\n`);
    const third = await viewer();
    expect(readFileSync(join(dir, "traces.lock"), "utf8").trim()).toBe(String(process.pid));
    await third.close();
    expect(existsSync(join(dir, "traces.lock"))).toBe(false);
  });

  it("rotates the file when it passes maxFileBytes and keeps one older file", async () => {
    const v = await viewer({ maxFileBytes: 4096 });
    for (let i = 0; i < 20; i++) expect((await postJson(v, otlpJson(3).body)).status).toBe(200);
    const current = join(dir, "traces.jsonl");
    const older = join(dir, "traces.1.jsonl");
    expect(existsSync(older)).toBe(true);
    expect(existsSync(join(dir, "traces.2.jsonl"))).toBe(false);
    expect(statSync(current).size).toBeLessThanOrEqual(4096);
    expect(statSync(older).size).toBeLessThanOrEqual(4096);
    const onDisk = (readFileSync(older, "utf8") + readFileSync(current, "utf8")).trim().split("\n").length;
    await v.close();
    const again = await viewer({ maxFileBytes: 4096 });
    expect((await traces(again)).total).toBe(onDisk / 3);
  });

  it("keeps at most maxTraces in memory, dropping the oldest", async () => {
    const v = await viewer({ maxTraces: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { traceId, body } = otlpJson(1);
      ids.push(traceId);
      await postJson(v, body);
    }
    const list = await traces(v);
    expect(new Set(list.traces.map((t) => t.traceId))).toEqual(new Set(ids.slice(2)));
  });

  it("keeps at most maxMemoryBytes of spans in memory (default twice maxFileBytes), dropping the oldest traces", async () => {
    const v = await viewer({ maxMemoryBytes: 20_000 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { traceId, body } = otlpJson(1, randomHex(16), { name: "y".repeat(4000) });
      ids.push(traceId);
      expect((await postJson(v, body)).status).toBe(200);
    }
    const kept = (await traces(v)).traces.map((t) => t.traceId);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(5);
    expect(new Set(kept)).toEqual(new Set(ids.slice(-kept.length)));
    const health = (await (await fetch(`${v.url}api/health`)).json()) as { bytes: number };
    expect(health.bytes).toBeLessThanOrEqual(20_000);

    const small = await viewer({ maxFileBytes: 8192, dataDir: join(dir, "small") });
    for (let i = 0; i < 10; i++) await postJson(small, otlpJson(1, randomHex(16), { name: "z".repeat(4000) }).body);
    expect(((await (await fetch(`${small.url}api/health`)).json()) as { bytes: number }).bytes).toBeLessThanOrEqual(2 * 8192);
  });

  it("filters by search text, errors, session, user and model", async () => {
    const v = await viewer();
    const plain = otlpJson(1);
    const failing = otlpJson(1, randomHex(16), { name: "refund order", status: { code: 2, message: "x" }, attributes: [{ key: "user.id", value: { stringValue: "u-7" } }, { key: "gen_ai.request.model", value: { stringValue: "claude-x" } }] });
    await postJson(v, plain.body);
    await postJson(v, failing.body);
    expect((await traces(v, "?errors=1")).traces.map((t) => t.traceId)).toEqual([failing.traceId]);
    expect((await traces(v, "?q=REFUND")).traces.map((t) => t.traceId)).toEqual([failing.traceId]);
    expect((await traces(v, "?user=u-7")).traces.map((t) => t.traceId)).toEqual([failing.traceId]);
    expect((await traces(v, "?model=claude-x")).traces.map((t) => t.traceId)).toEqual([failing.traceId]);
    expect((await traces(v, "?session=s-1")).total).toBe(1);
  });
});

describe("access", () => {
  it("refuses to bind beyond the loopback without a token", async () => {
    await expect(startViewer({ port: 0, host: "0.0.0.0", dataDir: dir })).rejects.toThrow(/invalid host .*token/);
  });

  it("requires the token for the API, the UI and ingest, by Bearer header, ?token= or the cookie it sets", async () => {
    const v = await viewer({ token: "s3cret" });
    expect((await fetch(`${v.url}api/traces`)).status).toBe(401);
    expect((await fetch(v.url)).status).toBe(401);
    expect((await postJson(v, otlpJson(1).body)).status).toBe(401);
    expect((await fetch(`${v.url}api/traces`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await postJson(v, otlpJson(1).body, { authorization: "Bearer s3cret" })).status).toBe(200);
    expect((await fetch(`${v.url}api/traces?token=s3cret`)).status).toBe(200);
    const entry = await fetch(`${v.url}?token=s3cret`, { redirect: "manual" });
    expect(entry.status).toBe(302);
    expect(entry.headers.get("location")).toBe("/");
    const cookie = entry.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toBe("spanwise_token=s3cret");
    const page = await fetch(v.url, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/assets/app.js");
    expect((await fetch(`${v.url}api/traces`, { headers: { cookie } })).status).toBe(200);
  });

  it("redirects a ?token= exchange only to a path on this viewer, never to another host", async () => {
    const v = await viewer({ token: "s3cret" });
    const { request } = await import("node:http");
    // fetch would normalise these paths; a browser sends them as written.
    const location = (path: string): Promise<string | undefined> =>
      new Promise((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port: v.port, path }, (res) => {
          res.resume();
          resolve(res.headers.location);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await location("//evil.com/x?token=s3cret")).toBe("/");
    expect(await location("/%5Cevil.com?token=s3cret")).toBe("/");
    expect(await location("/assets/app.css?token=s3cret")).toBe("/assets/app.css");
  });

  it("treats a malformed token cookie as no cookie (401, not 500)", async () => {
    const v = await viewer({ token: "s3cret" });
    const res = await fetch(`${v.url}api/traces`, { headers: { cookie: "spanwise_token=%E0%A4%A" } });
    expect(res.status).toBe(401);
  });

  it("without a token, answers only requests addressed to the loopback (no DNS rebinding)", async () => {
    const v = await viewer();
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${v.url}api/traces`, { headers: { host: "evil.example:4318" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await fetch(`${v.url.replace("127.0.0.1", "localhost")}api/health`)).status).toBe(200);
  });
});

describe("live updates", () => {
  it("sends a server-sent event with the trace's summary when spans arrive", async () => {
    const v = await viewer();
    const res = await fetch(`${v.url}api/events`);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const until = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
        text += value;
      }
    };
    await until(/event: hello/);
    const { traceId, body } = otlpJson(2);
    await postJson(v, body);
    await until(/event: traces\ndata: .*\n\n/);
    const data = JSON.parse(/event: traces\ndata: (.*)\n/.exec(text)![1]!) as { traces: TraceSummary[] };
    expect(data.traces).toEqual([expect.objectContaining({ traceId, spanCount: 2 })]);
    await reader.cancel();
  });

  it("ends the event stream of a client that stops reading, instead of buffering every event for it", async () => {
    const v = await viewer();
    const { request } = await import("node:http");
    const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
      const req = request(`${v.url}api/events`, resolve);
      req.on("error", reject);
      req.end();
    });
    res.pause();
    // 24 MB of events, more than the loopback socket buffers hold while nobody reads.
    for (let i = 0; i < 96; i++) expect((await postJson(v, otlpJson(1, randomHex(16), { name: "x".repeat(256 * 1024) }).body)).status).toBe(200);
    let received = 0;
    res.on("data", (chunk: Buffer) => (received += chunk.length));
    res.resume();
    await new Promise((resolve) => res.on("end", resolve));
    expect(received).toBeLessThan(96 * 256 * 1024);
  });

  it("ends open event streams when the viewer closes", async () => {
    const v = await viewer();
    const res = await fetch(`${v.url}api/events`);
    const reader = res.body!.getReader();
    await reader.read();
    await v.close();
    let done = false;
    while (!done) done = (await reader.read().catch(() => ({ done: true }))).done;
    expect(done).toBe(true);
  });
});
