// withTracing must not change how Bun sends a response it does not need to follow: JSON and
// file bodies keep their Content-Length (and Bun's file path), HEAD keeps its headers, and every
// request's span still ends. A plain-text file or Blob gets its text/plain type from Bun when the
// Response is made, yet is no stream either.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryExporter, flush, init, shutdown, stats, withTracing } from "spanwise/bun";

test("JSON, file, plain-text file and Blob, and HEAD responses keep their Content-Length, and their spans end", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const big = { text: "x".repeat(1_000_000) };
  const file = new URL("../../package.json", import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), "spanwise-framing-"));
  const textFile = join(dir, "notes.txt");
  writeFileSync(textFile, "a line of notes\n".repeat(20_000));
  const bodies: Record<string, () => Response> = {
    "/file": () => new Response(Bun.file(file)),
    "/text-file": () => new Response(Bun.file(textFile)),
    "/text-blob": () => new Response(new Blob(["plain text ".repeat(10_000)], { type: "text/plain" })),
  };
  const handler = (request: Request): Response => bodies[new URL(request.url).pathname]?.() ?? Response.json(big);
  const plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  const traced = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: withTracing(handler) });
  try {
    const framing = async (port: number | undefined, method: string, path: string): Promise<string> => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
      const length = (await res.arrayBuffer()).byteLength;
      return `${method} ${path} ${res.status} length=${res.headers.get("content-length")} te=${res.headers.get("transfer-encoding")} read=${length}`;
    };
    const requests = [["GET", "/json"], ["HEAD", "/json"], ["GET", "/file"], ["HEAD", "/file"], ["GET", "/text-file"], ["GET", "/text-blob"]] as const;
    for (const [method, path] of requests) {
      const expected = await framing(plain.port, method, path);
      expect(expected).toContain("te=null");
      expect(await framing(traced.port, method, path)).toBe(expected);
    }
    await flush();
    expect(memory.spans).toHaveLength(requests.length);
    expect(memory.spans.some((s) => s.attributes["spanwise.stream.chunks"] !== undefined)).toBe(false);
    expect(stats().started).toBe(stats().ended);
  } finally {
    plain.stop();
    traced.stop();
    await shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a followed body counts the bytes Bun sends for every chunk type it takes", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const chunks: Record<string, () => unknown> = {
    string: () => "data: héllo 😀\n\n",
    arraybuffer: () => new TextEncoder().encode("data: ab\n\n").buffer,
    dataview: () => new DataView(new TextEncoder().encode("data: dv\n\n").buffer),
    uint16: () => new Uint16Array([0x6978, 0x0a0a]),
    uint8: () => new TextEncoder().encode("data: u8\n\n"),
  };
  const handler = (request: Request): Response => {
    const chunk = chunks[new URL(request.url).pathname.slice(1)]!();
    const body = new ReadableStream({
      pull(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  };
  const traced = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: withTracing(handler) });
  try {
    const sent: Record<string, number> = {};
    for (const name of Object.keys(chunks)) sent[name] = (await (await fetch(`http://127.0.0.1:${traced.port}/${name}`)).arrayBuffer()).byteLength;
    await flush();
    const counted = Object.fromEntries(memory.spans.map((s) => [(s.attributes["url.path"] as string).slice(1), s.attributes["spanwise.stream.bytes"]]));
    expect(sent).toEqual({ string: 19, arraybuffer: 10, dataview: 10, uint16: 4, uint8: 10 });
    expect(counted).toEqual(sent);
  } finally {
    traced.stop();
    await shutdown();
  }
});
