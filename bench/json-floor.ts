/**
 * The OTLP/JSON row's floor: a bare encoder that writes the row's request as UTF-8 bytes doing
 * only the work the row asks of any encoder, timed in the same rounds as spanwise and
 * OpenTelemetry. Per span it hexes the trace, span and parent ids, writes the start and end times
 * as decimal nanoseconds and the flags, kind, counts and status as decimal integers, checks the
 * name and every string attribute for characters JSON must escape while copying it, writes each
 * number (`String(v)` for doubles, as JSON does) and boolean, and emits the same bytes as
 * spanwise's encoder, field for field (`test/bench/json-floor.test.ts` holds it to that).
 *
 * It takes the fastest route measured here for each part, so that a faster encoder would have
 * to do the same parts in fewer instructions. No strings are built. Every constant piece of text
 * is pre-encoded and copied four bytes per `DataView` store: a span's opening up to its name is
 * one piece with holes for the ids, and the end of a span with nothing dropped and no events is
 * one piece. Ids are hexed two bytes per store from their 32-bit words (a trace id once per
 * trace), digits are written two per store, and the first seven digits of a time once per
 * 1,000 s. Each attribute key's opening is pre-encoded once per value type and, as spanwise's
 * encoders do, a string value equal to its key's last one is copied as one kept entry. What the
 * bench's spans do not have (trace state, links, status messages, arrays, negative integers,
 * non-ASCII or escaped strings) it refuses with an error instead of encoding. It is a reference
 * point, not a proof.
 *
 * @module
 */
import { encodeOtlpJson } from "../src/core/export/otlp-json.js";
import type { ExportBatch } from "../src/core/export/types.js";
import { HAS_IS_REMOTE, IS_REMOTE, OTLP_KIND, OTLP_STATUS } from "../src/core/export/otlp-constants.js";
import { type ReadableSpan, SpanRecord } from "../src/core/span.js";
import type { TraceData } from "../src/core/trace-data.js";
import { lendingCase } from "./encode.js";
import type { BenchCase } from "./measure.js";

/**
 * A piece of constant ASCII text as 8-byte words (the last one padded with zeros), copied with
 * `DataView#setFloat64`: eight bytes whose last is ASCII (at most 0x7e) are never a NaN, so the
 * store keeps every bit. Half the stores of 32-bit words.
 */
interface Piece {
  readonly words: Float64Array;
  readonly length: number;
}

function piece(text: string): Piece {
  const ints = new Int32Array(Math.ceil(text.length / 8) * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) throw new Error(`the JSON floor encodes plain ASCII only: ${JSON.stringify(text)}`);
    ints[i >> 2]! |= c << ((i & 3) * 8);
  }
  return { words: new Float64Array(ints.buffer), length: text.length };
}

/** Two lowercase hex characters per byte, as a little-endian 16-bit store. */
const HEX2 = new Uint16Array(256);
/** Two decimal digits per number under 100, as a little-endian 16-bit store. */
const DIGITS2 = new Uint16Array(100);
for (let i = 0; i < 256; i++) {
  const h = (i < 16 ? "0" : "") + i.toString(16);
  HEX2[i] = h.charCodeAt(0) | (h.charCodeAt(1) << 8);
  if (i < 100) DIGITS2[i] = (48 + Math.floor(i / 10)) | ((48 + (i % 10)) << 8);
}

/** The writer's state in one object: module-level `let`s cost a hole check on every access. */
const w = { b: new Uint8Array(0), v: new DataView(new ArrayBuffer(0)), p: 0 };

function room(n: number): void {
  if (w.p + n <= w.b.length) return;
  const next = new Uint8Array(Math.max(w.b.length * 2, w.p + n));
  next.set(w.b.subarray(0, w.p));
  w.b = next;
  w.v = new DataView(w.b.buffer);
}

/** Copies a piece; may write up to seven bytes past it, which the next write covers. */
function put(p: Piece): void {
  const words = p.words;
  const v = w.v;
  const at = w.p;
  for (let i = 0; i < words.length; i++) v.setFloat64(at + i * 8, words[i]!, true);
  w.p = at + p.length;
}

/** A 32-bit word as eight hex characters at `at`, in two stores. */
function hexWord(at: number, x: number): void {
  w.v.setInt32(at, HEX2[x >>> 24]! | (HEX2[(x >>> 16) & 255]! << 16), true);
  w.v.setInt32(at + 4, HEX2[(x >>> 8) & 255]! | (HEX2[x & 255]! << 16), true);
}

/** Copies a string of plain ASCII, checking each character. */
function ascii(s: string): void {
  room(s.length + 8);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) throw new Error(`the JSON floor encodes plain ASCII only: ${JSON.stringify(s)}`);
    w.b[w.p + i] = c;
  }
  w.p += s.length;
}

/** A non-negative integer under 2^53. */
function uint(v: number): void {
  if (v < 10) {
    w.b[w.p++] = 48 + v;
    return;
  }
  if (v < 100) {
    w.v.setUint16(w.p, DIGITS2[v]!, true);
    w.p += 2;
    return;
  }
  const hi = Math.floor(v / 100);
  uint(hi);
  w.v.setUint16(w.p, DIGITS2[v - hi * 100]!, true);
  w.p += 2;
}

/** Exactly six digits of a number under a million. */
function six(v: number): void {
  const a = Math.floor(v / 10000);
  const rest = v - a * 10000;
  const b = Math.floor(rest / 100);
  w.v.setUint16(w.p, DIGITS2[a]!, true);
  w.v.setUint16(w.p + 2, DIGITS2[b]!, true);
  w.v.setUint16(w.p + 4, DIGITS2[rest - b * 100]!, true);
  w.p += 6;
}

// The first seven digits of epoch milliseconds change every 1,000 s, so they are written once
// per change as two stores (any encoder can keep them: a request's spans are seconds apart).
let timeHi = -1;
let timeA = 0;
let timeB = 0;

/** Epoch milliseconds as decimal nanoseconds, rounded to the nanosecond as spanwise rounds them. */
function nanos(ms: number): void {
  if (!(ms > 0)) {
    w.b[w.p++] = 48;
    return;
  }
  let whole = Math.floor(ms);
  let frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) {
    whole += 1;
    frac -= 1e6;
  }
  const hi = Math.floor(whole / 1e6);
  if (hi >= 1e6 && hi < 1e7) {
    if (hi !== timeHi) {
      const a = Math.floor(hi / 1e5);
      const b = Math.floor((hi - a * 1e5) / 1e3);
      const c = hi - a * 1e5 - b * 1e3;
      const cd = Math.floor(c / 10);
      timeA = DIGITS2[a]! | (DIGITS2[b]! << 16);
      timeB = DIGITS2[cd]! | ((48 + c - cd * 10) << 16);
      timeHi = hi;
    }
    w.v.setInt32(w.p, timeA, true);
    w.v.setInt32(w.p + 4, timeB, true);
    w.p += 7;
    six(whole - hi * 1e6);
  } else uint(whole);
  six(frac);
}

/** A trace id's 32 hex characters as eight little-endian words, kept for the trace's next span. */
let lastTrace: TraceData | undefined;
const traceHex = new Int32Array(8);

function traceWords(t: TraceData): Int32Array {
  if (t !== lastTrace) {
    const id = t.traceId;
    traceHex.fill(0);
    for (let i = 0; i < 32; i++) traceHex[i >> 2]! |= id.charCodeAt(i) << ((i & 3) * 8);
    lastTrace = t;
  }
  return traceHex;
}

/**
 * A span's opening up to its name's first character, with room for the ids, per flags, parent
 * and place: `{"traceId":"…","spanId":"…","parentSpanId":"…","flags":257,"name":"`.
 */
const OPENINGS: (Piece | undefined)[] = [];
const X16 = "x".repeat(16);
const SAMPLE = `{"traceId":"${"x".repeat(32)}","spanId":"${X16}","parentSpanId":"${X16}","flags":`;
/** Where the ids' holes are in a first span's opening (one further in the others, after the comma). */
const TRACE_AT = SAMPLE.indexOf('"traceId":"') + 11;
const SPAN_AT = SAMPLE.indexOf('"spanId":"') + 10;
const PARENT_AT = SAMPLE.indexOf('"parentSpanId":"') + 16;

function opening(first: boolean, parent: boolean, flags: number): Piece {
  const k = flags * 4 + (first ? 2 : 0) + (parent ? 1 : 0);
  let p = OPENINGS[k];
  if (p === undefined) {
    p = piece(`${first ? "" : ","}{"traceId":"${"x".repeat(32)}","spanId":"${X16}"${parent ? `,"parentSpanId":"${X16}"` : ""},"flags":${flags},"name":"`);
    OPENINGS[k] = p;
  }
  return p;
}

/** `","kind":<k>,"startTimeUnixNano":"` per OTLP kind. */
const KINDS = [0, 1, 2, 3, 4, 5].map((k) => piece(`","kind":${k},"startTimeUnixNano":"`));
const END = piece('","endTimeUnixNano":"');
const EVENT_NAME = piece('","name":"');
const EMPTY_ATTRIBUTES = piece('","attributes":[');
/** A span's end with nothing dropped, no events, links or status message, per status code. */
const TAILS = [0, 1, 2].map((c) => piece(`],"droppedAttributesCount":0,"droppedEventsCount":0,"droppedLinksCount":0,"status":{"code":${c}}}`));
const DROPPED_ATTRIBUTES = piece('],"droppedAttributesCount":');
const EVENTS = piece(',"events":[');
const EVENT_FIRST = piece('{"timeUnixNano":"');
const EVENT_NEXT = piece(',{"timeUnixNano":"');
const DROPPED_EVENTS = piece(',"droppedEventsCount":');
const DROPPED_LINKS = piece(',"droppedLinksCount":');
const STATUS = piece(',"status":{"code":');

const INT = 1;
const DOUBLE = 2;
const TRUE = 3;
const FALSE = 4;
const VALUE_OPENINGS = ['{"stringValue":"', '{"intValue":"', '{"doubleValue":', '{"boolValue":true}}', '{"boolValue":false}}'];

/**
 * Per attribute key and value type, the entry up to its value, as the first of a list (after
 * the closing quote of what comes before: `","attributes":[{"key":"k","value":{"stringValue":"`)
 * and after another entry (`,{"key":"k","value":{"stringValue":"`).
 */
interface Key {
  readonly name: string;
  /** Per value type, the entry's opening as the first of a list and after another entry. */
  readonly pieces: Piece[];
  /** The last string value (up to 64 characters), and once it came twice in a row, its whole entry. */
  last: string | undefined;
  whole: (Piece | undefined)[];
}

const KEYS = new Map<string, Key>();

function key(name: string): Key {
  let k = KEYS.get(name);
  if (k === undefined) {
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) throw new Error(`the JSON floor encodes plain ASCII only: ${JSON.stringify(name)}`);
    }
    const pieces: Piece[] = [];
    for (let t = 0; t < VALUE_OPENINGS.length; t++) {
      pieces.push(piece(`","attributes":[{"key":"${name}","value":${VALUE_OPENINGS[t]}`), piece(`,{"key":"${name}","value":${VALUE_OPENINGS[t]}`));
    }
    k = { name, pieces, last: undefined, whole: [undefined, undefined] };
    KEYS.set(name, k);
  }
  return k;
}

/** A string entry: as one kept piece once the key's value repeats (as spanwise's encoders keep it), else opening, value and close. */
function stringEntry(k: Key, v: string, first: boolean): void {
  const place = first ? 0 : 1;
  if (v === k.last) {
    let whole = k.whole[place];
    if (whole === undefined) whole = k.whole[place] = piece(`${first ? '","attributes":[' : ","}{"key":"${k.name}","value":{"stringValue":"${v}"}}`);
    room(whole.length + 8);
    put(whole);
    return;
  }
  const opening = k.pieces[place]!;
  room(opening.length + 8);
  put(opening);
  ascii(v);
  w.v.setInt32(w.p, 0x7d7d22, true); // "}}
  w.p += 3;
  // Kept only once copied: a refused value must be refused again, not copied from a kept entry.
  if (v.length <= 64) {
    k.last = v;
    k.whole[0] = k.whole[1] = undefined;
  }
}

// The key of the last list at each position: spans of one kind set their keys in the same order,
// so most lookups are one comparison instead of a Map lookup.
const SLOT_NAMES: (string | undefined)[] = new Array<string | undefined>(16).fill(undefined);
const SLOT_KEYS: (Key | undefined)[] = new Array<Key | undefined>(16).fill(undefined);

function keyAt(slot: number, name: string): Key {
  if (slot >= 16) return key(name);
  if (SLOT_NAMES[slot] === name) return SLOT_KEYS[slot]!;
  const k = key(name);
  SLOT_NAMES[slot] = name;
  SLOT_KEYS[slot] = k;
  return k;
}

/** `","attributes":[…` from the closing quote before it, leaving the list open (no `]`). */
function attributes(list: readonly unknown[]): void {
  if (list.length === 0) {
    room(EMPTY_ATTRIBUTES.length + 8);
    put(EMPTY_ATTRIBUTES);
    return;
  }
  for (let i = 0; i < list.length; i += 2) {
    const k = keyAt(i >> 1, list[i] as string);
    const v = list[i + 1];
    const place = i === 0 ? 0 : 1;
    if (typeof v === "string") stringEntry(k, v, place === 0);
    else if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
      const opening = k.pieces[INT * 2 + place]!;
      room(opening.length + 28);
      put(opening);
      uint(v);
      w.v.setInt32(w.p, 0x7d7d22, true); // "}}
      w.p += 3;
    } else if (typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v)) {
      const opening = k.pieces[DOUBLE * 2 + place]!;
      room(opening.length + 8);
      put(opening);
      ascii(String(v));
      w.v.setInt32(w.p, 0x7d7d, true); // }}
      w.p += 2;
    } else if (typeof v === "boolean") {
      const entry = k.pieces[(v ? TRUE : FALSE) * 2 + place]!;
      room(entry.length + 8);
      put(entry);
    } else throw new Error(`the JSON floor encodes strings, non-negative integers, fractions and booleans only, not ${String(v)}`);
  }
}

/** An object's attributes as the pairs spanwise's list holds. */
function pairs(attrs: Readonly<Record<string, unknown>>): unknown[] {
  const out: unknown[] = [];
  for (const key in attrs) out.push(key, attrs[key]);
  return out;
}

function span(s: ReadableSpan, first: boolean): void {
  if (!(s instanceof SpanRecord) || s.traceState || s.links.length > 0 || s.statusMessage) {
    throw new Error("the JSON floor encodes local spans without trace state, links or a status message only");
  }
  const p = s.parent;
  if (p !== undefined && !(p instanceof SpanRecord)) throw new Error("the JSON floor encodes local parents only");
  room(512);
  const at = w.p;
  put(opening(first, p !== undefined, (s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0)));
  // The ids go into the opening's holes.
  const t = traceWords(s.trace);
  const o = first ? at : at + 1;
  for (let i = 0; i < 8; i++) w.v.setInt32(o + TRACE_AT + i * 4, t[i]!, true);
  hexWord(o + SPAN_AT, s.idHi);
  hexWord(o + SPAN_AT + 8, s.idLo);
  if (p !== undefined) {
    hexWord(o + PARENT_AT, p.idHi);
    hexWord(o + PARENT_AT + 8, p.idLo);
  }
  ascii(s.name);
  room(128);
  put(KINDS[OTLP_KIND[s.kind]]!);
  nanos(s.startTime);
  put(END);
  nanos(s.endTime);
  attributes(s.attributeList() ?? pairs(s.attributes));
  const events = s.events;
  room(256);
  if (events.length === 0 && s.droppedAttributesCount === 0 && s.droppedEventsCount === 0 && s.droppedLinksCount === 0) {
    put(TAILS[OTLP_STATUS[s.statusCode]]!);
    return;
  }
  put(DROPPED_ATTRIBUTES);
  uint(s.droppedAttributesCount);
  if (events.length > 0) {
    put(EVENTS);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      room(256);
      put(i === 0 ? EVENT_FIRST : EVENT_NEXT);
      nanos(e.time);
      put(EVENT_NAME);
      ascii(e.name);
      attributes(pairs(e.attributes));
      room(64);
      put(DROPPED_ATTRIBUTES);
      uint(e.droppedAttributesCount);
      w.b[w.p++] = 0x7d; // }
    }
    w.b[w.p++] = 0x5d; // ]
  }
  room(128);
  put(DROPPED_EVENTS);
  uint(s.droppedEventsCount);
  put(DROPPED_LINKS);
  uint(s.droppedLinksCount);
  put(STATUS);
  uint(OTLP_STATUS[s.statusCode]);
  w.v.setInt16(w.p, 0x7d7d, true); // }}
  w.p += 2;
}

const utf8 = new TextEncoder();
const TAIL = "]}]}]}";

/**
 * The batch as the same OTLP/JSON bytes `encodeOtlpJsonBytes` writes, by the floor's route. The
 * resource and scope (once per request) are taken from spanwise's encoder.
 *
 * @param batch - the bench's spans with their resource and scope
 * @param into - a buffer to write into (the request before's, as the exporter lends it), or none
 * @returns the request body, a w.v from the start of `into` when it was big enough
 * @example
 * const body = floorJson(fixture.batch);
 */
export function floorJson(batch: ExportBatch, into?: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const empty = encodeOtlpJson({ resource: batch.resource, scope: batch.scope, spans: [] });
  const head = utf8.encode(empty.slice(0, empty.length - TAIL.length));
  w.b = into ?? new Uint8Array(head.length + batch.spans.length * 768);
  w.v = new DataView(w.b.buffer, w.b.byteOffset, w.b.byteLength);
  w.p = 0;
  room(head.length);
  w.b.set(head);
  w.p = head.length;
  const spans = batch.spans;
  for (let i = 0; i < spans.length; i++) span(spans[i] as ReadableSpan, i === 0);
  room(TAIL.length + 4);
  w.p += utf8.encodeInto(TAIL, w.b.subarray(w.p)).written;
  const out = w.b.subarray(0, w.p) as Uint8Array<ArrayBuffer>;
  w.b = new Uint8Array(0);
  w.v = new DataView(w.b.buffer);
  return out;
}

/**
 * The floor as a bench case, called as the bench calls spanwise's encoder: each request written
 * into the buffer of the one before.
 *
 * @example
 * measure([spanwiseEncode(batch, "bytes"), floorEncode(batch)], opts);
 */
export function floorEncode(batch: ExportBatch): BenchCase {
  return lendingCase("JSON floor", batch, floorJson);
}
