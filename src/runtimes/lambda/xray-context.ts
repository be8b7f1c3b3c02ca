import type { RemoteSpanContext } from "../../core/propagation.js";

const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i;
const PARENT = /^[0-9a-f]{16}$/i;

/**
 * Reads an AWS X-Ray trace header (`Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1`, fields in
 * any order, others such as `Lineage` ignored) as a span context: the root's 32 hex digits are the
 * W3C trace id, as X-Ray and OpenTelemetry's X-Ray propagator agree. Hand-written: the format is
 * three fields, and a propagator package would bring the OpenTelemetry API with it.
 *
 * @param value - the header, as an event gives it (any value)
 * @returns the context, or undefined when the header has no valid root and parent
 * @example
 * xrayContext("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")?.traceId // "5759e988bd862e3fe1be46a994272793"
 */
export function xrayContext(value: unknown): RemoteSpanContext | undefined {
  if (typeof value !== "string" || value.length > 256) return undefined;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let traceFlags = 0;
  for (const field of value.split(";")) {
    const eq = field.indexOf("=");
    const key = field.slice(0, eq).trim();
    const v = field.slice(eq + 1).trim();
    if (key === "Root") {
      const m = ROOT.exec(v);
      traceId = m ? `${m[1]}${m[2]}`.toLowerCase() : undefined;
    } else if (key === "Parent") spanId = PARENT.test(v) ? v.toLowerCase() : undefined;
    else if (key === "Sampled") traceFlags = v === "1" ? 1 : 0;
  }
  // All-zero ids are invalid in W3C Trace Context, as in X-Ray.
  if (traceId === undefined || spanId === undefined || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags, isRemote: true };
}
