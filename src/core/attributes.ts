import { cutString } from "./cut-string.js";
import { safeStringify } from "./serialize.js";

/** The limits `limitAttributes` applies. */
export interface AttributeLimits {
  readonly attributes: number;
  readonly valueLength: number;
}

/** A value OTLP can carry: a primitive or a homogeneous array of one primitive type. */
export type AttributeValue =
  | string
  | number
  | boolean
  | bigint
  | ReadonlyArray<string | null>
  | ReadonlyArray<number | null>
  | ReadonlyArray<boolean | null>;

/** Attributes as users give them: anything goes, spanwise converts or drops what OTLP cannot hold. */
export type AttributeInput = Record<string, unknown>;

/** Attributes as spanwise stores them. */
export type Attributes = Record<string, AttributeValue>;

/**
 * Turns any value into something OTLP can carry. Strings are cut to `maxLength`; objects,
 * mixed arrays, Maps and the like are serialised to JSON; null and undefined give undefined
 * (the attribute is not set).
 */
export function toAttributeValue(value: unknown, maxLength: number): AttributeValue | undefined {
  switch (typeof value) {
    case "string":
      return value.length > maxLength ? cutString(value, maxLength) : value;
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return value >= -(2n ** 63n) && value < 2n ** 63n ? value : value.toString();
    case "symbol":
      return toAttributeValue(value.toString(), maxLength);
    case "undefined":
      return undefined;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) return toArrayValue(value, maxLength);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  return safeStringify(value, maxLength);
}

function toArrayValue(items: unknown[], maxLength: number): AttributeValue | undefined {
  let type: string | undefined;
  for (const item of items) {
    if (item === null || item === undefined) continue;
    const t = typeof item;
    if ((t !== "string" && t !== "number" && t !== "boolean") || (type !== undefined && t !== type)) {
      return safeStringify(items, maxLength);
    }
    type = t;
  }
  if (type !== "string") return items.map((i) => (i === undefined ? null : i)) as AttributeValue;
  return items.map((i) => (typeof i === "string" && i.length > maxLength ? cutString(i, maxLength) : (i ?? null))) as string[];
}

/** Converts an attribute object for an event or a link: values converted, count limited; returns the attributes and how many were dropped. */
export function limitAttributes(input: AttributeInput | undefined, limits: AttributeLimits): [Attributes, number] {
  const out: Attributes = {};
  let count = 0;
  let dropped = 0;
  if (!input || typeof input !== "object") return [out, 0];
  for (const key in input) {
    if (key === "__proto__") continue;
    let v: AttributeValue | undefined;
    try {
      v = toAttributeValue(input[key], limits.valueLength);
    } catch {
      continue;
    }
    if (v === undefined) continue;
    if (count >= limits.attributes) {
      dropped++;
      continue;
    }
    out[key] = v;
    count++;
  }
  return [out, dropped];
}
