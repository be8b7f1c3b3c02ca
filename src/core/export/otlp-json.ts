import type { AttributeValue, Attributes } from "../attributes.js";
import { toUnixNano } from "../clock.js";
import type { ReadableSpan } from "../span.js";
import type { ExportBatch } from "./types.js";
import { HAS_IS_REMOTE, INT64_MAX, INT64_MIN, IS_REMOTE, OTLP_KIND, OTLP_STATUS } from "./otlp-constants.js";

// Built as a string rather than an object for JSON.stringify: it is several times faster and
// allocates one string instead of a tree of wrapper objects per attribute.


const q = JSON.stringify;

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
  let out = `{"resourceSpans":[{"resource":{"attributes":${attributes(batch.resource)},"droppedAttributesCount":0},"scopeSpans":[{"scope":{"name":${q(batch.scope.name)},"version":${q(batch.scope.version)}},"spans":[`;
  const spans = batch.spans;
  for (let i = 0; i < spans.length; i++) {
    if (i > 0) out += ",";
    out += span(spans[i] as ReadableSpan);
  }
  return `${out}]}]}]}`;
}

function span(s: ReadableSpan): string {
  let out = `{"traceId":"${s.traceId}","spanId":"${s.spanId}"`;
  if (s.traceState) out += `,"traceState":${q(s.traceState)}`;
  if (s.parentSpanId) out += `,"parentSpanId":"${s.parentSpanId}"`;
  out += `,"flags":${(s.traceFlags & 0xff) | HAS_IS_REMOTE | (s.parentIsRemote ? IS_REMOTE : 0)}`;
  out += `,"name":${q(s.name)},"kind":${OTLP_KIND[s.kind]},"startTimeUnixNano":"${toUnixNano(s.startTime)}","endTimeUnixNano":"${toUnixNano(s.endTime)}"`;
  out += `,"attributes":${attributes(s.attributes)},"droppedAttributesCount":${s.droppedAttributesCount}`;
  if (s.events.length > 0) {
    out += `,"events":[`;
    for (let i = 0; i < s.events.length; i++) {
      const e = s.events[i]!;
      out += `${i > 0 ? "," : ""}{"timeUnixNano":"${toUnixNano(e.time)}","name":${q(e.name)},"attributes":${attributes(e.attributes)},"droppedAttributesCount":${e.droppedAttributesCount}}`;
    }
    out += "]";
  }
  out += `,"droppedEventsCount":${s.droppedEventsCount}`;
  if (s.links.length > 0) {
    out += `,"links":[`;
    for (let i = 0; i < s.links.length; i++) {
      const l = s.links[i]!;
      out += `${i > 0 ? "," : ""}{"traceId":"${l.traceId}","spanId":"${l.spanId}"${l.traceState ? `,"traceState":${q(l.traceState)}` : ""},"attributes":${attributes(l.attributes)},"droppedAttributesCount":${l.droppedAttributesCount},"flags":${((l.traceFlags ?? 0) & 0xff) | HAS_IS_REMOTE | (l.isRemote ? IS_REMOTE : 0)}}`;
    }
    out += "]";
  }
  out += `,"droppedLinksCount":${s.droppedLinksCount},"status":{"code":${OTLP_STATUS[s.statusCode]}${s.statusMessage ? `,"message":${q(s.statusMessage)}` : ""}}}`;
  return out;
}

function attributes(attrs: Attributes): string {
  let out = "[";
  let first = true;
  for (const key in attrs) {
    out += `${first ? "" : ","}{"key":${q(key)},"value":${anyValue(attrs[key] as AttributeValue)}}`;
    first = false;
  }
  return `${out}]`;
}

function anyValue(v: AttributeValue | null): string {
  switch (typeof v) {
    case "string":
      return `{"stringValue":${q(v)}}`;
    case "number":
      if (Number.isSafeInteger(v)) return `{"intValue":"${v}"}`;
      // proto3 JSON spells non-finite doubles as strings.
      return Number.isFinite(v) ? `{"doubleValue":${v}}` : `{"doubleValue":"${v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : "NaN"}"}`;
    case "boolean":
      return `{"boolValue":${v}}`;
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
