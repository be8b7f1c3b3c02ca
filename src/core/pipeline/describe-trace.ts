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
      const a = s.attributes;
      costUsd += num(a["llm.cost.total"]);
      tokens += num(a["llm.token_count.total"]) || num(a["gen_ai.usage.input_tokens"]) + num(a["gen_ai.usage.output_tokens"]);
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
