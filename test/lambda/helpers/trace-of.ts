import { type AnyValue, type OtlpSpan, attrs } from "../../helpers/collector.js";
import type { LambdaFunction } from "./lambda-function.js";
import type { Answer } from "./runtime-api.js";

/** The spans of one invocation as the receiver got them, and when they arrived. */
export interface InvocationTrace {
  readonly root: OtlpSpan;
  readonly rootAttributes: Record<string, AnyValue>;
  /** Every span of the root's trace, the root included. */
  readonly spans: OtlpSpan[];
  /** Timeline positions of the export requests that carried them. */
  readonly arrivals: number[];
}

/** Finds the invocation's root span by `faas.invocation_id` and gathers its trace. */
export function traceOf(fn: LambdaFunction, answer: Answer): InvocationTrace {
  const requests = fn.collector.requests;
  let root: OtlpSpan | undefined;
  for (const span of fn.collector.spans()) {
    if (attrs(span.attributes)["faas.invocation_id"]?.stringValue === answer.id) root = span;
  }
  if (!root) throw new Error(`no root span with faas.invocation_id ${answer.id} among ${fn.collector.spans().length} spans`);
  const traceId = root.traceId;
  const spans: OtlpSpan[] = [];
  const arrivals: number[] = [];
  requests.forEach((req, index) => {
    const mine = req.body?.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).filter((s) => s.traceId === traceId) ?? [];
    if (mine.length === 0) return;
    spans.push(...mine);
    arrivals.push(fn.timeline.entries.findIndex((e) => e.what === "otlp" && e.id === String(index)));
  });
  return { root, rootAttributes: attrs(root.attributes), spans, arrivals };
}

/** Attribute values as plain JS values. */
export function plain(values: Record<string, AnyValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    out[k] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue ?? v.arrayValue?.values.map((x) => x.stringValue ?? x.intValue ?? x.boolValue);
  }
  return out;
}
