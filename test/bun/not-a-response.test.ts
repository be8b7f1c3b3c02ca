// A handler whose value is not a Response is a bug Bun answers for itself (a page of its own, and
// an error in its log): withTracing leaves that answer alone and marks the SERVER span an error.
import { expect, test } from "bun:test";
import { createMemoryExporter, flush, init, shutdown, withTracing } from "spanwise/bun";

test("a value that is not a Response is answered as without spanwise, and its span is an error", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const handler = (request: Request): Response | Promise<Response> => {
    const value = { not: "a Response" } as unknown as Response;
    return new URL(request.url).pathname === "/async" ? Promise.resolve(value) : value;
  };
  const plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  const traced = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: withTracing(handler) });
  try {
    const answer = async (port: number | undefined, path: string): Promise<string> => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return `${res.status} ${await res.text()}`;
    };
    for (const path of ["/sync", "/async"]) expect(await answer(traced.port, path)).toBe(await answer(plain.port, path));
    await flush();
    expect(memory.spans).toHaveLength(2);
    for (const span of memory.spans) {
      expect(span.statusCode).toBe("error");
      expect(span.attributes["error.type"]).toBe("not_a_response");
      // Bun chose the status, not the handler: none is recorded.
      expect(span.attributes["http.response.status_code"]).toBeUndefined();
    }
  } finally {
    plain.stop();
    traced.stop();
    await shutdown();
  }
});

test("a WebSocket upgrade, which returns nothing, is a 101 and not an error", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: withTracing((request: Request, srv: Bun.Server<undefined>) => (srv.upgrade(request) ? undefined : new Response("no upgrade", { status: 400 })) as Response),
    websocket: { message: (ws, message) => void ws.send(`echo ${String(message)}`) },
  });
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/chat`);
    const echoed = new Promise<string>((resolve, reject) => {
      ws.onopen = () => ws.send("hi");
      ws.onmessage = (e) => resolve(String(e.data));
      ws.onerror = () => reject(new Error("websocket failed"));
    });
    expect(await echoed).toBe("echo hi");
    ws.close();
    await flush();
    const span = memory.spans.find((s) => s.name.startsWith("GET"));
    expect(span?.statusCode).not.toBe("error");
    expect(span?.attributes["error.type"]).toBeUndefined();
    expect(span?.attributes["http.response.status_code"]).toBe(101);
  } finally {
    server.stop(true);
    await shutdown();
  }
});
