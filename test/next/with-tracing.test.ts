// spanwise/next called as an app calls it, in Node, without a Next build: what a route handler
// or middleware throws and returns, and the edge runtime's synchronous context (no async storage).
import { DynamicServerError } from "next/dist/client/components/hooks-server-context.js";
import { forbidden, notFound, permanentRedirect, redirect, unauthorized } from "next/navigation";
import { NextResponse } from "next/server";
import { withMiddlewareTracing, withTracing } from "spanwise/next";
import { type ContextStorage, type MemoryExporter, createMemoryExporter, flush, init, shutdown } from "spanwise/node";
// What spanwise falls back to on Next's edge runtime: a synchronous stack, gone after an await
// (from src, whose ContextStorage is the same type as the one dist declares, hence the cast).
import { createStackStorage } from "../../src/core/context.js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

let memory: MemoryExporter;
const serverSpan = (): (typeof memory.spans)[number] | undefined => memory.spans.find((s) => s.kind === "server");


async function thrownBy(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error("did not throw");
}

describe("withTracing for Next.js route handlers", () => {
  beforeAll(() => {
    // forbidden() and unauthorized() throw their digest only with experimental.authInterrupts.
    process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  });
  beforeEach(() => {
    memory = createMemoryExporter();
    init({ serviceName: "next-unit", exporters: [memory] });
  });
  afterEach(() => shutdown());

  it.each([
    ["notFound()", () => notFound(), 404],
    ["redirect()", () => redirect("/login?next=/a;b"), 307],
    ["permanentRedirect()", () => permanentRedirect("/moved"), 308],
    ["forbidden()", () => forbidden(), 403],
    ["unauthorized()", () => unauthorized(), 401],
  ])("records %s as the status Next answers with, not as an error, and rethrows it untouched", async (_name, signal, status) => {
    const handler = withTracing(async (): Promise<Response> => signal(), { route: "/api/a" });
    const original = await thrownBy(async () => signal());
    const thrown = await thrownBy(() => handler(new Request("http://localhost/api/a")));
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as { digest?: string }).digest).toBe((original as { digest?: string }).digest);
    await flush();
    const s = serverSpan();
    expect(s).toMatchObject({ name: "GET /api/a", statusCode: "unset" });
    expect(s?.attributes["http.response.status_code"]).toBe(status);
    expect(s?.attributes["error.type"]).toBeUndefined();
    expect(s?.events).toEqual([]);
  });

  it("rethrows Next's dynamic-rendering signals without recording them as errors", async () => {
    const signal = new DynamicServerError("headers");
    const handler = withTracing((): Response => {
      throw signal;
    });
    expect(() => handler(new Request("http://localhost/api/a"))).toThrow(signal);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET", statusCode: "unset", events: [] });
    expect(serverSpan()?.attributes["error.type"]).toBeUndefined();
  });

  it("records an ordinary error with error.type, as Hono does, and rethrows it", async () => {
    const failure = new TypeError("route failed");
    const handler = withTracing(async (): Promise<Response> => {
      throw failure;
    }, { route: "/api/fail" });
    await expect(handler(new Request("http://localhost/api/fail"))).rejects.toBe(failure);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET /api/fail", statusCode: "error" });
    expect(serverSpan()?.attributes["error.type"]).toBe("TypeError");
  });

  it("ends the span of a HEAD request, whose body is never read", async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode("data: a\n\n")) });
    const handler = withTracing(async () => new Response(stream, { headers: { "content-type": "text/event-stream" } }), { route: "/api/sse" });
    const res = await handler(new Request("http://localhost/api/sse", { method: "HEAD" }));
    expect(res.status).toBe(200);
    await flush();
    expect(serverSpan()).toMatchObject({ name: "HEAD /api/sse" });
  });

  it("hands back the very Response a handler returned when its body is not streamed", async () => {
    const plain = Response.json({ ok: true });
    const next = NextResponse.json({ ok: true });
    expect(await withTracing(async () => plain)(new Request("http://localhost/a"))).toBe(plain);
    expect(await withTracing(async () => next)(new Request("http://localhost/a"))).toBe(next);
    await flush();
    expect(memory.spans.map((s) => s.attributes["http.response.status_code"])).toEqual([200, 200]);
  });

  it("keeps the span of a streamed NextResponse open until its body ends, and keeps it a NextResponse", async () => {
    let push: (text: string) => void = () => {};
    let close: () => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        push = (text) => c.enqueue(new TextEncoder().encode(text));
        close = () => c.close();
      },
    });
    const handler = withTracing(async () => {
      const res = new NextResponse(body, { headers: { "content-type": "text/event-stream" } });
      res.cookies.set("session", "s-1");
      return res;
    }, { route: "/api/sse" });
    const res = await handler(new Request("http://localhost/api/sse"));
    expect(res).toBeInstanceOf(NextResponse);
    expect((res as NextResponse).cookies.get("session")?.value).toBe("s-1");
    push("data: a\n\n");
    const reading = res.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flush();
    expect(serverSpan()).toBeUndefined();
    close();
    expect(await reading).toBe("data: a\n\n");
    await flush();
    expect(serverSpan()).toMatchObject({ name: "GET /api/sse", attributes: { "spanwise.stream.chunks": 1 } });
  });

  it("records a lowercase method as sent, an unknown one as HTTP with its route, and the query redacted", async () => {
    const handler = withTracing(async () => new Response(null, { status: 204 }), { route: "/api/items/[id]" });
    await handler(new Request("http://localhost/api/items/1", { method: "patch" }));
    await handler(new Request("http://localhost/api/items/1?token=abc", { method: "PURGE" }));
    await flush();
    const [patch, purge] = memory.spans;
    expect(patch).toMatchObject({ name: "PATCH /api/items/[id]", attributes: { "http.request.method": "PATCH", "http.request.method_original": "patch" } });
    expect(purge).toMatchObject({ name: "HTTP /api/items/[id]", attributes: { "http.request.method": "_OTHER", "http.request.method_original": "PURGE", "http.route": "/api/items/[id]", "url.query": "token=REDACTED" } });
  });
});

describe("withMiddlewareTracing on the edge runtime (synchronous context only)", () => {
  const waited: Promise<unknown>[] = [];
  const event = { waitUntil: (p: Promise<unknown>) => void waited.push(p) };
  beforeEach(() => {
    memory = createMemoryExporter();
    init({ serviceName: "next-edge-unit", exporters: [memory], contextStorage: createStackStorage() as unknown as ContextStorage });
    (globalThis as { EdgeRuntime?: string }).EdgeRuntime = "edge-runtime";
    waited.length = 0;
  });
  afterEach(async () => {
    delete (globalThis as { EdgeRuntime?: string }).EdgeRuntime;
    await shutdown();
  });

  it("passes an async middleware's own span on to the route handler", async () => {
    const middleware = withMiddlewareTracing(async (_request: Request, _event: typeof event) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return NextResponse.next();
    });
    const res = await middleware(new Request("http://localhost/api/a"), event);
    await Promise.all(waited);
    await flush();
    const span = memory.spans.find((s) => s.name === "middleware GET");
    expect(span).toBeDefined();
    expect(res.headers.get("x-middleware-request-traceparent")).toBe(`00-${span?.traceId}-${span?.spanId}-01`);
  });

  it("exports an async middleware's span through event.waitUntil once it has ended", async () => {
    const middleware = withMiddlewareTracing(async (_request: Request, _event: typeof event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return NextResponse.json({ denied: true }, { status: 403 });
    });
    const res = await middleware(new Request("http://localhost/api/a"), event);
    expect(res.status).toBe(403);
    expect(waited).toHaveLength(1);
    await Promise.all(waited);
    expect(memory.spans.map((s) => [s.name, s.attributes["http.response.status_code"]])).toEqual([["middleware GET", 403]]);
  });
});
