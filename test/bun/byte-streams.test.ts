// Bun makes `new Response(byteStream).body` a byte stream but not a fetch's body: what observe
// hands back is a byte stream exactly when what the function returned was one.
import { afterEach, expect, test } from "bun:test";
import { createMemoryExporter, flush, init, observe, shutdown } from "spanwise/bun";
import { readByob } from "../helpers/read-byob.ts";

afterEach(shutdown);

/** A byte stream (type "bytes") that gives `chunks` one per pull. */
function byteSource(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });
}

/** The error class getReader({ mode: "byob" }) throws on `stream`, or "a BYOB reader". */
function byob(stream: ReadableStream): unknown {
  try {
    stream.getReader({ mode: "byob" }).releaseLock();
    return "a BYOB reader";
  } catch (err) {
    return (err as Error).constructor;
  }
}

test("an observed byte stream, and a Response made from one, are read by BYOB readers in pieces of their size", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  expect(await readByob(observe(() => byteSource(["hello", " world"]), { name: "made" })(), 4)).toEqual(["hell", "o", " wor", "ld"]);
  const res = await observe(async () => new Response(byteSource(["data: a\n\n", "data: b\n\n"]), { headers: { "content-type": "text/event-stream" } }), { name: "response" })();
  expect((await readByob(res.body as ReadableStream<Uint8Array>, 64)).join("")).toBe("data: a\n\ndata: b\n\n");
  await flush();
  const made = memory.spans.find((s) => s.name === "made");
  expect([made?.attributes["spanwise.stream.chunks"], made?.attributes["spanwise.stream.bytes"], made?.attributes["output.value"]]).toEqual([2, 11, "hello world"]);
  expect(memory.spans.find((s) => s.name === "response")?.attributes["spanwise.stream.bytes"]).toBe(18);
});

test("a stream that is not a byte stream, as a fetch's body in Bun, stays one that is not", async () => {
  init({ exporters: [createMemoryExporter()], flushOnExit: false });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("fetched") });
  try {
    const plain = await fetch(server.url);
    const observed = await observe(() => fetch(server.url), { name: "fetch" })();
    expect(byob(observed.body as ReadableStream)).toBe(byob(plain.body as ReadableStream));
    expect(await observed.text()).toBe("fetched");
    expect(byob(observe(() => new ReadableStream(), { name: "plain" })())).toBe(TypeError);
  } finally {
    server.stop(true);
  }
});
