import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OtlpSpan } from "../helpers/collector.js";
import { type RunningWorker, attr, durationMs, startWorker } from "./harness.js";

const rootsOf = (spans: OtlpSpan[], path: string) => spans.filter((s) => s.kind === 2 && attr(s, "url.path") === path);

describe("instrument(): streamed responses", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(() => w.close());

  it("sends an event stream of known length with its Content-Length, as without spanwise", async () => {
    const res = await w.get("/sized-sse");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("content-length")).toBe("13");
    expect(res.headers.get("transfer-encoding")).toBeNull();
    expect(await res.text()).toBe("data: sized\n\n");
    const spans = await w.spansWhen((s) => rootsOf(s, "/sized-sse").length === 1);
    expect(attr(rootsOf(spans, "/sized-sse")[0], "http.response.status_code")).toBe(200);
  });

  it("counts the bytes of a body written as ArrayBuffers, typed arrays and DataViews", async () => {
    const res = await w.get("/chunk-types");
    expect((await res.arrayBuffer()).byteLength).toBe(15);
    const spans = await w.spansWhen((s) => rootsOf(s, "/chunk-types").length === 1);
    const root = rootsOf(spans, "/chunk-types")[0];
    expect([attr(root, "http.response.body.size"), attr(root, "spanwise.stream.chunks")]).toEqual([15, 3]);
  });

  it("keeps the root span open for the whole of a 3 s SSE stream", async () => {
    const res = await w.get("/sse?n=6&ms=500");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const text = await res.text();
    expect(text.match(/^data: /gm)).toHaveLength(6);
    const spans = await w.spansWhen((s) => rootsOf(s, "/sse").length === 1);
    const root = rootsOf(spans, "/sse")[0] as OtlpSpan;
    const tokens = spans.filter((s) => s.name === "token" && s.traceId === root.traceId);
    expect(tokens).toHaveLength(6);
    // Six pulls, each after a 500 ms timer: the body took at least 3 s, and the root covers it,
    // its last token included.
    expect(durationMs(root)).toBeGreaterThanOrEqual(3000);
    const lastTokenEnd = Math.max(...tokens.map((t) => Number(BigInt(t.endTimeUnixNano) / 1000n)));
    expect(Number(BigInt(root.endTimeUnixNano) / 1000n)).toBeGreaterThanOrEqual(lastTokenEnd);
    expect(attr(root, "http.response.body.size")).toBe(new TextEncoder().encode(text).byteLength);
    expect(attr(root, "spanwise.cancelled")).toBeUndefined();
    // One export for the whole event, sent once the body was over.
    const request = w.collector.requests.find((r) => r.body?.resourceSpans.some((rs) => rs.scopeSpans.some((ss) => ss.spans.some((s) => s.spanId === root.spanId))));
    expect(request?.body?.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).filter((s) => s.name === "token")).toHaveLength(6);
  });

  it("records a client cancel mid-stream and still exports the span", async () => {
    const res = await w.get("/sse?n=100&ms=100");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while ((seen.match(/^data: /gm) ?? []).length < 2) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const spans = await w.spansWhen((s) => rootsOf(s, "/sse").length === 2);
    const root = rootsOf(spans, "/sse")[1] as OtlpSpan;
    expect(attr(root, "spanwise.cancelled")).toBe(true);
    expect(attr(root, "http.response.status_code")).toBe(200);
    expect(Number(attr(root, "http.response.body.size"))).toBeGreaterThan(0);
    expect(spans.filter((s) => s.name === "token" && s.traceId === root.traceId).length).toBeLessThan(100);
  });

  it("keeps a stream read slowly, pull after pull, open past flushTimeoutMs", async () => {
    // Each pull waits 500 ms on the source; the body is never left unpulled, so it is no stall.
    const slow = await startWorker({ bindings: { FLUSH_TIMEOUT_MS: "300" } });
    try {
      const text = await (await slow.get("/sse?n=4&ms=500")).text();
      expect(text.match(/^data: /gm)).toHaveLength(4);
      const spans = await slow.spansWhen((s) => rootsOf(s, "/sse").length === 1);
      const root = rootsOf(spans, "/sse")[0];
      expect(attr(root, "spanwise.abandoned")).toBeUndefined();
      expect(durationMs(root as OtlpSpan)).toBeGreaterThanOrEqual(2000);
    } finally {
      await slow.close();
    }
  });

  it("keeps a client that pauses shorter than 2 s, even with a shorter flushTimeoutMs, and ends and exports an event whose client stopped reading", async () => {
    // A client gone mid-stream does not always reach the body's cancel() in workerd (under load);
    // one that stops reading without going leaves the body unpulled the same way.
    const stalled = await startWorker({ bindings: { FLUSH_TIMEOUT_MS: "300" } });
    try {
      const reader = (await stalled.get("/firehose")).body?.getReader();
      expect((await reader?.read())?.done).toBe(false);
      // A pause past flushTimeoutMs (300 ms) but under 2 s, then reading on: still a live client.
      await new Promise((resolve) => setTimeout(resolve, 800));
      for (let read = 0; read < 4 * 1024 * 1024; ) read += (await reader?.read())?.value?.byteLength ?? 0;
      expect(rootsOf(stalled.collector.spans(), "/firehose")).toEqual([]);
      // Then it stops reading for good.
      const spans = await stalled.spansWhen((s) => rootsOf(s, "/firehose").length === 1);
      const root = rootsOf(spans, "/firehose")[0];
      expect(attr(root, "spanwise.cancelled")).toBe(true);
      expect(attr(root, "spanwise.abandoned")).toBe(true);
      expect(Number(attr(root, "http.response.body.size"))).toBeGreaterThan(0);
      await reader?.cancel();
    } finally {
      await stalled.close();
    }
  });

  it("keeps observed byte streams, and the bodies of observed Responses and fetches, byte streams that BYOB readers read", async () => {
    const res = await w.get("/byob");
    expect(await res.json()).toEqual({ made: ["hell", "o", " wor", "ld"], response: "data: a\n\ndata: b\n\n", fetched: true, fetchedText: true, bytes: 100_400, plain: "TypeError" });
    const spans = await w.spansWhen((s) => rootsOf(s, "/byob").length === 1 && s.some((x) => x.name === "fetched"));
    const traceId = rootsOf(spans, "/byob")[0]?.traceId;
    const counts = (name: string) => {
      const s = spans.find((x) => x.name === name && x.traceId === traceId);
      return [attr(s, "spanwise.stream.chunks"), attr(s, "spanwise.stream.bytes")];
    };
    expect(counts("made")).toEqual([2, 11]);
    expect(counts("response")[1]).toBe(18);
    expect(counts("fetched")[1]).toBe(100_400);
    expect(counts("fetched text")[1]).toBe(100_400);
  });

  it("ends a non-streamed response's span at return", async () => {
    expect(await (await w.get("/plain")).json()).toEqual({ plain: true });
    const spans = await w.spansWhen((s) => rootsOf(s, "/plain").length === 1);
    const root = rootsOf(spans, "/plain")[0];
    expect(attr(root, "http.response.status_code")).toBe(200);
    expect(attr(root, "http.response.body.size")).toBeUndefined();
  });
});
