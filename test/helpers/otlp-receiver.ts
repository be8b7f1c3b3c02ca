import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One OTLP/JSON span as it arrives on the wire. */
export interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  events?: { name: string; timeUnixNano: string; attributes: { key: string; value: Record<string, unknown> }[] }[];
  status: { code: number; message?: string };
}

/** A decoded OTLP/JSON export request. */
export interface WireRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: { scope: { name: string; version: string }; spans: WireSpan[] }[];
  }[];
}

/** A real OTLP/HTTP receiver on 127.0.0.1 that decodes what it gets. */
export interface OtlpReceiver {
  readonly url: string;
  readonly requests: WireRequest[];
  /** Every span received so far, flattened. */
  spans(): WireSpan[];
  /** Resolves once at least `count` spans have arrived (or rejects after `timeoutMs`). */
  waitForSpans(count: number, timeoutMs?: number): Promise<WireSpan[]>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on a free port on 127.0.0.1.
 *
 * @example
 * const receiver = await startOtlpReceiver();
 * init({ endpoint: receiver.url });
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: WireRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        requests.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as WireRequest);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      } catch {
        res.writeHead(400).end("bad json");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const spans = (): WireSpan[] => requests.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    spans,
    async waitForSpans(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (spans().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} spans, got ${spans().length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return spans();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads a string attribute from a wire span. */
export function attr(span: WireSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue;
}
