import type { AttributeValue, Attributes } from "../../src/core/attributes.js";
import { toUnixNano } from "../../src/core/clock.js";
import { hexWord } from "../../src/core/ids.js";
import { type ReadableSpan, SpanRecord } from "../../src/core/span.js";
import type { ExportBatch } from "../../src/core/export/types.js";
import { HAS_IS_REMOTE, INT64_MAX, INT64_MIN, IS_REMOTE, OTLP_KIND, OTLP_STATUS } from "../../src/core/export/otlp-constants.js";

// The OTLP/JSON encoder spanwise shipped until it wrote bytes directly (src/core/export/otlp-json.ts),
// kept unchanged as the oracle the byte writer is tested against: for any batch whose spans have
// the types ReadableSpan declares, the bytes must be exactly the UTF-8 of this text. (It wrote ids
// unescaped and some values of other types as invalid JSON; the byte writer writes valid JSON.) It built the request as one string, the pieces that repeat
// (attribute keys) quoted once and cached.

const q = JSON.stringify;

/**
 * A string as a JSON string literal. Short strings with nothing to escape (most names, keys and
 * values) skip JSON.stringify, whose call into the runtime costs more than checking them here.
 */
function str(s: string): string {
  const n = s.length;
  if (n > 64) return q(s);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // Control characters, quote and backslash are escaped; surrogates may need \u escapes.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return q(s);
  }
  return `"${s}"`;
}

/** True when `"${s}"` is already the JSON literal of `s` (the condition under which str() does that). */
function plain(s: string): boolean {
  const n = s.length;
  if (n > 64) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

// What the bytes cost: every `+` or template substitution of a long enough string makes a V8
// cons string (a rope node), and encodeInto first flattens the whole rope, at roughly twice what
// making the node cost. So the encoder makes as few nodes as it can: a short plain value goes in
// one template with its quotes and the brace closing its entry, and the key prefixes are cached
// as flat strings (JSON.parse returns a flat copy; the template that built them is a rope that
// every span would otherwise walk again). Array.join and writing bytes from JS both measured
// slower than the rope in Node 20.

interface KeyPrefix {
  /** `[{"key":"<key>","value":` */
  readonly first: string;
  /** `,{"key":"<key>","value":` */
  readonly next: string;
  /** The string value the key had last (up to 64 characters). */
  last: string | undefined;
  /** Once `last` came twice in a row: the whole entry, as `first` and as `next` would begin it, flat. */
  wholeFirst: string | undefined;
  wholeNext: string | undefined;
}

// Per attribute key, bounded so hostile key churn cannot grow it.
const KEY_CACHE = new Map<string, KeyPrefix>();
const KEY_CACHE_MAX = 4096;

function keyPrefix(key: string): KeyPrefix {
  let p = KEY_CACHE.get(key);
  if (p === undefined) {
    const text = `{"key":${str(key)},"value":`;
    p = { first: flat(`[${text}`), next: flat(`,${text}`), last: undefined, wholeFirst: undefined, wholeNext: undefined };
    if (KEY_CACHE.size >= KEY_CACHE_MAX) KEY_CACHE.clear();
    KEY_CACHE.set(key, p);
  }
  return p;
}

/** A flat copy of a string that may be a rope (JSON.parse returns a new sequential string). */
function flat(s: string): string {
  return JSON.parse(q(s)) as string;
}

/**
 * One attribute entry, opening with `[` for the first and `,` after. String values repeat from
 * span to span (models, providers, tool and agent names): once a key's value came twice in a row
 * its whole entry is kept as one flat piece, so a repeat adds one rope node instead of three and
 * skips the escape check. A value that changes costs one comparison; nothing is kept until it repeats.
 */
function entry(key: string, v: AttributeValue, first: boolean): string {
  const p = keyPrefix(key);
  if (typeof v === "string" && v.length <= 64) {
    if (v === p.last) {
      let whole = first ? p.wholeFirst : p.wholeNext;
      if (whole === undefined) {
        whole = flat((first ? p.first : p.next) + entryValue(v));
        if (first) p.wholeFirst = whole;
        else p.wholeNext = whole;
      }
      return whole;
    }
    p.last = v;
    p.wholeFirst = p.wholeNext = undefined;
  }
  return (first ? p.first : p.next) + entryValue(v);
}

function head(batch: ExportBatch): string {
  return `{"resourceSpans":[{"resource":{"attributes":${attributes(batch.resource)},"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":${q(batch.scope.name)},"version":${q(batch.scope.version)}},"spans":[`;
}

const TAIL = "]}]}]}";

/**
 * Encodes a batch as an OTLP/JSON `ExportTraceServiceRequest`: hex ids, unix-nano timestamps
 * as decimal strings, enums as integers, 64-bit integers as strings.
 *
 * @param batch - spans with their resource and scope
 * @returns the request body as a JSON string
 * @example
 * await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: encodeOtlpJson(batch) })
 */
export function encodeOtlpJson(batch: ExportBatch): string {
  let out = head(batch);
  const spans = batch.spans;
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) out += ",";
    out += span(spans[i] as ReadableSpan);
  }
  return out + TAIL;
}

function span(s: ReadableSpan): string {
  let out: string;
  let parentId: string | undefined;
  let attrs: Attributes | unknown[] | undefined;
  if (s instanceof SpanRecord) {
    // A span of this copy of spanwise: ids straight from their words, no getter round trips,
    // attributes from its list while they are one.
    attrs = s.attributeList();
    out = `{"traceId":"${s.trace.traceId}","spanId":"${hexWord(s.idHi)}${hexWord(s.idLo)}"`;
    const p = s.parent;
    parentId = p === undefined ? undefined : p instanceof SpanRecord ? hexWord(p.idHi) + hexWord(p.idLo) : p.spanId;
  } else {
    out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
    parentId = s.parentSpanId;
  }
  if (s.traceState) out += `,"traceState":${q(s.traceState)}`;
  if (parentId) out += `,"parentSpanId":"${parentId}"`;
  out += `,"flags":${(s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0)},"name":${plain(s.name) ? `"${s.name}"` : q(s.name)},"kind":${OTLP_KIND[s.kind]},"startTimeUnixNano":"${toUnixNano(s.startTime)}","endTimeUnixNano":"${toUnixNano(s.endTime)}","attributes":${attributes(attrs ?? s.attributes)},"droppedAttributesCount":${s.droppedAttributesCount}`;
  const events = s.events;
  if (events.length > 0) {
    out += `,"events":[`;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      out += `${i > 0 ? "," : ""}{"timeUnixNano":"${toUnixNano(e.time)}","name":${plain(e.name) ? `"${e.name}"` : q(e.name)},"attributes":${attributes(e.attributes)},"droppedAttributesCount":${e.droppedAttributesCount}}`;
    }
    out += "]";
  }
  out += `,"droppedEventsCount":${s.droppedEventsCount}`;
  const links = s.links;
  if (links.length > 0) {
    out += `,"links":[`;
    for (let i = 0; i < links.length; i++) {
      const l = links[i]!;
      out += `${i > 0 ? "," : ""}{"traceId":"${l.traceId}","spanId":"${l.spanId}"${l.traceState ? `,"traceState":${q(l.traceState)}` : ""},"attributes":${attributes(l.attributes)},"droppedAttributesCount":${l.droppedAttributesCount},"flags":${((l.traceFlags ?? 0) & 0xff) | HAS_IS_REMOTE | (l.isRemote ? IS_REMOTE : 0)}}`;
    }
    out += "]";
  }
  const message = s.statusMessage;
  return `${out},"droppedLinksCount":${s.droppedLinksCount},"status":{"code":${OTLP_STATUS[s.statusCode]}${message ? `,"message":${q(message)}` : ""}}}`;
}

function attributes(attrs: Attributes | unknown[]): string {
  let out: string | undefined;
  if (Array.isArray(attrs)) {
    for (let i = 0; i < attrs.length; i += 2) {
      const key = attrs[i] as string;
      const v = attrs[i + 1] as AttributeValue;
      out = out === undefined ? entry(key, v, true) : out + entry(key, v, false);
    }
    return out === undefined ? "[]" : `${out}]`;
  }
  for (const key in attrs) {
    const v = attrs[key] as AttributeValue;
    out = out === undefined ? entry(key, v, true) : out + entry(key, v, false);
  }
  return out === undefined ? "[]" : `${out}]`;
}

/** anyValue(v) and the `}` closing its attribute entry, as one piece for the common types. */
function entryValue(v: AttributeValue): string {
  switch (typeof v) {
    case "string":
      return plain(v) ? `{"stringValue":"${v}"}}` : `{"stringValue":${q(v)}}}`;
    case "number":
      if (Number.isSafeInteger(v)) return `{"intValue":"${v}"}}`;
      if (Number.isFinite(v)) return `{"doubleValue":${v}}}`;
      break;
    case "boolean":
      return v ? `{"boolValue":true}}` : `{"boolValue":false}}`;
  }
  return `${anyValue(v)}}`;
}

function anyValue(v: AttributeValue | null): string {
  switch (typeof v) {
    case "string":
      return `{"stringValue":${str(v)}}`;
    case "number":
      if (Number.isSafeInteger(v)) return `{"intValue":"${v}"}`;
      // proto3 JSON spells non-finite doubles as strings.
      return Number.isFinite(v) ? `{"doubleValue":${v}}` : `{"doubleValue":"${v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : "NaN"}"}`;
    case "boolean":
      return v ? `{"boolValue":true}` : `{"boolValue":false}`;
    case "bigint":
      return v >= INT64_MIN && v <= INT64_MAX ? `{"intValue":"${v}"}` : `{"stringValue":"${v}"}`;
  }
  if (Array.isArray(v)) {
    // OTLP arrays are homogeneous: one non-integer makes every number a double.
    const doubles = v.some((x) => typeof x === "number" && !Number.isSafeInteger(x));
    let out = `{"arrayValue":{"values":[`;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      out += (i > 0 ? "," : "") + (x === null || x === undefined ? "{}" : doubles && Number.isFinite(x) ? `{"doubleValue":${x}}` : anyValue(x as AttributeValue));
    }
    return `${out}]}}`;
  }
  return "{}";
}
