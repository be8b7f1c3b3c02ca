import type { SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import type { FinishedTrace } from "./types.js";

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

/**
 * Builds the view of one trace's spans that tail sampling and `processors` see: error, duration,
 * LLM cost and token totals computed once. Its `spans` is a copy of the list, so a user's
 * function that splices or pushes changes only its own copy, never what is exported.
 *
 * @param trace - the spans' shared trace data
 * @param spans - the trace's spans in this batch (at least one)
 * @example
 * const view = describeTrace(span.trace, [span]);
 */
export function describeTrace(trace: TraceData, spans: readonly SpanRecord[]): FinishedTrace {
  let hasError = false;
  let start = Infinity;
  let end = 0;
  let costUsd = 0;
  let tokens = 0;
  let root: SpanRecord | undefined;
  for (const s of spans) {
    if (s.statusCode === "error") hasError = true;
    if (s.startTime < start) start = s.startTime;
    if (s.endTime > end) end = s.endTime;
    if (s === trace.root) root = s;
    if (s.type === "llm" || s.type === "embedding") {
      // From the span's list where it has one: reading `attributes` would make it an object, and
      // an LLM span's 20 or more keys make that one of V8's slow dictionaries, for every stage and
      // encoder after this one.
      const list = s.attributeList();
      costUsd += num(read(s, list, "llm.cost.total"));
      tokens += num(read(s, list, "llm.token_count.total")) || num(read(s, list, "gen_ai.usage.input_tokens")) + num(read(s, list, "gen_ai.usage.output_tokens"));
    }
  }
  return {
    traceId: (spans[0] as SpanRecord).traceId,
    spans: spans.slice(),
    root,
    hasError,
    durationMs: root ? root.endTime - root.startTime : Math.max(0, end - start),
    costUsd,
    tokens,
    sampled: trace.sampled,
  };
}

/** The value of attribute `key`: from the span's list of pairs where it has one (see SpanRecord.attributeList). */
function read(s: SpanRecord, list: unknown[] | undefined, key: string): unknown {
  if (list === undefined) return s.attributes[key];
  for (let i = 0; i < list.length; i += 2) if (list[i] === key) return list[i + 1];
  return undefined;
}
