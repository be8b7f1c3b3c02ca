import type { SpanRecord } from "./span.js";

/** Marks a span record, shared by every copy of spanwise loaded in this isolate. */
export const BRAND = Symbol.for("spanwise.span");

/** True for a span record from any copy of spanwise loaded in this isolate. */
export function isSpanRecord(value: unknown): value is SpanRecord {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
