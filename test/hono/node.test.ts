import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { streamSSE } from "hono/streaming";
import { type TracingVariables, tracing } from "spanwise/hono";
import { type MemoryExporter, createMemoryExporter, flush, init, inject, shutdown, span } from "spanwise/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

let releaseStream: () => void = () => {};
/** User-Agents of the OTLP requests the app's own collector route received. */
const collected: (string | undefined)[] = [];

function app(): Hono<{ Variables: TracingVariables }> {
  const a = new Hono<{ Variables: TracingVariables }>();
  a.use(tracing({ ignore: (request) => new URL(request.url).pathname === "/health" }));
  a.get("/health", (c) => c.text(c.get("span").spanId));
  // Middleware registered with use() after tracing(): a logger everywhere, an auth check on /admin.
  a.use(async (_c, next) => {
    await next();
  });
  a.use("/admin/*", async (c, next) => {
    if (c.req.header("authorization") === undefined) return c.text("denied", 401);
    await next();
  });
  a.get("/admin/users/:id", (c) => c.text(c.req.param("id")));
  // Another framework's handler, mounted.
  a.mount("/legacy", (request) => new Response(`legacy ${new URL(request.url).pathname}`));
  a.on("PURGE", "/cache/:key", (c) => c.text("purged"));
  a.get("/feed", (c) => streamSSE(c, async (stream) => stream.writeSSE({ data: "one" })));
  a.get("/users/:id/orders/:order", async (c) => {
    c.get("span").setAttribute("user.id", c.req.param("id"));
    const child = await span("load order", async (s) => s.spanId);
    return c.json({ child, server: c.get("span").spanId, outgoing: inject({} as Record<string, string>) });
  });
  // A collector in the same app: spanwise exports to it.
  a.post("/v1/traces", async (c) => {
    await c.req.arrayBuffer();
    collected.push(c.req.header("user-agent"));
    // Work a collector might trace: it must not be exported and come back either.
    await span("store", async () => {});
    return c.body(null, 200);
  });
  a.get("/boom", () => {
    throw new TypeError("handler failed");
  });
  a.get("/denied", () => {
    throw new HTTPException(401, { message: "no token" });
  });
  a.get("/unavailable", () => {
    throw new HTTPException(503, { message: "try later" });
  });
  a.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ data: "first" });
      await new Promise<void>((resolve) => {
        releaseStream = resolve;
      });
      await span("inside the stream", async () => {});
      await stream.writeSSE({ data: "last" });
    }),
  );
  return a;
}

describe("tracing() for Hono on Node", () => {
  let server: ServerType;
  let base: string;
  let memory: MemoryExporter;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app().fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    memory = createMemoryExporter();
    init({ serviceName: "hono-node", exporters: [memory] });
  });
  afterEach(() => shutdown());

  const serverSpan = (): (typeof memory.spans)[number] | undefined => memory.spans.find((s) => s.kind === "server");

  it("names the SERVER span after the matched route and continues the caller's trace", async () => {
    const res = await fetch(`${base}/users/42/orders/7?token=x`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: "vendor=abc" } });
    const body = (await res.json()) as { child: string; server: string; outgoing: Record<string, string> };
    await flush();
    const s = serverSpan();
    expect(s).toMatchObject({ name: "GET /users/:id/orders/:order", traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN, parentIsRemote: true, spanId: body.server });
    expect(s?.attributes).toMatchObject({ "http.request.method": "GET", "http.route": "/users/:id/orders/:order", "url.path": "/users/42/orders/7", "url.query": "token=REDACTED", "http.response.status_code": 200, "user.id": "42" });
    expect(s?.statusCode).toBe("unset");
    expect(memory.spans.find((x) => x.name === "load order")).toMatchObject({ spanId: body.child, parentSpanId: body.server, traceId: CALLER_TRACE });
    // Calls made by the handler carry the request's trace, our tracestate entry first.
    expect(body.outgoing.traceparent).toBe(`00-${CALLER_TRACE}-${body.server}-01`);
    expect(body.outgoing.tracestate).toBe(`spanwise=${body.server},vendor=abc`);
  });

  it("leaves spanwise's own exports to a collector in the same app untraced, and the work they cause", async () => {
    await shutdown();
    init({ serviceName: "hono-node", exporters: [memory, "otlp"], endpoint: `${base}/v1/traces` });
    collected.length = 0;
    await span("work", () => {});
    await flush();
    // Had the export been traced, its SERVER span would be exported by this flush, and so on.
    await flush();
    expect(collected).toEqual([expect.stringMatching(/^spanwise\//)]);
    expect(memory.spans.map((s) => s.name)).toEqual(["work"]);
  });

  it("starts a new trace without traceparent and honours an unsampled caller", async () => {
    const fresh = (await (await fetch(`${base}/users/1/orders/2`)).json()) as { server: string };
    const unsampled = (await (await fetch(`${base}/users/1/orders/3`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-00` } })).json()) as { outgoing: Record<string, string> };
    await flush();
    const s = serverSpan();
    expect(s?.spanId).toBe(fresh.server);
    expect(s?.traceId).not.toBe(CALLER_TRACE);
    expect(s?.parentSpanId).toBeUndefined();
    // Not sampled upstream: nothing of that trace is exported, and the decision travels on.
    expect(memory.spans.filter((x) => x.traceId === CALLER_TRACE)).toEqual([]);
    expect(unsampled.outgoing.traceparent).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-00$`));
  });

  it("records an error thrown by a handler and answers exactly as Hono does", async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error");
    await flush();
    const s = serverSpan();
    expect(s).toMatchObject({ name: "GET /boom", statusCode: "error", statusMessage: "handler failed" });
    expect(s?.attributes).toMatchObject({ "http.response.status_code": 500, "error.type": "TypeError" });
    expect(s?.events.find((e) => e.name === "exception")?.attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "handler failed" });
  });

  it("records HTTPExceptions: a 4xx is the client's, a 5xx is an error", async () => {
    const denied = await fetch(`${base}/denied`);
    expect(denied.status).toBe(401);
    expect(await denied.text()).toBe("no token");
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET /denied", statusCode: "unset" });
    expect(serverSpan()?.attributes["http.response.status_code"]).toBe(401);
    expect(serverSpan()?.events.map((e) => e.name)).toEqual(["exception"]);
    memory.reset();
    expect((await fetch(`${base}/unavailable`)).status).toBe(503);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET /unavailable", statusCode: "error", statusMessage: "try later" });
    expect(serverSpan()?.attributes["error.type"]).toBe("HTTPException");
  });

  it("names an unmatched request by its method alone", async () => {
    expect((await fetch(`${base}/nowhere/123`)).status).toBe(404);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET" });
    expect(serverSpan()?.attributes["http.route"]).toBeUndefined();
    expect(serverSpan()?.attributes["http.response.status_code"]).toBe(404);
  });

  it("names a request a use() middleware answered after the route it matched, not the middleware", async () => {
    expect((await fetch(`${base}/admin/users/7`)).status).toBe(401);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET /admin/users/:id", attributes: { "http.route": "/admin/users/:id", "http.response.status_code": 401 } });
  });

  it("names a mounted app's request after its mount path, and a middleware's own answer after the middleware's", async () => {
    const res = await fetch(`${base}/legacy/a/b`);
    expect(await res.text()).toBe("legacy /a/b");
    expect((await fetch(`${base}/admin/settings`)).status).toBe(401);
    // Middleware let it through and nothing answered: Hono's 404, named by the method alone.
    expect((await fetch(`${base}/admin/settings`, { headers: { authorization: "Bearer t" } })).status).toBe(404);
    await flush();
    expect(memory.spans.filter((s) => s.kind === "server").map((s) => [s.name, s.attributes["http.route"], s.attributes["http.response.status_code"]])).toEqual([
      ["GET /legacy/*", "/legacy/*", 200],
      ["GET /admin/*", "/admin/*", 401],
      ["GET", undefined, 404],
    ]);
  });

  it("names a request with an unknown method HTTP, after its route, and keeps the method as sent", async () => {
    expect(await (await fetch(`${base}/cache/home`, { method: "PURGE" })).text()).toBe("purged");
    await flush();
    expect(serverSpan()).toMatchObject({ name: "HTTP /cache/:key", attributes: { "http.route": "/cache/:key", "http.request.method": "_OTHER", "http.request.method_original": "PURGE" } });
    memory.reset();
    // Node's HTTP parser refuses a lowercase method; Hono's own request() passes it as sent.
    await app().request("/nowhere", { method: "patch" });
    await flush();
    expect(serverSpan()?.attributes).toMatchObject({ "http.request.method": "PATCH", "http.request.method_original": "patch" });
  });

  it("ends the span of a HEAD request to a streaming route, whose body is never sent", async () => {
    const res = await fetch(`${base}/feed`, { method: "HEAD" });
    expect(res.status).toBe(200);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "HEAD /feed", attributes: { "http.route": "/feed" } });
  });

  it("keeps the span of a streamed response open until the body ends", async () => {
    const res = await fetch(`${base}/events`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toContain("first");
    await flush();
    expect(serverSpan()).toBeUndefined();
    releaseStream();
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += decoder.decode(r.value);
    expect(text).toContain("last");
    // The span ends as the server sends the end of the body, which may land just after our read.
    while (serverSpan() === undefined) {
      await flush();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const s = serverSpan();
    expect(s).toMatchObject({ name: "GET /events" });
    expect(memory.spans.find((x) => x.name === "inside the stream")?.parentSpanId).toBe(s?.spanId);
  });

  it("leaves ignored requests untraced and still hands handlers a span", async () => {
    expect(await (await fetch(`${base}/health`)).text()).toBe("0000000000000000");
    await flush();
    expect(memory.spans).toEqual([]);
  });
});
