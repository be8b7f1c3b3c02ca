import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, attr, startWorker } from "./harness.js";

describe("instrument(): export through ctx.waitUntil", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(() => w.close());

  it("exports the spans of an invocation after the response, including waitUntil work started after it", async () => {
    const res = await w.get("/basic?user=alice");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("basic done");
    expect(res.headers.get("x-kept")).toBe("yes");
    await w.helper.gateReached();
    // The response is out while the handler's waitUntil work is still held at the gate:
    // nothing has been exported, because the export waits for that work.
    expect(w.collector.requests).toHaveLength(0);
    w.helper.release();
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "after-response"));
    const root = spans.find((s) => s.name === "GET");
    expect(spans.map((s) => s.name).sort()).toEqual(["GET", "GET", "after-response", "handle"]);
    for (const s of spans) expect(s.traceId).toBe(root?.traceId);
    expect(spans.find((s) => s.name === "handle")?.parentSpanId).toBe(root?.spanId);
    expect(spans.find((s) => s.name === "after-response")?.parentSpanId).toBe(root?.spanId);
    // The waitUntil work's own fetch to the gate is a CLIENT span under the root.
    const gate = spans.find((s) => s.name === "GET" && s !== root);
    expect(gate?.kind).toBe(3);
    expect(attr(gate, "url.full")).toBe(`${w.helper.url}/gate`);
    expect(w.collector.requests).toHaveLength(1);
  });

  it("records the request on a SERVER root span, with the query redacted and the cold start once", async () => {
    const before = w.collector.spans().length;
    const res = await w.get("/work?i=7&token=secret", { headers: { "user-agent": "suite/1.0" } });
    expect(res.status).toBe(200);
    const spans = await w.spansWhen((s) => s.slice(before).some((x) => x.name === "GET" && x.kind === 2));
    const root = spans.slice(before).find((s) => s.kind === 2);
    expect(root).toBeDefined();
    expect(attr(root, "http.request.method")).toBe("GET");
    expect(attr(root, "url.full")).toBe(new URL("/work?i=REDACTED&token=REDACTED", w.url).href);
    expect(attr(root, "url.query")).toBe("i=REDACTED&token=REDACTED");
    expect(attr(root, "url.path")).toBe("/work");
    expect(attr(root, "http.response.status_code")).toBe(200);
    expect(attr(root, "user_agent.original")).toBe("suite/1.0");
    expect(attr(root, "faas.trigger")).toBe("http");
    expect(attr(root, "faas.coldstart")).toBe(false);
    const first = w.collector.spans().find((s) => s.kind === 2);
    expect(attr(first, "faas.coldstart")).toBe(true);
    const resource = w.collector.requests[0]?.body?.resourceSpans[0]?.resource.attributes ?? [];
    expect(resource.find((a) => a.key === "service.name")?.value.stringValue).toBe("workers-suite");
    expect(resource.find((a) => a.key === "cloud.provider")?.value.stringValue).toBe("cloudflare");
  });

  it("does not trace a request spanwise's own exporter sent, so a Worker that receives its own exports cannot feed itself", async () => {
    const before = w.collector.requests.length;
    const spansBefore = w.collector.spans().length;
    const own = await w.get("/work?i=1", { headers: { "user-agent": "spanwise/0.1.0" } });
    expect(own.status).toBe(200);
    await own.text();
    await (await w.get("/work?i=2")).text();
    const spans = await w.spansWhen((s) => s.slice(spansBefore).some((x) => x.kind === 2));
    // One export, of the second request only: the first ran untraced and exported nothing.
    expect(w.collector.requests.length - before).toBe(1);
    const servers = spans.slice(spansBefore).filter((s) => s.kind === 2);
    expect(servers.map((s) => attr(s, "url.full"))).toEqual([new URL("/work?i=REDACTED", w.url).href]);
    // The Worker's own export names spanwise as its User-Agent.
    expect(w.collector.requests.at(-1)?.headers["user-agent"]).toMatch(/^spanwise\//);
  });

  it("hands the platform a lazy thenable given to waitUntil so that it runs once", async () => {
    expect(await (await w.get("/wait-lazy")).text()).toBe("queued");
    await w.spansWhen((s) => s.some((x) => x.kind === 2 && attr(x, "url.path") === "/wait-lazy"));
    // A query builder runs on each then(): the platform's and spanwise's would make two runs.
    expect(await (await w.get("/lazy-runs")).text()).toBe("1");
  });

  it("continues the caller's trace from traceparent and tracestate, and records cf-ray", async () => {
    const before = w.collector.spans().length;
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    await (await w.get("/work?i=1", { headers: { traceparent, tracestate: "vendor=opaque", "cf-ray": "8f1e2d3c4b5a6978-DFW" } })).text();
    const spans = await w.spansWhen((s) => s.slice(before).some((x) => x.kind === 2));
    const root = spans.slice(before).find((s) => s.kind === 2);
    expect(root?.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(root?.parentSpanId).toBe("b7ad6b7169203331");
    expect(root?.traceState).toBe("vendor=opaque");
    expect(attr(root, "cf.ray")).toBe("8f1e2d3c4b5a6978-DFW");
  });

  it("gzips an export of 1 KiB or more with workerd's CompressionStream, and sends a smaller one as it is", async () => {
    const before = w.collector.requests.length;
    await (await w.get("/plain")).text();
    // The query value is redacted from url.full, but the handler records it on two spans.
    // (Words, not one long run: that would be taken for base64 media and stripped.)
    const long = "one two ".repeat(400);
    await (await w.get(`/work?i=${encodeURIComponent(long)}`)).text();
    await w.collector.waitForRequests(before + 2);
    const requests = w.collector.requests.slice(before);
    const carrying = (path: string) => requests.find((r) => r.body?.resourceSpans[0]?.scopeSpans[0]?.spans.some((s) => attr(s, "url.path") === path));
    const small = carrying("/plain");
    const large = carrying("/work");
    expect(small?.bytes.length).toBeLessThan(1024);
    expect(small?.headers["content-encoding"]).toBeUndefined();
    expect(large?.bytes.length).toBeGreaterThan(6000);
    expect(large?.headers["content-encoding"]).toBe("gzip");
    // The collector gunzips before decoding: the long values arrived whole.
    const step = large?.body?.resourceSpans[0]?.scopeSpans[0]?.spans.find((s) => s.name === "step");
    expect(attr(step, "i")).toBe(long);
  });

  it("builds the options from env once per isolate", async () => {
    expect((await w.debug()).optionsCalls).toBe(1);
  });
});
