import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import { createRequire } from "node:module";
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
  droppedAttributesCount?: number;
}

export interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  flags?: number;
  attributes: KeyValue[];
  droppedAttributesCount?: number;
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
  droppedAttributesCount?: number;
  events?: OtlpEvent[];
  droppedEventsCount?: number;
  links?: OtlpLink[];
  droppedLinksCount?: number;
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
  /** The body after gunzip, as UTF-8 text (protobuf requests hold their strings as UTF-8 too). */
  raw: string;
  /** The body after gunzip, as bytes (for protobuf requests). */
  bytes: Uint8Array;
  /** The request in OTLP/JSON form, whichever encoding it came in; undefined when unreadable. */
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
        // Protobuf requests are decoded by the reference decoder into the OTLP/JSON form.
        body = req.headers["content-type"] === "application/x-protobuf" ? otlpJsonFromProto(bytes) : (JSON.parse(raw) as ExportTraceServiceRequest);
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

/** A message type of the reference protobuf code. */
export interface ReferenceProtoType {
  decode(bytes: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromObject(object: unknown): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

/** The trace service's messages in the reference protobuf code. */
export interface ReferenceTraceProto {
  ExportTraceServiceRequest: ReferenceProtoType;
  ExportTraceServiceResponse: ReferenceProtoType;
}

let reference: ReferenceTraceProto | undefined;

/**
 * The independent encoder and decoder: protobufjs code generated from the official
 * opentelemetry-proto definitions, as shipped by @opentelemetry/otlp-transformer 0.216.0
 * (installed under an alias). Loaded on first use: Deno runs this file too.
 *
 * @example
 * const { ExportTraceServiceRequest } = referenceProto();
 */
export function referenceProto(): ReferenceTraceProto {
  reference ??= (
    createRequire(import.meta.url)("otlp-proto-reference/build/src/generated/root.js") as {
      opentelemetry: { proto: { collector: { trace: { v1: ReferenceTraceProto } } } };
    }
  ).opentelemetry.proto.collector.trace.v1;
  return reference;
}

type Obj = Record<string, unknown>;

/**
 * Decodes a protobuf OTLP trace request with the reference decoder and spells it the way OTLP/JSON
 * does (the proto3 JSON mapping, as spanwise's JSON encoder writes it): ids in lowercase hex,
 * 64-bit integers and times as decimal strings, enums as numbers, non-finite doubles as strings,
 * zero counts and an empty status written out, empty event and link lists left out. So a test can
 * read a request whichever encoding it came in.
 *
 * @param bytes - the request body (after gunzip)
 * @example
 * const body = otlpJsonFromProto(request.bytes);
 */
export function otlpJsonFromProto(bytes: Uint8Array): ExportTraceServiceRequest {
  const request = referenceProto().ExportTraceServiceRequest;
  const o = request.toObject(request.decode(bytes), { longs: String, enums: Number, bytes: Array, arrays: true });
  return {
    resourceSpans: (o.resourceSpans as Obj[]).map((rs) => ({
      resource: { attributes: keyValues((rs.resource as Obj | undefined)?.attributes), droppedAttributesCount: ((rs.resource as Obj | undefined)?.droppedAttributesCount as number | undefined) ?? 0 },
      scopeSpans: (rs.scopeSpans as Obj[]).map((ss) => ({
        scope: { name: (ss.scope as Obj).name, ...((ss.scope as Obj).version ? { version: (ss.scope as Obj).version } : {}) },
        spans: (ss.spans as Obj[]).map(span),
      })),
    })),
  } as unknown as ExportTraceServiceRequest;
}

function span(s: Obj): Obj {
  const out: Obj = { traceId: hex(s.traceId), spanId: hex(s.spanId) };
  if (s.parentSpanId !== undefined && (s.parentSpanId as number[]).length > 0) out.parentSpanId = hex(s.parentSpanId);
  if (s.traceState) out.traceState = s.traceState;
  out.flags = s.flags ?? 0;
  out.name = s.name ?? "";
  out.kind = s.kind ?? 0;
  out.startTimeUnixNano = s.startTimeUnixNano ?? "0";
  out.endTimeUnixNano = s.endTimeUnixNano ?? "0";
  out.attributes = keyValues(s.attributes);
  out.droppedAttributesCount = s.droppedAttributesCount ?? 0;
  const events = s.events as Obj[];
  if (events.length > 0) {
    out.events = events.map((e) => ({ timeUnixNano: e.timeUnixNano ?? "0", name: e.name ?? "", attributes: keyValues(e.attributes), droppedAttributesCount: e.droppedAttributesCount ?? 0 }));
  }
  out.droppedEventsCount = s.droppedEventsCount ?? 0;
  const links = s.links as Obj[];
  if (links.length > 0) {
    out.links = links.map((l) => {
      const link: Obj = { traceId: hex(l.traceId), spanId: hex(l.spanId) };
      if (l.traceState) link.traceState = l.traceState;
      link.attributes = keyValues(l.attributes);
      link.droppedAttributesCount = l.droppedAttributesCount ?? 0;
      link.flags = l.flags ?? 0;
      return link;
    });
  }
  out.droppedLinksCount = s.droppedLinksCount ?? 0;
  const status = (s.status as Obj | undefined) ?? {};
  out.status = status.message ? { message: status.message, code: status.code ?? 0 } : { code: status.code ?? 0 };
  return out;
}

function keyValues(list: unknown): Obj[] {
  return ((list as Obj[] | undefined) ?? []).map((kv) => ({ key: kv.key, value: anyValue(kv.value as Obj | undefined) }));
}

function anyValue(v: Obj | undefined): Obj {
  if (v === undefined) return {};
  if (v.stringValue !== undefined) return { stringValue: v.stringValue };
  if (v.boolValue !== undefined) return { boolValue: v.boolValue };
  if (v.intValue !== undefined) return { intValue: v.intValue };
  if (v.doubleValue !== undefined) return { doubleValue: Number.isFinite(v.doubleValue) ? v.doubleValue : String(v.doubleValue) };
  if (v.arrayValue !== undefined) return { arrayValue: { values: (((v.arrayValue as Obj).values as Obj[] | undefined) ?? []).map(anyValue) } };
  if (v.kvlistValue !== undefined) return { kvlistValue: { values: keyValues((v.kvlistValue as Obj).values) } };
  if (v.bytesValue !== undefined) return { bytesValue: Buffer.from(v.bytesValue as number[]).toString("base64") };
  return {};
}

function hex(bytes: unknown): string {
  return Buffer.from((bytes as number[] | undefined) ?? []).toString("hex");
}
