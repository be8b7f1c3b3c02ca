import type { AttributeValue, Attributes } from "../attributes.js";
import { type ReadableSpan, SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
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

  /** A safe integer as an int64 varint (two's complement for negatives, ten bytes). */
  int64(v: number): void {
    if (v >= 0 && v <= 0x7fffffff) {
      this.varint(v);
      return;
    }
    this.varint64(BigInt(v));
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

  /**
   * Opens a length-delimited field; returns the body's start, to pass to `close`. `room` bytes
   * are reserved for the length: 1 suits a KeyValue, 2 a span (under 16 KiB), so the body rarely moves.
   */
  open(field: number, room = 1): number {
    this.tag(field, LEN);
    this.ensure(room);
    this.pos += room;
    return this.pos;
  }

  close(start: number, room = 1): void {
    const len = this.pos - start;
    let need = 1;
    for (let v = len >>> 7; v > 0; v >>>= 7) need++;
    if (need !== room) {
      // The length took more (or fewer) bytes than reserved: move the body.
      this.ensure(need - room);
      this.buf.copyWithin(start + need - room, start, this.pos);
      this.pos += need - room;
    }
    let p = start - room;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[p] = v;
  }

  string(field: number, s: string): void {
    const n = s.length;
    // Short ASCII (most names, keys and values): the length is known up front, bytes copied here.
    if (n < 128) {
      this.tag(field, LEN);
      this.ensure(n + 1);
      const buf = this.buf;
      const at = this.pos;
      buf[at] = n;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 127) break;
        buf[at + 1 + i] = c;
      }
      if (i === n) {
        this.pos = at + 1 + n;
        return;
      }
      this.pos = at + 1;
      this.ensure(n * 3);
      this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
      this.close(at + 1);
      return;
    }
    const start = this.open(field);
    this.ensure(n * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
    this.close(start);
  }

  hex(field: number, hex: string): void {
    const n = hex.length >>> 1;
    this.tag(field, LEN);
    this.varint(n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.pos++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }

  /** An 8-byte id from its two words, big-endian. */
  words(field: number, hi: number, lo: number): void {
    this.tag(field, LEN);
    this.ensure(9);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = 8;
    buf[p + 1] = hi >>> 24;
    buf[p + 2] = hi >>> 16;
    buf[p + 3] = hi >>> 8;
    buf[p + 4] = hi;
    buf[p + 5] = lo >>> 24;
    buf[p + 6] = lo >>> 16;
    buf[p + 7] = lo >>> 8;
    buf[p + 8] = lo;
    this.pos = p + 9;
  }

  /** A trace id: the words of a local trace, or the hex of a received one. */
  traceId(field: number, trace: TraceData): void {
    this.tag(field, LEN);
    this.ensure(17);
    this.buf[this.pos] = 16;
    if (trace.writeId(this.buf, this.pos + 1)) this.pos += 17;
    else {
      // A received id: take back the one-byte tag and write it from its hex.
      this.pos--;
      this.hex(field, trace.traceId);
    }
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

  /** Epoch milliseconds as fixed64 unix nanoseconds, in exact integer steps (no BigInt). */
  nanos(field: number, ms: number): void {
    this.tag(field, I64);
    this.ensure(8);
    let lo = 0;
    let hi = 0;
    if (ms > 0) {
      let whole = Math.floor(ms);
      let frac = Math.round((ms - whole) * 1e6);
      if (frac >= 1e6) {
        whole += 1;
        frac -= 1e6;
      }
      // whole * 1e6 + frac overflows a double's 53 bits: split whole at 2^21 so every product is exact.
      const a = Math.floor(whole / 2097152);
      const b = whole - a * 2097152;
      const x = a * 1e6;
      const low = (x % 2048) * 2097152 + b * 1e6 + frac;
      const carry = Math.floor(low / 4294967296);
      lo = low - carry * 4294967296;
      hi = Math.floor(x / 2048) + carry;
    }
    this.view.setUint32(this.pos, lo, true);
    this.view.setUint32(this.pos + 4, hi >>> 0, true);
    this.pos += 8;
  }

  double(field: number, v: number): void {
    this.tag(field, I64);
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
}

const shared = new Writer();

/** The value of one lowercase (or uppercase) hex digit. */
function nibble(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
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
  // One writer, reused: a fresh buffer sized for the batch on every call made enough
  // ArrayBuffer garbage to draw full collections. Encoding is synchronous, so reuse is safe.
  const w = shared;
  w.pos = 0;
  const resourceSpans = w.open(1, 3);
  const resource = w.open(1, 2);
  attributes(w, 1, batch.resource);
  w.close(resource, 2);
  const scopeSpans = w.open(2, 3);
  const scope = w.open(1);
  w.string(1, batch.scope.name);
  if (batch.scope.version) w.string(2, batch.scope.version);
  w.close(scope);
  for (const s of batch.spans) span(w, s);
  w.close(scopeSpans, 3);
  w.close(resourceSpans, 3);
  return w.buf.slice(0, w.pos);
}

function span(w: Writer, s: ReadableSpan): void {
  const start = w.open(2, 2);
  if (s instanceof SpanRecord) {
    // A span of this copy of spanwise: ids straight from their words.
    w.traceId(1, s.trace);
    w.words(2, s.idHi, s.idLo);
    if (s.traceState) w.string(3, s.traceState);
    const p = s.parent;
    if (p instanceof SpanRecord) w.words(4, p.idHi, p.idLo);
    else if (p?.spanId) w.hex(4, p.spanId);
  } else {
    w.hex(1, s.traceId);
    w.hex(2, s.spanId);
    if (s.traceState) w.string(3, s.traceState);
    if (s.parentSpanId) w.hex(4, s.parentSpanId);
  }
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
  const message = s.statusMessage;
  if (message) w.string(2, message);
  w.uint(3, OTLP_STATUS[s.statusCode]);
  w.close(status);
  w.fixed32(16, (s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0));
  w.close(start, 2);
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
        w.int64(v);
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
