import type { AttributeValue, Attributes } from "../attributes.js";
import { toUnixNano } from "../clock.js";
import type { ReadableSpan } from "../span.js";
import type { ExportBatch } from "./types.js";
import { HAS_IS_REMOTE, INT64_MAX, INT64_MIN, IS_REMOTE, OTLP_KIND, OTLP_STATUS } from "./otlp-constants.js";

// A hand-written encoder for the one message we send, rather than protobufjs or
// @bufbuild/protobuf: a general protobuf runtime plus generated OTLP code weighs tens of KB
// gzipped, far beyond the 10 KB budget of an edge bundle; this file is under 2 KB minified and gzipped.
// Field numbers are those of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1,
// resource/v1); the tests decode our bytes with a decoder generated from those .proto files.


// Wire types (protobuf encoding spec): 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const utf8 = new TextEncoder();

/** A growable byte buffer with the few protobuf primitives the trace request needs. */
class Writer {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  varint(v: number): void {
    this.ensure(5);
    while (v > 127) {
      this.buf[this.pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  varint64(v: bigint): void {
    this.ensure(10);
    let u = BigInt.asUintN(64, v);
    while (u > 127n) {
      this.buf[this.pos++] = Number(u & 127n) | 128;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** Opens a length-delimited field; returns the body's start, to pass to `close`. */
  open(field: number): number {
    this.tag(field, LEN);
    // One byte reserved for the length: most nested messages (a KeyValue) are under 128 bytes.
    this.ensure(1);
    this.pos++;
    return this.pos;
  }

  close(start: number): void {
    const len = this.pos - start;
    let extra = 0;
    for (let v = len >>> 7; v > 0; v >>>= 7) extra++;
    if (extra > 0) {
      this.ensure(extra);
      this.buf.copyWithin(start + extra, start, this.pos);
      this.pos += extra;
    }
    let p = start - 1;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[p] = v;
  }

  string(field: number, s: string): void {
    const start = this.open(field);
    this.ensure(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
    this.close(start);
  }

  hex(field: number, hex: string): void {
    const n = hex.length >>> 1;
    this.tag(field, LEN);
    this.varint(n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.pos++] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }

  uint(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, VARINT);
    this.varint(v);
  }

  fixed32(field: number, v: number): void {
    this.tag(field, I32);
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  nanos(field: number, ms: number): void {
    this.tag(field, I64);
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt(toUnixNano(ms)), true);
    this.pos += 8;
  }

  double(field: number, v: number): void {
    this.tag(field, I64);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
}

/**
 * Encodes a batch as a binary protobuf OTLP `ExportTraceServiceRequest`, the body of an
 * OTLP/HTTP request with `content-type: application/x-protobuf`.
 *
 * @param batch - spans with their resource and scope
 * @returns the request body
 * @example
 * await fetch(url, { method: "POST", headers: { "content-type": "application/x-protobuf" }, body: encodeOtlpProto(batch) })
 */
export function encodeOtlpProto(batch: ExportBatch): Uint8Array<ArrayBuffer> {
  const w = new Writer();
  const resourceSpans = w.open(1);
  const resource = w.open(1);
  attributes(w, 1, batch.resource);
  w.close(resource);
  const scopeSpans = w.open(2);
  const scope = w.open(1);
  w.string(1, batch.scope.name);
  if (batch.scope.version) w.string(2, batch.scope.version);
  w.close(scope);
  for (const s of batch.spans) span(w, s);
  w.close(scopeSpans);
  w.close(resourceSpans);
  return w.buf.slice(0, w.pos);
}

function span(w: Writer, s: ReadableSpan): void {
  const start = w.open(2);
  w.hex(1, s.traceId);
  w.hex(2, s.spanId);
  if (s.traceState) w.string(3, s.traceState);
  if (s.parentSpanId) w.hex(4, s.parentSpanId);
  w.string(5, s.name);
  w.uint(6, OTLP_KIND[s.kind]);
  w.nanos(7, s.startTime);
  w.nanos(8, s.endTime);
  attributes(w, 9, s.attributes);
  w.uint(10, s.droppedAttributesCount);
  for (const e of s.events) {
    const ev = w.open(11);
    w.nanos(1, e.time);
    w.string(2, e.name);
    attributes(w, 3, e.attributes);
    w.uint(4, e.droppedAttributesCount);
    w.close(ev);
  }
  w.uint(12, s.droppedEventsCount);
  for (const l of s.links) {
    const link = w.open(13);
    w.hex(1, l.traceId);
    w.hex(2, l.spanId);
    if (l.traceState) w.string(3, l.traceState);
    attributes(w, 4, l.attributes);
    w.uint(5, l.droppedAttributesCount);
    w.fixed32(6, ((l.traceFlags ?? 0) & 0xff) | HAS_IS_REMOTE | (l.isRemote ? IS_REMOTE : 0));
    w.close(link);
  }
  w.uint(14, s.droppedLinksCount);
  const status = w.open(15);
  if (s.statusMessage) w.string(2, s.statusMessage);
  w.uint(3, OTLP_STATUS[s.statusCode]);
  w.close(status);
  w.fixed32(16, (s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0));
  w.close(start);
}

function attributes(w: Writer, field: number, attrs: Attributes): void {
  for (const key in attrs) {
    const kv = w.open(field);
    w.string(1, key);
    const value = w.open(2);
    anyValue(w, attrs[key] as AttributeValue, false);
    w.close(value);
    w.close(kv);
  }
}

/** Writes the fields of one AnyValue (the caller opened it); null leaves it empty. */
function anyValue(w: Writer, v: AttributeValue | null | undefined, asDouble: boolean): void {
  switch (typeof v) {
    case "string":
      w.string(1, v);
      return;
    case "boolean":
      w.tag(2, VARINT);
      w.varint(v ? 1 : 0);
      return;
    case "number":
      if (!asDouble && Number.isSafeInteger(v)) {
        w.tag(3, VARINT);
        w.varint64(BigInt(v));
      } else w.double(4, v);
      return;
    case "bigint":
      if (v >= INT64_MIN && v <= INT64_MAX) {
        w.tag(3, VARINT);
        w.varint64(v);
      } else w.string(1, String(v));
      return;
  }
  if (Array.isArray(v)) {
    // OTLP arrays are homogeneous: one non-integer makes every number a double.
    const doubles = v.some((x) => typeof x === "number" && !Number.isSafeInteger(x));
    const array = w.open(5);
    for (const x of v) {
      const item = w.open(1);
      anyValue(w, x as AttributeValue | null, doubles);
      w.close(item);
    }
    w.close(array);
  }
}

/**
 * Reads `partial_success.rejected_spans` from a protobuf `ExportTraceServiceResponse`;
 * undefined when absent, zero or unreadable.
 *
 * @param bytes - the response body
 * @example
 * const rejected = rejectedSpansFromProto(new Uint8Array(await res.arrayBuffer()))
 */
export function rejectedSpansFromProto(bytes: Uint8Array): number | undefined {
  try {
    const partial = findField(bytes, 1, LEN);
    if (!(partial instanceof Uint8Array)) return undefined;
    const n = findField(partial, 1, VARINT);
    return typeof n === "number" && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The first value of `field` with wire type `wire` in a message, skipping the others. */
function findField(bytes: Uint8Array, field: number, wire: number): number | Uint8Array | undefined {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (pos >= bytes.length) throw new RangeError("truncated");
      const b = bytes[pos++] as number;
      result += (b & 127) * shift;
      if (b < 128) return result;
      shift *= 128;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const type = key & 7;
    const f = Math.floor(key / 8);
    if (type === VARINT) {
      const v = varint();
      if (f === field && wire === VARINT) return v;
    } else if (type === LEN) {
      const len = varint();
      if (pos + len > bytes.length) throw new RangeError("truncated");
      if (f === field && wire === LEN) return bytes.subarray(pos, pos + len);
      pos += len;
    } else if (type === I64) pos += 8;
    else if (type === I32) pos += 4;
    else throw new RangeError("unknown wire type");
  }
  return undefined;
}
