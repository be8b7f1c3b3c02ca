import type { AttributeValue, Attributes } from "../attributes.js";
import { type ReadableSpan, SpanRecord } from "../span.js";
import type { ExportBatch } from "./types.js";
import { HAS_IS_REMOTE, INT64_MAX, INT64_MIN, IS_REMOTE, OTLP_KIND, OTLP_STATUS } from "./otlp-constants.js";

// A hand-written encoder for the one message we send, rather than protobufjs or
// @bufbuild/protobuf: a general protobuf runtime plus generated OTLP code weighs tens of KB
// gzipped, far beyond the 10 KB budget of an edge bundle; this file is about 2 KB minified and gzipped.
// Field numbers are those of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1,
// resource/v1); the tests decode our bytes with a decoder generated from those .proto files.

// Wire types (protobuf encoding spec): 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

const utf8 = new TextEncoder();

// The writer: buffer, a view on it, position. Each request is written straight into the buffer
// it is returned in (copying it out of a reused scratch buffer cost more). The state sits in an
// object rather than module-level `let`s, whose every access costs a hole check and a context
// load (a few percent slower here).
const w = { b: new Uint8Array(0), v: new DataView(new ArrayBuffer(0)), p: 0 };

function room(n: number): void {
  if (w.p + n > w.b.length) {
    const next = new Uint8Array(Math.max(w.b.length * 2, w.p + n));
    next.set(w.b.subarray(0, w.p));
    w.b = next;
    w.v = new DataView(next.buffer);
  }
}

function varint(v: number): void {
  room(5);
  w.p = putVarint(w.b, w.p, v);
}

/** Writes a uint32 varint at `p` of `b` (which has room for it); returns the position after it. */
function putVarint(b: Uint8Array, p: number, v: number): number {
  while (v > 127) {
    b[p++] = (v & 127) | 128;
    v >>>= 7;
  }
  b[p] = v;
  return p + 1;
}

/** A safe integer as an int64 varint (two's complement for negatives, ten bytes). */
function int64(v: number): void {
  if (v >= 0 && v <= 0x7fffffff) varint(v);
  else varint64(BigInt(v));
}

function varint64(v: bigint): void {
  room(10);
  let u = BigInt.asUintN(64, v);
  for (; u > 127n; u >>= 7n) w.b[w.p++] = Number(u & 127n) | 128;
  w.b[w.p++] = Number(u);
}

function tag(field: number, wire: number): void {
  if (field < 16) {
    room(1);
    w.b[w.p++] = (field << 3) | wire;
  } else varint((field << 3) | wire);
}

/**
 * Opens a length-delimited field; returns the body's start, to pass to `close`. `n` bytes are
 * reserved for the length: 1 suits a KeyValue, 2 a span (under 16 KiB), so the body rarely moves.
 */
function open(field: number, n = 1): number {
  tag(field, LEN);
  room(n);
  return (w.p += n);
}

function close(start: number, n = 1): void {
  const len = w.p - start;
  if (len < 128 && n === 1) {
    w.b[start - 1] = len;
    return;
  }
  let need = 1;
  for (let v = len >>> 7; v > 0; v >>>= 7) need++;
  if (need !== n) {
    // The length took more (or fewer) bytes than reserved: move the body.
    room(need - n);
    w.b.copyWithin(start + need - n, start, w.p);
    w.p += need - n;
  }
  // The length goes into the bytes reserved (and adjusted) for it, without varint()'s room()
  // check, which would see the rewound position and could grow the buffer without the body.
  putVarint(w.b, start - n, len);
}

function string(field: number, s: string): void {
  const n = s.length;
  if (n < 128) {
    // Short ASCII (most names, keys and values): its length is known up front.
    room(n + 2);
    const b = w.b;
    const at = w.p;
    b[at] = (field << 3) | LEN;
    b[at + 1] = n;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) break;
      b[at + 2 + i] = c;
    }
    if (i === n) {
      w.p = at + 2 + n;
      return;
    }
  }
  const start = open(field);
  room(n * 3);
  w.p += utf8.encodeInto(s, w.b.subarray(w.p)).written;
  close(start);
}

/** Bytes from their hex (a received id). */
function hex(field: number, text: string): void {
  const n = text.length >>> 1;
  tag(field, LEN);
  varint(n);
  room(n);
  for (let i = 0; i < n; i++) w.b[w.p++] = (nibble(text.charCodeAt(2 * i)) << 4) | nibble(text.charCodeAt(2 * i + 1));
}

/** The value of one lowercase (or uppercase) hex digit. */
function nibble(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/** An 8-byte id from its two words, big-endian. */
function words(field: number, hi: number, lo: number): void {
  room(10);
  const p = w.p;
  w.b[p] = (field << 3) | LEN;
  w.b[p + 1] = 8;
  w.v.setUint32(p + 2, hi);
  w.v.setUint32(p + 6, lo);
  w.p = p + 10;
}

function uint(field: number, v: number): void {
  if (v === 0) return;
  tag(field, VARINT);
  varint(v);
}

function fixed32(field: number, v: number): void {
  tag(field, I32);
  room(4);
  w.v.setUint32(w.p, v, true);
  w.p += 4;
}

/** Epoch milliseconds as fixed64 unix nanoseconds, in exact integer steps (no BigInt). */
function nanos(field: number, ms: number): void {
  room(9);
  w.b[w.p] = (field << 3) | I64;
  putNanos(w.p + 1, ms);
  w.p += 9;
}

/** Writes epoch milliseconds as unix nanoseconds, eight bytes at `p` (room made). */
function putNanos(p: number, ms: number): void {
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
    const x = a * 1e6;
    // x % 2048, without the slow floating-point remainder.
    const y = Math.floor(x / 2048);
    const low = (x - y * 2048) * 2097152 + (whole - a * 2097152) * 1e6 + frac;
    const carry = Math.floor(low / 4294967296);
    lo = low - carry * 4294967296;
    hi = y + carry;
  }
  w.v.setUint32(p, lo, true);
  w.v.setUint32(p + 4, hi >>> 0, true);
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
  const out = encodeOtlpProtoBody(batch);
  // A body that does not fill its buffer is copied: callers may use `.buffer` (a Blob,
  // postMessage, Buffer.from), which must hold the request and nothing after it.
  return out.byteLength === out.buffer.byteLength ? out : out.slice();
}

/**
 * The same request as `encodeOtlpProto`, as the exporter sends it: a view on the buffer it was
 * written into, `into` when it is big enough, which may be longer than the request (fetch and
 * Blob read only the view's bytes), so sending it costs no copy.
 *
 * @param batch - spans with their resource and scope
 * @param into - a buffer to write into (the exporter lends the last request's), or none for a new one
 * @returns the request body, a view whose `.buffer` must not be used
 * @example
 * await fetch(url, { method: "POST", body: encodeOtlpProtoBody(batch) })
 */
export function encodeOtlpProtoBody(batch: ExportBatch, into?: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const spans = batch.spans;
  // Sized for typical spans; bigger ones grow it.
  const least = 1024 + spans.length * 320;
  w.b = into !== undefined && into.length >= least ? into : new Uint8Array(least);
  w.v = new DataView(w.b.buffer, w.b.byteOffset);
  w.p = 0;
  const resourceSpans = open(1, 3);
  const resource = open(1, 2);
  attributes(1, batch.resource);
  close(resource, 2);
  const scopeSpans = open(2, 3);
  const scope = open(1);
  string(1, batch.scope.name);
  if (batch.scope.version) string(2, batch.scope.version);
  close(scope);
  for (const s of spans) span(s);
  close(scopeSpans, 3);
  close(resourceSpans, 3);
  const out = w.b.subarray(0, w.p);
  // The writer lets go of the request, so nothing here keeps it alive after the export.
  w.b = new Uint8Array(0);
  w.v = new DataView(w.b.buffer);
  return out;
}

function span(s: ReadableSpan): void {
  const body = open(2, 2);
  const own = s instanceof SpanRecord;
  if (own) {
    // A span of this copy of spanwise: ids straight from their words.
    const trace = s.trace;
    room(18);
    w.b[w.p] = (1 << 3) | LEN;
    w.b[w.p + 1] = 16;
    // A received id is written from its hex.
    if (trace.writeId(w.b, w.p + 2)) w.p += 18;
    else hex(1, trace.traceId);
    words(2, s.idHi, s.idLo);
    if (trace.traceState) string(3, trace.traceState);
    const parent = s.parent;
    if (parent instanceof SpanRecord) words(4, parent.idHi, parent.idLo);
    else if (parent?.spanId) hex(4, parent.spanId);
  } else {
    hex(1, s.traceId);
    hex(2, s.spanId);
    if (s.traceState) string(3, s.traceState);
    if (s.parentSpanId) hex(4, s.parentSpanId);
  }
  name(s.name);
  // Kind, start and end: 20 bytes, with one check for room. The kind is never 0, so it is always
  // written (a kind OTLP lacks, from a plain span, is written as 0: unspecified).
  room(20);
  const p = w.p;
  w.b[p] = (6 << 3) | VARINT;
  w.b[p + 1] = OTLP_KIND[s.kind];
  w.b[p + 2] = (7 << 3) | I64;
  putNanos(p + 3, s.startTime);
  w.b[p + 11] = (8 << 3) | I64;
  putNanos(p + 12, s.endTime);
  w.p = p + 20;
  attributes(9, (own && s.attributeList()) || s.attributes);
  uint(10, s.droppedAttributesCount);
  const events = s.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const ev = open(11);
    nanos(1, e.time);
    string(2, e.name);
    attributes(3, e.attributes);
    uint(4, e.droppedAttributesCount);
    close(ev);
  }
  uint(12, s.droppedEventsCount);
  const links = s.links;
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    const link = open(13);
    hex(1, l.traceId);
    hex(2, l.spanId);
    if (l.traceState) string(3, l.traceState);
    attributes(4, l.attributes);
    uint(5, l.droppedAttributesCount);
    fixed32(6, ((l.traceFlags ?? 0) & 0xff) | HAS_IS_REMOTE | (l.isRemote ? IS_REMOTE : 0));
    close(link);
  }
  uint(14, s.droppedLinksCount);
  const status = open(15);
  const message = s.statusMessage;
  if (message) string(2, message);
  uint(3, OTLP_STATUS[s.statusCode]);
  close(status);
  fixed32(16, (s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0));
  close(body, 2);
}

/**
 * Per attribute key: its field (tag, length, UTF-8), the string value it had last, and once that
 * value came twice in a row, the whole KeyValue after its tag. String values repeat from span to
 * span (models, providers, tool and agent names), and a repeat then costs one comparison and one
 * copy instead of a loop over its characters. A value that changes costs the comparison only:
 * nothing is kept until it repeats. Numbers and booleans are cheap to write and not kept.
 * Bytes are kept as 64-bit words (see copyWords).
 */
interface KeyCache {
  readonly field: number[];
  readonly fieldLength: number;
  last: unknown;
  /** The whole KeyValue after its tag, once `last` repeated; undefined until then. */
  whole: number[] | undefined;
  wholeLength: number;
}

// Bounded, so neither key churn nor long keys can grow it: up to 4,096 keys whose field (tag,
// length, UTF-8) is 112 bytes or less. Each entry (the key, its field, the last short value and
// that value's whole entry, at most ~250 bytes of data) costs at most ~650 bytes of heap, under
// 3 MB in all. Longer keys (maxAttributeKeyLength allows 100,000 characters) are written each
// time.
const KEYS = new Map<string, KeyCache>();

/**
 * The `n` bytes written at `at` as little-endian 64-bit words (doubles), the last one padded with
 * zeros. Only a NaN could come back from a double with other bits, and none of these words reads
 * as one: that needs a word's last byte to be 0x7f or 0xff and the byte before it 0xf0 or more.
 * The bytes kept are a key field (its tag, its length in the word's first bytes, its key), a
 * repeated entry (its length, the key field, tags and lengths under 0x80, an ASCII value), a name
 * field (tag, length, ASCII), and zeros. Text is always well-formed UTF-8 (string() writes lone
 * surrogates as U+FFFD), where 0xf5–0xff never occur and 0xf0–0xf4 are followed by 0x80–0xbf.
 */
function toWords(at: number, n: number): number[] {
  const out: number[] = [];
  const padded = new Uint8Array((n + 7) & ~7);
  padded.set(w.b.subarray(at, at + n));
  const v = new DataView(padded.buffer);
  for (let i = 0; i < n; i += 8) out.push(v.getFloat64(i, true));
  return out;
}

/**
 * Writes `n` bytes kept by toWords at the position, eight at a time. `Uint8Array#set` costs a call
 * into the runtime (~60 ns on the bench machine) for the 10–40 bytes of a key or an entry, and a
 * byte loop more; four bytes a store took the protobuf encoder to 0.82–0.87 of its time, and
 * eight to ~0.93 of that. The last word may write up to seven bytes past the end, inside the
 * room reserved and overwritten by what follows.
 */
function copyWords(words: number[], n: number): void {
  room(n + 7);
  putWords(words, w.p);
  w.p += n;
}

/** Writes the words at `p`, with room for them (their bytes and up to seven more) already made. */
function putWords(words: number[], p: number): void {
  const v = w.v;
  for (let i = 0; i < words.length; i++, p += 8) v.setFloat64(p, words[i] as number, true);
}

// Span names repeat (a service has a few dozen). A slot per name length keeps the last name of
// that length and, once it comes again, its field as words (for short ASCII names, whose field
// is two bytes longer than the name). A name that never repeats (an id in it) costs a comparison
// and a store: no lookup, no allocation. Name, field, name, field... by slot. A name too long to
// be kept as words (128 characters or more) is written without taking a slot, so the slots hold
// 64 names of under 128 characters at most.
const names: unknown[] = [];

function name(s: string): void {
  if (s.length > 127) return string(5, s);
  const i = (s.length & 63) * 2;
  if (names[i] !== s) {
    names[i] = s;
    names[i + 1] = undefined;
    return string(5, s);
  }
  const field = names[i + 1] as number[] | undefined;
  if (field !== undefined) return copyWords(field, s.length + 2);
  const at = w.p;
  string(5, s);
  if (w.p - at === s.length + 2) names[i + 1] = toWords(at, w.p - at);
}

function attributes(field: number, attrs: Attributes | unknown[]): void {
  // Fields under 16: each tag is one byte.
  const t = (field << 3) | LEN;
  if (Array.isArray(attrs)) {
    for (let i = 0; i < attrs.length; i += 2) entry(t, attrs[i] as string, attrs[i + 1] as AttributeValue);
    return;
  }
  for (const key in attrs) entry(t, key, attrs[key] as AttributeValue);
}

/** One KeyValue: its tag `t`, the key's field (cached), the value. */
function entry(t: number, key: string, v: AttributeValue): void {
  const k = KEYS.get(key);
  if (k !== undefined) {
    if (typeof v !== "string") {
      if (shortEntry(t, k, v)) return;
    } else if (v === k.last) {
      const whole = k.whole;
      if (whole !== undefined) {
        room(1);
        w.b[w.p++] = t;
        copyWords(whole, k.wholeLength);
        return;
      }
      const at = w.p + 1;
      if (shortEntry(t, k, v)) {
        k.wholeLength = w.p - at;
        k.whole = toWords(at, k.wholeLength);
        return;
      }
    } else if (shortEntry(t, k, v)) {
      k.last = v;
      k.whole = undefined;
      return;
    }
  }
  room(2);
  w.b[w.p] = t;
  const kv = (w.p += 2);
  if (k === undefined) {
    const at = w.p;
    string(1, key);
    // A key too long for shortEntry is not kept (see KEYS).
    if (w.p - at <= 112) {
      if (KEYS.size >= 4096) KEYS.clear();
      KEYS.set(key, { field: toWords(at, w.p - at), fieldLength: w.p - at, last: undefined, whole: undefined, wholeLength: 0 });
    }
  } else copyWords(k.field, k.fieldLength);
  room(2);
  w.b[w.p] = (2 << 3) | LEN;
  const value = (w.p += 2);
  anyValue(v, false);
  close(value);
  close(kv);
}

/**
 * The common KeyValue (a cached key of at most 112 bytes, a short ASCII string, a boolean, a small
 * non-negative integer or a double) written straight through: every length is known before the
 * first byte, so nothing is patched afterwards. False (nothing written) for anything else.
 */
function shortEntry(t: number, k: KeyCache, v: AttributeValue): boolean {
  const kl = k.fieldLength;
  let value: number;
  switch (typeof v) {
    case "string":
      value = v.length + 2;
      if (value + kl > 125) return false;
      break;
    case "boolean":
      value = 2;
      break;
    case "number":
      value = !Number.isSafeInteger(v) ? 9 : v < 0 || v > 0xfffffff ? 0 : v < 128 ? 2 : v < 16384 ? 3 : v < 2097152 ? 4 : 5;
      if (value === 0) return false;
      break;
    default:
      return false;
  }
  // The key's last word may write seven bytes past it: value is 2 or more, so this covers it.
  room(kl + value + 7);
  const b = w.b;
  let p = w.p;
  b[p] = t;
  b[p + 1] = kl + value + 2;
  putWords(k.field, p + 2);
  p += 2 + kl;
  b[p] = (2 << 3) | LEN;
  b[p + 1] = value;
  p += 2;
  if (typeof v === "string") {
    const n = v.length;
    b[p] = (1 << 3) | LEN;
    b[p + 1] = n;
    p += 2;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      // Not ASCII: its UTF-8 length differs from its length; the general path writes it over.
      if (c > 127) return false;
      b[p + i] = c;
    }
    w.p = p + n;
  } else if (typeof v === "boolean") {
    b[p] = (2 << 3) | VARINT;
    b[p + 1] = v ? 1 : 0;
    w.p = p + 2;
  } else if (value === 9) {
    b[p] = (4 << 3) | I64;
    w.v.setFloat64(p + 1, v, true);
    w.p = p + 9;
  } else {
    b[p] = (3 << 3) | VARINT;
    w.p = putVarint(b, p + 1, v);
  }
  return true;
}

/** Writes the fields of one AnyValue (the caller opened it); null leaves it empty. */
function anyValue(v: AttributeValue | null | undefined, asDouble: boolean): void {
  switch (typeof v) {
    case "string":
      string(1, v);
      return;
    case "boolean":
      tag(2, VARINT);
      varint(v ? 1 : 0);
      return;
    case "number":
      if (!asDouble && Number.isSafeInteger(v)) {
        tag(3, VARINT);
        int64(v);
      } else {
        tag(4, I64);
        room(8);
        w.v.setFloat64(w.p, v, true);
        w.p += 8;
      }
      return;
    case "bigint":
      if (v >= INT64_MIN && v <= INT64_MAX) {
        tag(3, VARINT);
        varint64(v);
      } else string(1, String(v));
      return;
  }
  if (Array.isArray(v)) {
    // OTLP arrays are homogeneous: one non-integer makes every number a double.
    const doubles = v.some((x) => typeof x === "number" && !Number.isSafeInteger(x));
    const array = open(5);
    for (const x of v) {
      const item = open(1);
      anyValue(x as AttributeValue | null, doubles);
      close(item);
    }
    close(array);
  }
}

/**
 * Reads `partial_success` from a protobuf `ExportTraceServiceResponse`: the spans rejected and the
 * collector's reason; undefined when none was rejected or the reply is unreadable.
 *
 * @param bytes - the response body
 * @example
 * const partial = partialSuccessFromProto(new Uint8Array(await res.arrayBuffer())) // { rejected: 2, message: "span too old" }
 */
export function partialSuccessFromProto(bytes: Uint8Array): PartialSuccess | undefined {
  try {
    const partial = findField(bytes, 1, LEN);
    if (!(partial instanceof Uint8Array)) return undefined;
    const n = findField(partial, 1, VARINT);
    const message = findField(partial, 2, LEN);
    return typeof n === "number" && n > 0 ? { rejected: n, message: message instanceof Uint8Array ? new TextDecoder().decode(message) : undefined } : undefined;
  } catch {
    return undefined;
  }
}

/** What a collector's OTLP partial success says: how many spans it rejected, and why. */
export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string | undefined;
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
    let value: number | Uint8Array;
    if (type === VARINT) value = varint();
    else if (type === LEN) {
      const len = varint();
      if (pos + len > bytes.length) throw new RangeError("truncated");
      value = bytes.subarray(pos, (pos += len));
    } else if (type === I64 || type === I32) {
      pos += type === I64 ? 8 : 4;
      continue;
    } else throw new RangeError("unknown wire type");
    if (Math.floor(key / 8) === field && type === wire) return value;
  }
  return undefined;
}
