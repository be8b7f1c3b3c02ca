import { toAttributeValue } from "../attributes.js";
import type { SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import { describeTrace } from "./describe-trace.js";
import type { TraceProcessor } from "./types.js";
import { withTimeout } from "../with-timeout.js";

/** What `runProcessors` reports to. */
export interface ProcessorHooks {
  /** Bound on one asynchronous processor call. */
  readonly timeoutMs: number;
  /** `maxAttributeValueLength`, for a value a processor wrote that must be converted. */
  readonly valueLength: number;
  onError(err: unknown): void;
  /** Spans dropped because a processor returned false. */
  onFiltered(spans: number): void;
}

/**
 * Runs the user's `processors` over each trace of a batch, in order. A processor may edit span
 * attributes; returning false drops the trace, and its spans that end later. A throw, a rejection or a call slower than
 * `timeoutMs` is reported and the trace goes on to the next processor. Each processor sees a
 * copy of its trace's spans list; what is kept is built from the trace's own list. Rejects, once
 * every trace is done, only on a failure of the SDK itself.
 *
 * @param spans - the batch after sampling (and, in safety order, redaction)
 * @param processors - the user's functions
 * @param hooks - error and drop reporting, timeout
 * @returns the spans of the traces no processor dropped
 * @example
 * const kept = await runProcessors(spans, config.processors, hooks);
 */
export async function runProcessors(spans: SpanRecord[], processors: readonly TraceProcessor[], hooks: ProcessorHooks): Promise<SpanRecord[]> {
  if (processors.length === 0 || spans.length === 0) return spans;
  const groups = new Map<TraceData, SpanRecord[]>();
  for (const span of spans) {
    const group = groups.get(span.trace);
    if (group) group.push(span);
    else groups.set(span.trace, [span]);
  }
  const entries = [...groups];
  // Every trace's processors finish (or time out) before anything is decided: a scrubbing
  // processor still running must never see its trace exported before it is done.
  const results = await Promise.allSettled(entries.map(([trace, group]) => processTrace(trace, group, processors, hooks)));
  let filtered = 0;
  const kept: SpanRecord[] = [];
  for (let i = 0; i < entries.length; i++) {
    const r = results[i] as PromiseSettledResult<boolean>;
    // A processor's own failure is caught in processTrace; this is the SDK's, and fails the batch.
    if (r.status === "rejected") throw r.reason;
    const group = (entries[i] as [TraceData, SpanRecord[]])[1];
    if (r.value) for (const s of group) kept.push(s);
    else filtered += group.length;
  }
  if (filtered > 0) hooks.onFiltered(filtered);
  return kept;
}

async function processTrace(trace: TraceData, spans: SpanRecord[], processors: readonly TraceProcessor[], hooks: ProcessorHooks): Promise<boolean> {
  // A trace dropped once stays dropped: spans that end later are not sent on their own.
  if (trace.drop === "filtered") return false;
  const view = describeTrace(trace, spans);
  const names = spans.map((s) => s.name);
  try {
    for (const processor of processors) {
      try {
        let result = processor(view);
        if (result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function") {
          result = await withTimeout(result as Promise<void | boolean>, hooks.timeoutMs, `a processor did not finish within ${hooks.timeoutMs} ms`);
        }
        if (result === false) {
          trace.drop = "filtered";
          return false;
        }
      } catch (err) {
        hooks.onError(err);
      }
    }
    return true;
  } finally {
    mend(spans, names, hooks);
  }
}

/**
 * Makes what processors wrote exportable, as the span API would have: a name that is not a string
 * is put back (one bad name must not fail the batch's encoding), and an attribute value OTLP
 * cannot carry (an object, a Date, null) is converted as `setAttribute` converts it, or removed.
 * Only spans whose attributes a processor read or replaced can hold such a value.
 */
function mend(spans: readonly SpanRecord[], names: readonly string[], hooks: ProcessorHooks): void {
  spans.forEach((s, i) => {
    // Whatever a processor left (frozen attributes, a Proxy) fails this span's mending, not the batch.
    try {
      if (typeof s.name !== "string") {
        s.name = names[i] as string;
        throw new TypeError("a processor set a span's name to a value that is not a string; the name was kept");
      }
      if (s.attributeList()) return;
      const a = s.attributes as Record<string, unknown>;
      if (Object(a) !== a) {
        s.attributes = {};
        throw new TypeError("a processor set a span's attributes to a value that is not an object; they were dropped");
      }
      let out: Record<string, unknown> | undefined;
      for (const k in a) {
        const v = a[k];
        if (v != null && Object(v) !== v && typeof v !== "symbol") continue;
        out ??= { ...a };
        out[k] = toAttributeValue(v, hooks.valueLength);
        if (out[k] === undefined) delete out[k];
      }
      if (out) s.attributes = out as typeof s.attributes;
    } catch (err) {
      hooks.onError(err);
    }
  });
}
