import type { SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import { describeTrace } from "./describe-trace.js";
import type { FinishedTrace } from "./types.js";

/** The tail rules from the configuration. */
export interface TailRules {
  readonly alwaysKeepErrors: boolean;
  readonly slowThresholdMs: number | undefined;
  readonly costThresholdUsd: number | undefined;
  readonly tokenThreshold: number | undefined;
  readonly keepTrace: ((trace: FinishedTrace) => boolean) | undefined;
}

/** The spans of one trace that only the `keepTrace` predicate can still keep. */
export interface Undecided {
  readonly trace: TraceData;
  /** The trace's spans in this batch; the view holds a copy for the user's function. */
  readonly spans: SpanRecord[];
  readonly view: FinishedTrace;
}

/** What tail sampling decided for a batch. */
export interface TailResult {
  /** Spans of sampled traces and of traces a built-in rule kept. */
  readonly kept: SpanRecord[];
  /** Traces left for the predicate (only when there is one). */
  readonly undecided: Undecided[];
  /** Spans dropped as not sampled. */
  readonly dropped: number;
}

/** True when a built-in tail rule keeps the trace. */
export function ruleKeeps(view: FinishedTrace, rules: TailRules): boolean {
  if (rules.alwaysKeepErrors && view.hasError) return true;
  if (rules.slowThresholdMs !== undefined && view.durationMs > rules.slowThresholdMs) return true;
  if (rules.costThresholdUsd !== undefined && view.costUsd > rules.costThresholdUsd) return true;
  return rules.tokenThreshold !== undefined && view.tokens > rules.tokenThreshold;
}

/**
 * The tail sampling stage: spans of sampled traces pass; an unsampled (record-only) trace is
 * kept when a built-in rule keeps it (errors, slow, cost, tokens), left undecided when a
 * `keepTrace` predicate may still keep it, and dropped otherwise. A kept trace stays kept, so
 * its spans that end later are kept too.
 *
 * @param spans - one batch; a trace's spans arrive together (the batch queue never splits one)
 * @param rules - the configured tail rules
 * @example
 * const { kept, undecided, dropped } = tailSample(spans, rules);
 */
export function tailSample(spans: SpanRecord[], rules: TailRules): TailResult {
  let i = 0;
  while (i < spans.length && (spans[i] as SpanRecord).trace.sampled) i++;
  // The common case, every trace sampled, costs one pass and no allocation.
  if (i === spans.length) return { kept: spans, undecided: [], dropped: 0 };
  const kept = spans.slice(0, i);
  const groups = new Map<TraceData, SpanRecord[]>();
  for (; i < spans.length; i++) {
    const span = spans[i] as SpanRecord;
    const trace = span.trace;
    if (trace.sampled || trace.kept) {
      kept.push(span);
      continue;
    }
    const group = groups.get(trace);
    if (group) group.push(span);
    else groups.set(trace, [span]);
  }
  const undecided: Undecided[] = [];
  let dropped = 0;
  for (const [trace, group] of groups) {
    const view = describeTrace(trace, group);
    if (ruleKeeps(view, rules)) {
      trace.keep();
      for (const s of group) kept.push(s);
    } else if (rules.keepTrace !== undefined) {
      undecided.push({ trace, spans: group, view });
    } else {
      dropped += group.length;
    }
  }
  return { kept, undecided, dropped };
}
