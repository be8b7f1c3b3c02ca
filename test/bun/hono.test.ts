// Hono's tracing() under withTracing for Bun.serve: the middleware names and annotates the one
// SERVER span withTracing opened, and what it records there stays.
import { expect, test } from "bun:test";
import { Hono } from "hono";
import { createMemoryExporter, flush, init, shutdown, withTracing } from "spanwise/bun";
import { tracing } from "spanwise/hono";

test("a handler's error keeps its type as error.type and its message as the status description on the one SERVER span", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const app = new Hono();
  app.use(tracing());
  app.get("/boom/:id", () => {
    throw new TypeError("handler failed");
  });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: withTracing(app.fetch) });
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/boom/1`);
    await res.text();
    expect(res.status).toBe(500);
    await flush();
    expect(memory.spans).toHaveLength(1);
    const span = memory.spans[0]!;
    expect(span.name).toBe("GET /boom/:id");
    expect(span.statusCode).toBe("error");
    expect(span.statusMessage).toBe("handler failed");
    expect(span.attributes["http.response.status_code"]).toBe(500);
    expect(span.attributes["error.type"]).toBe("TypeError");
  } finally {
    server.stop();
    await shutdown();
  }
});
