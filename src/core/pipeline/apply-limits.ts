import type { AttributeValue, Attributes } from "../attributes.js";
import type { SpanEvent, SpanLink, SpanRecord } from "../span.js";
import { editList } from "../attribute-list.js";
import { stripMedia } from "./strip-media.js";

/** What the flush-time limits stage applies. */
export interface FlushLimits {
  readonly maxKeyLength: number;
  readonly stripMedia: boolean;
  /** The attribute value length limit values were cut to as they were set. */
  readonly maxValueLength: number;
}

/**
 * The limits that wait for flush: attribute keys longer than `maxKeyLength` are dropped (and
 * counted in the OTLP `droppedAttributesCount`), base64 media becomes a placeholder. Counts,
 * value lengths, events and links were limited as they were set.
 *
 * @param span - an ended span, changed in place
 * @param limits - key length and whether to strip media
 * @example
 * applyLimits(span, { maxKeyLength: 256, stripMedia: true, maxValueLength: 16384 });
 */
export function applyLimits(span: SpanRecord, limits: FlushLimits): void {
  const list = span.attributeList();
  const dropped = list ? editList(list, limitPair, limits) : limitAttributes(span.attributes, limits);
  if (dropped > 0) {
    span.droppedAttributesCount += dropped;
    span.attributeCount -= dropped;
  }
  limitEach(span.events, limits);
  limitEach(span.links, limits);
}

function limitEach(list: (SpanEvent | SpanLink)[], limits: FlushLimits): void {
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as SpanEvent | SpanLink;
    const n = limitAttributes(e.attributes, limits);
    if (n > 0) list[i] = { ...e, droppedAttributesCount: e.droppedAttributesCount + n };
  }
}

function limitAttributes(attrs: Attributes, limits: FlushLimits): number {
  let dropped = 0;
  for (const key in attrs) {
    if (key.length > limits.maxKeyLength) {
      delete attrs[key];
      dropped++;
    } else if (limits.stripMedia) {
      const v = attrs[key] as AttributeValue;
      const w = withoutMedia(v, limits.maxValueLength);
      if (w !== v) attrs[key] = w;
    }
  }
  return dropped;
}

/** A list pair's value under the limits: undefined (dropped) for a key over the length limit. */
function limitPair(key: string, v: AttributeValue, limits: FlushLimits): AttributeValue | undefined {
  if (key.length > limits.maxKeyLength) return undefined;
  return limits.stripMedia ? withoutMedia(v, limits.maxValueLength) : v;
}

/** A value with base64 media in its strings (64 characters or more) replaced by a placeholder. */
function withoutMedia(v: AttributeValue, maxLength: number): AttributeValue {
  if (typeof v === "string") return v.length >= 64 ? stripMedia(v, maxLength) : v;
  if (Array.isArray(v)) return v.map((s: string | null) => (typeof s === "string" && s.length >= 64 ? stripMedia(s, maxLength) : s)) as AttributeValue;
  return v;
}
