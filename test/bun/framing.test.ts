// withTracing must not change how Bun sends a response it does not need to follow: JSON and
// file bodies keep their Content-Length (and Bun's file path), HEAD keeps its headers, and every
// request's span still ends.
import { expect, test } from "bun:test";
import { createMemoryExporter, flush, init, shutdown, stats, withTracing } from "spanwise/bun";

test("JSON, file and HEAD responses keep their Content-Length, and their spans end", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const big = { text: "x".repeat(1_000_000) };
  const file = new URL("../../package.json", import.meta.url).pathname;
  const handler = (request: Request): Response => (new URL(request.url).pathname === "/file" ? new Response(Bun.file(file)) : Response.json(big));
  const plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  const traced = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: withTracing(handler) });
  try {
    const framing = async (port: number | undefined, method: string, path: string): Promise<string> => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
      const length = (await res.arrayBuffer()).byteLength;
      return `${method} ${path} ${res.status} length=${res.headers.get("content-length")} te=${res.headers.get("transfer-encoding")} read=${length}`;
    };
    for (const [method, path] of [["GET", "/json"], ["HEAD", "/json"], ["GET", "/file"], ["HEAD", "/file"]] as const) {
      const expected = await framing(plain.port, method, path);
      expect(expected).toContain("te=null");
      expect(await framing(traced.port, method, path)).toBe(expected);
    }
    await flush();
    expect(memory.spans).toHaveLength(4);
    expect(stats().started).toBe(stats().ended);
  } finally {
    plain.stop();
    traced.stop();
    await shutdown();
  }
});
