// spanwise's exports to a collector that the same program serves with withTracing must not be
// traced: each would be exported to it again, for ever.
import { afterEach, expect, test } from "bun:test";
import { flush, init, shutdown, span, stats, withTracing } from "spanwise/bun";

afterEach(shutdown);

test("exports to a collector served by the same program are not traced, nor is the work they cause", async () => {
  const agents: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: withTracing(async (request: Request) => {
      await request.arrayBuffer();
      agents.push(request.headers.get("user-agent") ?? "");
      await span("store", async () => {});
      return new Response(null, { status: 200 });
    }),
  });
  try {
    init({ serviceName: "in-process", endpoint: `http://127.0.0.1:${server.port}/v1/traces`, flushOnExit: false });
    await span("work", async () => {});
    await flush();
    // Had the export been traced, its spans would be exported by this flush, and so on.
    await flush();
    expect(agents).toEqual([expect.stringMatching(/^spanwise\//)]);
    expect({ started: stats().started, exported: stats().exported }).toEqual({ started: 1, exported: 1 });
  } finally {
    server.stop(true);
  }
});
