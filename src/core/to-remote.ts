import { parseTraceparent } from "./propagation.js";
import type { Span, SpanContext } from "./span-types.js";

/** Turns a SpanContext-like parent (or a span from another copy of spanwise) into a valid remote context. */
export function toRemote(parent: Span | SpanContext): SpanContext | undefined {
  try {
    const ctx: SpanContext = typeof (parent as Span).spanContext === "function" ? (parent as Span).spanContext() : (parent as SpanContext);
    const flags = typeof ctx.traceFlags === "number" ? ctx.traceFlags & 0xff : 1;
    if (!parseTraceparent(`00-${ctx.traceId}-${ctx.spanId}-${flags.toString(16).padStart(2, "0")}`)) return undefined;
    const traceState = typeof ctx.traceState === "string" ? ctx.traceState : undefined;
    return { traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: flags, traceState, isRemote: ctx.isRemote !== false };
  } catch {
    return undefined;
  }
}
