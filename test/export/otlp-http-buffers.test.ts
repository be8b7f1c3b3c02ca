import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ExportBatch, createMemoryExporter, createOtlpHttpExporter, encodeOtlpJson, encodeOtlpProto, flush, init, shutdown, span } from "spanwise/node";
import { type Collector, quietLogger, startCollector } from "../helpers/collector.js";

// The OTLP/HTTP exporter writes each request into the buffer the one before it was written into,
// once nothing reads that one any more. These tests hold it to sending exactly what the public
// encoders (which write into a new buffer every time) make of the same batch.

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

const PROTOCOLS = ["http/json", "http/protobuf"] as const;
// The bodies below are 354–620 bytes (protobuf) and 979–1,535 (JSON) when small, 4 KB and more
// when large.
const MIN = 2048;

/** The request body the public encoder makes of a batch, as bytes. */
function expected(batch: ExportBatch, protocol: (typeof PROTOCOLS)[number]): Buffer {
  return Buffer.from(protocol === "http/json" ? new TextEncoder().encode(encodeOtlpJson(batch)) : encodeOtlpProto(batch));
}

/** Ends `count` spans whose attribute is `width` characters long. */
function spans(count: number, width: number, tag: string): void {
  for (let i = 0; i < count; i++) {
    span(`${tag}-${i}`, (s) => {
      s.setAttribute("payload", `${tag}:${i}:`.padEnd(width, "é"));
      s.setAttribute("i", i);
    });
  }
}

/** Starts spanwise with a memory exporter and records one large batch (20 spans) and two small ones (3 each). */
async function threeBatches(tag: string): Promise<ExportBatch[]> {
  const memory = createMemoryExporter();
  init({ exporters: [memory], scheduleDelayMs: 60_000, logger: quietLogger() });
  const batches: ExportBatch[] = [];
  for (const [count, width] of [[20, 400], [3, 100], [3, 101]] as const) {
    spans(count, width, `${tag}${batches.length}`);
    await flush();
    batches.push(memory.batches.at(-1)!);
  }
  return batches;
}

/** One request as `holdingFetch` keeps it. */
interface HeldRequest {
  readonly body: Uint8Array;
  readonly gzip: boolean;
  answer(): void;
}

/**
 * A fetch that keeps the body it is given and reads it only when told to answer, as a runtime
 * that streams a request from the caller's bytes would.
 */
function holdingFetch(): { sent: HeldRequest[]; fetch: typeof globalThis.fetch } {
  const sent: HeldRequest[] = [];
  const fetch = ((_url: string, request: RequestInit) =>
    new Promise<Response>((resolve) =>
      sent.push({ body: request.body as Uint8Array, gzip: (request.headers as Record<string, string>)["content-encoding"] === "gzip", answer: () => resolve(new Response("{}", { status: 200 })) }),
    )) as unknown as typeof globalThis.fetch;
  return { sent, fetch };
}

describe("OTLP/HTTP request buffers", () => {
  for (const protocol of PROTOCOLS) {
    for (const compression of ["none", "gzip"] as const) {
      it(`sends each request exactly as encoded while the requests shrink, grow and outgrow the kept buffer (${protocol}, ${compression})`, async () => {
        collector = await startCollector();
        const memory = createMemoryExporter();
        // A threshold of its own, far from every round's size, so the rounds land on both sides.
        const otlp = createOtlpHttpExporter({ endpoint: collector.url, protocol, compression, compressionMinBytes: MIN });
        init({ serviceName: "buffers", exporters: [memory, otlp], scheduleDelayMs: 60_000, maxAttributeValueLength: 100_000, logger: quietLogger() });
        // A request shorter than the one before must not carry that one's tail; a longer one
        // grows the buffer; one over a megabyte is not kept, and the next starts afresh.
        const rounds: [number, number][] = [[40, 2_000], [1, 10], [6, 300], [60, 25_000], [2, 50], [30, 3_000]];
        for (const [round, [count, width]] of rounds.entries()) {
          spans(count, width, `r${round}`);
          await flush();
        }
        expect(collector.requests).toHaveLength(rounds.length);
        expect(memory.batches).toHaveLength(rounds.length);
        // gzip leaves bodies under compressionMinBytes as they are; the rounds hold both kinds.
        expect(collector.requests.some((r) => r.bytes.length < MIN - 400)).toBe(true);
        expect(collector.requests.some((r) => r.bytes.length >= MIN + 400)).toBe(true);
        for (const [i, request] of collector.requests.entries()) {
          expect(request.headers["content-encoding"]).toBe(compression === "gzip" && request.bytes.length >= MIN ? "gzip" : undefined);
          expect(Buffer.from(request.bytes).equals(expected(memory.batches[i]!, protocol)), `request ${i}`).toBe(true);
        }
        // The round over a megabyte really was one (its buffer is the one not kept).
        expect(collector.requests[3]!.bytes.byteLength).toBeGreaterThan(1 << 20);
      });
    }

    it(`never writes a request into the buffer of one still being sent (${protocol})`, async () => {
      const batches = await threeBatches("b");
      const { sent, fetch } = holdingFetch();
      const exporter = createOtlpHttpExporter({ endpoint: "http://127.0.0.1:9/v1/traces", protocol, compression: "none", fetch });

      const first = exporter.export(batches[0]!);
      sent[0]!.answer();
      expect(await first).toEqual({ ok: true, rejected: undefined });
      // The second request is written into the first one's buffer; the third, started while the
      // second is still in flight, must get a buffer of its own.
      const second = exporter.export(batches[1]!);
      const third = exporter.export(batches[2]!);
      expect(sent).toHaveLength(3);
      expect(Buffer.from(sent[1]!.body).equals(expected(batches[1]!, protocol))).toBe(true);
      expect(Buffer.from(sent[2]!.body).equals(expected(batches[2]!, protocol))).toBe(true);
      expect(sent[2]!.body.buffer).not.toBe(sent[1]!.body.buffer);
      expect(sent[1]!.body.buffer).toBe(sent[0]!.body.buffer);
      sent[2]!.answer();
      sent[1]!.answer();
      expect(await Promise.all([second, third])).toEqual([
        { ok: true, rejected: undefined },
        { ok: true, rejected: undefined },
      ]);
    });

    it(`never writes a request into the buffer of one still being sent, gzipped or not by its size (${protocol})`, async () => {
      const batches = await threeBatches("g");
      // The large batch is 16 KB and more, the small ones under 2.5 KB, whichever the encoding.
      const from = 8192;
      const sizes = batches.map((b) => expected(b, protocol).length);
      expect(sizes[0]).toBeGreaterThan(from * 2);
      expect(Math.max(sizes[1]!, sizes[2]!)).toBeLessThan(from / 2);
      const { sent, fetch } = holdingFetch();
      const exporter = createOtlpHttpExporter({ endpoint: "http://127.0.0.1:9/v1/traces", protocol, compressionMinBytes: from, fetch });

      // The large request is gzipped, and its buffer is free again as soon as it is compressed.
      const first = exporter.export(batches[0]!);
      await vi.waitFor(() => expect(sent).toHaveLength(1));
      expect(sent[0]!.gzip).toBe(true);
      expect(gunzipSync(sent[0]!.body).equals(expected(batches[0]!, protocol))).toBe(true);
      // The small ones go as they are: the second in the buffer the first was written into, the
      // third, started while the second is in flight, in one of its own.
      const second = exporter.export(batches[1]!);
      const third = exporter.export(batches[2]!);
      expect(sent).toHaveLength(3);
      expect(sent.slice(1).map((r) => r.gzip)).toEqual([false, false]);
      expect(Buffer.from(sent[1]!.body).equals(expected(batches[1]!, protocol))).toBe(true);
      expect(Buffer.from(sent[2]!.body).equals(expected(batches[2]!, protocol))).toBe(true);
      expect(sent[2]!.body.buffer).not.toBe(sent[1]!.body.buffer);
      for (const r of [sent[2]!, sent[1]!, sent[0]!]) r.answer();
      expect(await Promise.all([first, second, third])).toEqual([
        { ok: true, rejected: undefined },
        { ok: true, rejected: undefined },
        { ok: true, rejected: undefined },
      ]);
      // Nothing wrote into a body before its answer came.
      expect(Buffer.from(sent[1]!.body).equals(expected(batches[1]!, protocol))).toBe(true);
    });
  }
});
