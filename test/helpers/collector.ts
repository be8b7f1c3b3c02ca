import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One OTLP/JSON AnyValue as the collector decodes it. */
export interface AnyValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: KeyValue[];
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  flags?: number;
  attributes: KeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status: { code?: number; message?: string };
}

export interface ExportTraceServiceRequest {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[];
  }[];
}

/** A request the collector received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Epoch ms when the body had arrived. */
  receivedAt: number;
  raw: string;
  /** The body after gunzip, as bytes (for protobuf requests). */
  bytes: Uint8Array;
  body: ExportTraceServiceRequest | undefined;
}

/** What the collector answers; "hang" never answers, "reset" drops the connection. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang" | "reset";

export interface Collector {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Every span of every request, in arrival order. */
  spans(): OtlpSpan[];
  /** Resolves once `n` requests have arrived. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an OTLP/HTTP receiver on 127.0.0.1 on a free port. `reply` decides the answer to the
 * n-th request (0-based); the default is 200 with an empty JSON object.
 */
export async function startCollector(reply: (index: number, req: ReceivedRequest) => Reply | Promise<Reply> = () => ({ status: 200, body: "{}" }), port = 0): Promise<Collector> {
  const requests: ReceivedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let bytes: Buffer = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") bytes = gunzipSync(bytes);
      const raw = bytes.toString("utf8");
      let body: ExportTraceServiceRequest | undefined;
      try {
        body = JSON.parse(raw) as ExportTraceServiceRequest;
      } catch {
        body = undefined;
      }
      const received: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, receivedAt: Date.now(), raw, bytes: new Uint8Array(bytes), body };
      const index = requests.length;
      requests.push(received);
      for (const w of [...waiters]) {
        if (requests.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      void Promise.resolve(reply(index, received)).then((answer) => {
        if (answer === "hang") return;
        if (answer === "reset") {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(answer.body ?? "{}");
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/v1/traces`,
    port: bound,
    requests,
    spans: () => requests.flatMap((r) => r.body?.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)) ?? []),
    waitForRequests: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago and has nobody listening now. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Attributes as a key → AnyValue record. */
export function attrs(list: readonly KeyValue[] | undefined): Record<string, AnyValue> {
  const out: Record<string, AnyValue> = {};
  for (const kv of list ?? []) out[kv.key] = kv.value;
  return out;
}

/** A logger that keeps spanwise's own warnings instead of printing them. */
export function quietLogger(): { warn(message: string): void; debug(message: string): void; messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    warn: (m: string) => void messages.push(m),
    debug: (m: string) => void messages.push(m),
  };
}
