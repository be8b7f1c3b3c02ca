import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryExporter, createOtlpHttpExporter, flush, init, instrumentFetch, shutdown, span, stats } from "../runtimes/node/index.js";
import { uninstrumentedFetch } from "./instrument-fetch.js";

describe("instrumentFetch", () => {
  let server: Server;
  let base: string;
  const received: (string | undefined)[] = [];
  const bodies: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.headers.traceparent as string | undefined);
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        bodies.push(body);
        res.statusCode = req.url?.startsWith("/missing") ? 404 : 200;
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  let restore: () => void = () => {};
  afterEach(async () => {
    restore();
    received.length = 0;
    bodies.length = 0;
    await shutdown();
  });

  it("makes each fetch a CLIENT span under the current span, with the query redacted", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    restore = instrumentFetch();
    const res = await span("parent", () => fetch(`${base}/missing?key=secret`));
    expect(res.status).toBe(404);
    // observe follows a returned Response's body: the parent ends once it has been read.
    expect(await res.text()).toBe("ok");
    await flush();
    const client = memory.spans.find((s) => s.kind === "client");
    expect(client?.parentSpanId).toBe(memory.spans.find((s) => s.name === "parent")?.spanId);
    expect(client?.attributes).toMatchObject({ "http.request.method": "GET", "url.full": `${base}/missing?key=REDACTED`, "server.address": "127.0.0.1", "http.response.status_code": 404, "error.type": "404" });
    expect(client?.statusCode).toBe("error");
  });

  it("injects traceparent only for the same origin and the destinations allowed", async () => {
    init({ exporters: [createMemoryExporter()] });
    restore = instrumentFetch({ origin: () => "https://app.example" });
    await span("no propagation", () => fetch(`${base}/a`));
    restore();
    restore = instrumentFetch({ propagateTo: [base] });
    await span("allowed", () => fetch(new Request(`${base}/b`)));
    restore();
    restore = instrumentFetch({ propagateTo: ["127.0.0.1"] });
    await span("caller's own header wins", () => fetch(`${base}/c`, { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } }));
    expect(received[0]).toBeUndefined();
    expect(received[1]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(received[2]).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  });

  it("passes the caller's errors through untouched and keeps the original fetch reachable", async () => {
    init({ exporters: [createMemoryExporter()] });
    const original = globalThis.fetch;
    restore = instrumentFetch();
    expect(globalThis.fetch).not.toBe(original);
    expect(uninstrumentedFetch()).toBe(original);
    await expect(fetch("not a url")).rejects.toThrow(TypeError);
    await expect(fetch("http://127.0.0.1:1/")).rejects.toThrow(TypeError);
    expect(stats().internalErrors).toBe(0);
    restore();
    expect(globalThis.fetch).toBe(original);
  });

  it("records a fetch rejected for the caller's own headers as a failed CLIENT span, with fetch's own error", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    restore = instrumentFetch({ propagateTo: ["*"] });
    const bad = { headers: { "x-user": "a\nb" } };
    const own: unknown = await uninstrumentedFetch()(`${base}/bad`, bad).catch((e: unknown) => e);
    const got: unknown = await span("parent", () => fetch(`${base}/bad`, bad)).catch((e: unknown) => e);
    expect(got).toBeInstanceOf(TypeError);
    expect((got as TypeError).message).toBe((own as TypeError).message);
    await flush();
    const client = memory.spans.find((s) => s.kind === "client");
    expect(client?.statusCode).toBe("error");
    expect(client?.attributes["error.type"]).toBe("TypeError");
    expect(stats().internalErrors).toBe(0);
    expect(received).toEqual([]);
  });

  it("keeps what the fetch it replaces carries: Bun's preconnect, the mark Next.js leaves on the fetch it patched", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    const real = globalThis.fetch;
    const preconnect = (url: string): string => `preconnect ${url}`;
    let reads = 0;
    const patched = Object.assign((input: RequestInfo | URL, init?: RequestInit) => real(input, init), { preconnect, __nextPatched: true as const });
    Object.defineProperty(patched, "live", { get: () => ++reads, enumerable: false });
    globalThis.fetch = patched as typeof fetch;
    try {
      restore = instrumentFetch();
      const traced = globalThis.fetch as typeof patched & { live: number };
      expect(traced).not.toBe(patched);
      expect(traced.preconnect).toBe(preconnect);
      expect(traced.preconnect("https://api.example.com")).toBe("preconnect https://api.example.com");
      expect(traced.__nextPatched).toBe(true);
      // A getter stays a getter, read anew each time.
      expect([traced.live, traced.live]).toEqual([1, 2]);
      // Its own name and length are the wrapper's; calls are still traced.
      expect(traced.name).toBe("fetch");
      await (await fetch(`${base}/kept`)).text();
      await flush();
      expect(memory.spans.map((s) => s.attributes["url.full"])).toEqual([`${base}/kept`]);
      restore();
      expect(globalThis.fetch).toBe(patched);
    } finally {
      globalThis.fetch = real;
    }
  });

  /** Runs `body` with `stub` as the global fetch, traced over it, and puts the real one back. */
  const withStubbedFetch = async (stub: unknown, body: () => Promise<void>): Promise<void> => {
    const real = globalThis.fetch;
    globalThis.fetch = stub as typeof fetch;
    try {
      restore = instrumentFetch({ propagateTo: ["*"] });
      await body();
    } finally {
      restore();
      restore = () => {};
      globalThis.fetch = real;
    }
  };

  it("returns what a fetch that answers synchronously (a test stub) returns, and records its span", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    await withStubbedFetch(
      () => new Response("stub", { status: 503 }),
      async () => {
        const res: unknown = fetch("http://127.0.0.1/stubbed");
        // As without spanwise: the Response itself, not a Promise of it.
        expect(res).toBeInstanceOf(Response);
        expect(await (res as Response).text()).toBe("stub");
      },
    );
    await flush();
    const client = memory.spans.find((s) => s.kind === "client");
    expect(client?.attributes).toMatchObject({ "url.full": "http://127.0.0.1/stubbed", "http.response.status_code": 503, "error.type": "503" });
    expect(client?.statusCode).toBe("error");
    expect(stats().internalErrors).toBe(0);
  });

  it("ends the span of a replaced fetch that answers something other than a Response (a test stub's undefined)", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    await withStubbedFetch(
      async () => undefined,
      async () => expect(await fetch("http://127.0.0.1/stubbed")).toBeUndefined(),
    );
    await flush();
    expect(memory.spans.filter((s) => s.kind === "client").map((s) => s.attributes["url.full"])).toEqual(["http://127.0.0.1/stubbed"]);
    expect(stats()).toMatchObject({ started: 1, ended: 1, internalErrors: 0 });
  });

  it("gives a data: URL's span no server, and a URL's own port as server.port", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    restore = instrumentFetch();
    const text = await span("calls", async () => {
      await (await fetch(`${base}/a`)).text();
      return (await fetch("data:text/plain,hello")).text();
    });
    expect(text).toBe("hello");
    await flush();
    const [http, data] = memory.spans.filter((s) => s.kind === "client");
    expect(http?.attributes).toMatchObject({ "server.address": "127.0.0.1", "server.port": Number(new URL(base).port) });
    expect(data?.attributes["url.full"]).toBe("data:text/plain,hello");
    expect(data?.attributes).not.toHaveProperty("server.address");
    expect(data?.attributes).not.toHaveProperty("server.port");
  });

  it("traces a string, a URL and a Request alike, and sends a Request's body without reading it", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory] });
    restore = instrumentFetch({ propagateTo: ["127.0.0.1"] });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed "));
        controller.enqueue(new TextEncoder().encode("body"));
        controller.close();
      },
    });
    const request = new Request(`${base}/req?q=1`, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await span("calls", async () => {
      await (await fetch(`${base}/str`)).text();
      await (await fetch(new URL(`${base}/url`))).text();
      await (await fetch(request)).text();
    });
    await flush();
    expect(bodies).toEqual(["", "", "streamed body"]);
    expect(received.every((tp) => tp !== undefined)).toBe(true);
    const clients = memory.spans.filter((s) => s.kind === "client");
    expect(clients.map((s) => [s.name, s.attributes["url.full"]])).toEqual([
      ["GET", `${base}/str`],
      ["GET", `${base}/url`],
      ["POST", `${base}/req?q=REDACTED`],
    ]);
  });

  it("never traces or propagates into the SDK's own export requests", async () => {
    init({ serviceName: "self", exporters: [createOtlpHttpExporter({ endpoint: `${base}/v1/traces` })] });
    restore = instrumentFetch({ propagateTo: ["*"] });
    await span("work", async () => {});
    await flush();
    // One request reached the collector: the export, without trace headers and without a span of its own.
    expect(received).toEqual([undefined]);
    expect(stats().started).toBe(1);
  });
});
