import { type ReadableSpan, SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import { type Piece, byte, finish, hexWordAt, nanos, piece, put, room, start, text, uint, w } from "./byte-writer.js";
import { attributeList, attributeObject } from "./json-attributes.js";
import { HAS_IS_REMOTE, IS_REMOTE, OTLP_KIND, OTLP_STATUS } from "./otlp-constants.js";
import type { ExportBatch } from "./types.js";

// Written as UTF-8 bytes straight into the buffer the exporter sends, rather than as a string
// that is then encoded: building a string of ~40 pieces per span and flattening it into bytes
// cost about 1.5× what this does, alternating in one process (bench/json-floor.ts is the row's
// floor, and this follows its routes). Constant text is copied in pieces of 8-byte words, a span's opening is one piece with
// holes the ids are hexed into, and repeated attribute values are copied as whole entries.

const HEAD = /* @__PURE__ */ piece('{"resourceSpans":[{"resource":{"attributes":');
const SCOPE = /* @__PURE__ */ piece('],"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":"');
const VERSION = /* @__PURE__ */ piece('","version":"');
const SPANS = /* @__PURE__ */ piece('"},"spans":[');
const TAIL = /* @__PURE__ */ piece("]}]}]}");

/**
 * Encodes a batch as an OTLP/JSON `ExportTraceServiceRequest`: hex ids, unix-nano timestamps
 * as decimal strings, enums as integers, 64-bit integers as strings.
 *
 * @param batch - spans with their resource and scope
 * @returns the request body as a JSON string
 * @example
 * console.log(encodeOtlpJson(batch));
 */
export function encodeOtlpJson(batch: ExportBatch): string {
  return utf8.decode(encodeOtlpJsonBytes(batch));
}

const utf8 = /* @__PURE__ */ new TextDecoder();

/**
 * The same request as `encodeOtlpJson`, as the UTF-8 bytes the exporter sends, written into
 * `into` when it is big enough for the typical size of the batch.
 *
 * @param batch - spans with their resource and scope
 * @param into - a buffer to write into (the exporter lends the last request's), or none for a new one
 * @returns the request body: a view from the start of `into`, or of a new buffer when it was too small
 * @example
 * await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: encodeOtlpJsonBytes(batch) })
 */
export function encodeOtlpJsonBytes(batch: ExportBatch, into?: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const spans = batch.spans;
  // Room for typical spans; bigger ones grow it.
  const least = 1024 + spans.length * 768;
  // What the writer held: nothing, unless a getter on a span encodes a request of its own while
  // this one is being written, which must not lose this one's bytes.
  const { b, v, p } = w;
  start(into !== undefined && into.length >= least ? into : new Uint8Array(least));
  try {
    put(HEAD);
    attributeObject(batch.resource);
    put(SCOPE);
    text(batch.scope.name);
    put(VERSION);
    text(batch.scope.version);
    put(SPANS);
    for (let i = 0; i < spans.length; i++) span(spans[i] as ReadableSpan, i === 0);
    put(TAIL);
    return finish();
  } finally {
    // Lets go of this request's buffer (on success too) and of the last trace, whose kept words
    // another request would have overwritten.
    w.b = b;
    w.v = v;
    w.p = p;
    traceHex.trace = undefined;
  }
}

/** `{"traceId":"`, and after another span `,{"traceId":"`. */
const SPAN_FIRST = /* @__PURE__ */ piece('{"traceId":"');
const SPAN_NEXT = /* @__PURE__ */ piece(',{"traceId":"');
const SPAN_ID = /* @__PURE__ */ piece('","spanId":"');
const TRACE_STATE = /* @__PURE__ */ piece('","traceState":"');
const PARENT = /* @__PURE__ */ piece('","parentSpanId":"');
const FLAGS = /* @__PURE__ */ piece('","flags":');
const NAME = /* @__PURE__ */ piece(',"name":"');
/** `","kind":<k>,"startTimeUnixNano":"` per OTLP kind. */
const KINDS = /* @__PURE__ */ [0, 1, 2, 3, 4, 5].map((k) => piece(`","kind":${k},"startTimeUnixNano":"`));
const END = /* @__PURE__ */ piece('","endTimeUnixNano":"');
const ATTRIBUTES = /* @__PURE__ */ piece('","attributes":');
/** A span's end with nothing dropped, no events, links or status message, per status code. */
const TAILS = /* @__PURE__ */ [0, 1, 2].map((c) => piece(`],"droppedAttributesCount":0,"droppedEventsCount":0,"droppedLinksCount":0,"status":{"code":${c}}}`));
const DROPPED_ATTRIBUTES = /* @__PURE__ */ piece('],"droppedAttributesCount":');
const EVENTS = /* @__PURE__ */ piece(',"events":[');
const EVENT_FIRST = /* @__PURE__ */ piece('{"timeUnixNano":"');
const EVENT_NEXT = /* @__PURE__ */ piece(',{"timeUnixNano":"');
const EVENT_NAME = /* @__PURE__ */ piece('","name":"');
const DROPPED_EVENTS = /* @__PURE__ */ piece(',"droppedEventsCount":');
const LINKS = /* @__PURE__ */ piece(',"links":[');
const DROPPED_LINKS = /* @__PURE__ */ piece(',"droppedLinksCount":');
const STATUS = /* @__PURE__ */ piece(',"status":{"code":');
const MESSAGE = /* @__PURE__ */ piece(',"message":"');
const LINK_ATTRIBUTES = /* @__PURE__ */ piece(',"attributes":');
const LINK_FLAGS = /* @__PURE__ */ piece(',"flags":');

/**
 * A local span's opening up to its name's first character, with holes for the ids, per flags,
 * parent and place: `{"traceId":"…","spanId":"…","parentSpanId":"…","flags":257,"name":"`.
 */
const OPENINGS: (Piece | undefined)[] = [];
const X16 = "xxxxxxxxxxxxxxxx";
/** Where the ids' holes are in a first span's opening (one further in the others, after the comma). */
const TRACE_AT = 12; // after {"traceId":"
const SPAN_AT = 56; // TRACE_AT, 32 characters of trace id, ","spanId":"
const PARENT_AT = 90; // SPAN_AT, 16 characters of span id, ","parentSpanId":"

function localOpening(first: boolean, parent: boolean, flags: number): Piece {
  const i = flags * 4 + (first ? 2 : 0) + (parent ? 1 : 0);
  return (OPENINGS[i] ??= piece(`${first ? "" : ","}{"traceId":"${X16}${X16}","spanId":"${X16}"${parent ? `,"parentSpanId":"${X16}"` : ""},"flags":${flags},"name":"`));
}

/** The last trace's id as eight little-endian words of hex characters, or none when it is not 32 characters of hex. */
const traceHex = { trace: undefined as TraceData | undefined, words: /* @__PURE__ */ new Int32Array(8), ok: false };

function traceWords(t: TraceData): Int32Array | undefined {
  if (t !== traceHex.trace) {
    const id = t.traceId;
    const words = traceHex.words;
    let ok = id.length === 32;
    for (let i = 0; i < 8 && ok; i++) {
      const a = id.charCodeAt(i * 4);
      const b = id.charCodeAt(i * 4 + 1);
      const c = id.charCodeAt(i * 4 + 2);
      const d = id.charCodeAt(i * 4 + 3);
      ok = isHex(a) && isHex(b) && isHex(c) && isHex(d);
      words[i] = a | (b << 8) | (c << 16) | (d << 24);
    }
    traceHex.ok = ok;
    traceHex.trace = t;
  }
  return traceHex.ok ? traceHex.words : undefined;
}

/** A lowercase hex digit's character code. */
function isHex(c: number): boolean {
  return c - 0x30 < 10 ? c >= 0x30 : c >= 0x61 && c <= 0x66;
}

function span(s: ReadableSpan, first: boolean): void {
  const flags = (s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0);
  let list: unknown[] | undefined;
  if (s instanceof SpanRecord) {
    list = s.attributeList();
    const p = s.parent;
    const trace = p === undefined || p instanceof SpanRecord ? traceWords(s.trace) : undefined;
    if (trace !== undefined && !s.traceState) {
      // A span of this copy of spanwise with a local parent: the ids go into its opening's holes.
      const opening = localOpening(first, p !== undefined, flags);
      put(opening);
      const at = w.p - opening.length + (first ? 0 : 1);
      for (let i = 0; i < 8; i++) w.v.setInt32(at + TRACE_AT + i * 4, trace[i]!, true);
      hexWordAt(at + SPAN_AT, s.idHi);
      hexWordAt(at + SPAN_AT + 8, s.idLo);
      if (p instanceof SpanRecord) {
        hexWordAt(at + PARENT_AT, p.idHi);
        hexWordAt(at + PARENT_AT + 8, p.idLo);
      }
    } else opening(s, first, flags);
  } else opening(s, first, flags);
  text(s.name);
  // A span not made here may have any kind or status: one OTLP does not know is sent as 0.
  put(KINDS[OTLP_KIND[s.kind]] ?? KINDS[0]!);
  nanos(s.startTime);
  put(END);
  nanos(s.endTime);
  put(ATTRIBUTES);
  if (list !== undefined) attributeList(list);
  else attributeObject(s.attributes);
  const events = s.events;
  const links = s.links;
  const message = s.statusMessage;
  const code = OTLP_STATUS[s.statusCode];
  const status = TAILS[code] === undefined ? 0 : code;
  if (events.length === 0 && links.length === 0 && !message && s.droppedAttributesCount === 0 && s.droppedEventsCount === 0 && s.droppedLinksCount === 0) {
    put(TAILS[status]!);
    return;
  }
  put(DROPPED_ATTRIBUTES);
  uint(s.droppedAttributesCount);
  if (events.length > 0) {
    put(EVENTS);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      put(i === 0 ? EVENT_FIRST : EVENT_NEXT);
      nanos(e.time);
      put(EVENT_NAME);
      text(e.name);
      put(ATTRIBUTES);
      attributeObject(e.attributes);
      put(DROPPED_ATTRIBUTES);
      uint(e.droppedAttributesCount);
      byte(0x7d); // }
    }
    byte(0x5d); // ]
  }
  put(DROPPED_EVENTS);
  uint(s.droppedEventsCount);
  if (links.length > 0) {
    put(LINKS);
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      put(i === 0 ? SPAN_FIRST : SPAN_NEXT);
      text(l.traceId);
      put(SPAN_ID);
      text(l.spanId);
      if (l.traceState) {
        put(TRACE_STATE);
        text(l.traceState);
      }
      byte(0x22); // "
      put(LINK_ATTRIBUTES);
      attributeObject(l.attributes);
      put(DROPPED_ATTRIBUTES);
      uint(l.droppedAttributesCount);
      put(LINK_FLAGS);
      uint(((l.traceFlags ?? 0) & 0xff) | HAS_IS_REMOTE | (l.isRemote ? IS_REMOTE : 0));
      byte(0x7d); // }
    }
    byte(0x5d); // ]
  }
  put(DROPPED_LINKS);
  uint(s.droppedLinksCount);
  put(STATUS);
  uint(status);
  if (message) {
    put(MESSAGE);
    text(message);
    byte(0x22); // "
  }
  room(2);
  w.v.setInt16(w.p, 0x7d7d, true); // }}
  w.p += 2;
}

/** A span's opening up to its name by the general route: ids, trace state and parent as given. */
function opening(s: ReadableSpan, first: boolean, flags: number): void {
  put(first ? SPAN_FIRST : SPAN_NEXT);
  text(s.traceId);
  put(SPAN_ID);
  text(s.spanId);
  if (s.traceState) {
    put(TRACE_STATE);
    text(s.traceState);
  }
  const parent = s.parentSpanId;
  if (parent) {
    put(PARENT);
    text(parent);
  }
  put(FLAGS);
  uint(flags);
  put(NAME);
}
