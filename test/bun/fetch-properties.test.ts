// Bun's fetch carries more than a function: `fetch.preconnect` warms a connection up. Tracing
// outgoing requests replaces the global fetch, and the replacement must still carry it.
import { afterEach, expect, test } from "bun:test";
import { createMemoryExporter, flush, init, instrumentFetch, shutdown } from "spanwise/bun";

afterEach(shutdown);

test("instrumentFetch() keeps fetch.preconnect, and restoring gives Bun's fetch back", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const bunFetch = globalThis.fetch;
  expect(typeof bunFetch.preconnect).toBe("function");
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
  const restore = instrumentFetch();
  try {
    expect(globalThis.fetch).not.toBe(bunFetch);
    expect(globalThis.fetch.preconnect).toBe(bunFetch.preconnect);
    // Called as a user would call it, on the traced fetch.
    expect(() => fetch.preconnect(`http://127.0.0.1:${server.port}`)).not.toThrow();
    expect(await (await fetch(`http://127.0.0.1:${server.port}/after`)).text()).toBe("ok");
    await flush();
    expect(memory.spans.map((s) => [s.kind, s.attributes["url.full"]])).toEqual([["client", `http://127.0.0.1:${server.port}/after`]]);
  } finally {
    restore();
    server.stop(true);
  }
  expect(globalThis.fetch).toBe(bunFetch);
});
