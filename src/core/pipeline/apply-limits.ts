import type { AttributeValue, Attributes } from "../attributes.js";
import type { SpanEvent, SpanLink, SpanRecord } from "../span.js";
import { stripMedia } from "./strip-media.js";

/** What the flush-time limits stage applies. */
export interface FlushLimits {
  readonly maxKeyLength: number;
  readonly stripMedia: boolean;
}

/**
 * The limits that wait for flush: attribute keys longer than `maxKeyLength` are dropped (and
 * counted in the OTLP `droppedAttributesCount`), base64 media becomes a placeholder. Counts,
 * value lengths, events and links were limited as they were set.
 *
 * @param span - an ended span, changed in place
 * @param limits - key length and whether to strip media
 * @example
 * applyLimits(span, { maxKeyLength: 256, stripMedia: true });
 */
export function applyLimits(span: SpanRecord, limits: FlushLimits): void {
  const dropped = limitAttributes(span.attributes, limits);
  if (dropped > 0) {
    span.droppedAttributesCount += dropped;
    span.attributeCount -= dropped;
  }
  for (const list of [span.events, span.links] as (SpanEvent | SpanLink)[][]) {
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as SpanEvent | SpanLink;
      const n = limitAttributes(e.attributes, limits);
      if (n > 0) list[i] = { ...e, droppedAttributesCount: e.droppedAttributesCount + n };
    }
  }
}

function limitAttributes(attrs: Attributes, limits: FlushLimits): number {
  let dropped = 0;
  for (const key in attrs) {
    if (key.length > limits.maxKeyLength) {
      delete attrs[key];
      dropped++;
      continue;
    }
    if (!limits.stripMedia) continue;
    const v = attrs[key];
    if (typeof v === "string") {
      if (v.length >= 64) attrs[key] = stripMedia(v);
    } else if (Array.isArray(v)) {
      attrs[key] = v.map((s: string | null) => (typeof s === "string" && s.length >= 64 ? stripMedia(s) : s)) as AttributeValue;
    }
  }
  return dropped;
}
