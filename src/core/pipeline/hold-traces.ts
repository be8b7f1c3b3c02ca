import type { BatchBuffer } from "../buffer.js";
import type { SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";

/** Options of `holdTraces`. */
export interface HoldOptions {
  /** Longest a span waits for its trace's root to end. */
  readonly maxWaitMs: number;
  /** Most spans held at once; past it the oldest trace is let go early. */
  readonly maxSpans: number;
  readonly now: () => number;
}

/**
 * Puts a trace assembler in front of the batch queue of a long-lived server: a span that ends
 * before its trace's local root waits until the root ends, so the trace reaches the pipeline
 * whole and tail sampling sees it all. A trace is let go early when it has waited `maxWaitMs`,
 * when more than `maxSpans` spans are waiting (oldest first), and on flush and shutdown. The
 * waiting costs an array push per span; the timer never keeps the runtime alive.
 *
 * @param inner - the batch queue the spans go on to
 * @param options - wait bound, memory bound and clock
 * @example
 * tracer.buffer = holdTraces(createBatchBuffer(...), { maxWaitMs: 30_000, maxSpans: 2048, now });
 */
export function holdTraces(inner: BatchBuffer, options: HoldOptions): BatchBuffer {
  const { maxWaitMs, maxSpans, now } = options;
  // Insertion order is the order in which traces started waiting, so the oldest comes first.
  const waiting = new Set<TraceData>();
  let count = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const release = (trace: TraceData, root?: SpanRecord): void => {
    const held = trace.held;
    waiting.delete(trace);
    if (held === undefined) return;
    trace.held = undefined;
    count -= held.length;
    if (root !== undefined) held.push(root);
    inner.addAll(held);
  };
  const releaseAll = (): void => {
    for (const trace of [...waiting]) release(trace);
  };
  const sweep = (): void => {
    timer = undefined;
    const cutoff = now() - maxWaitMs;
    for (const trace of waiting) {
      if (trace.heldSince > cutoff) break;
      release(trace);
    }
    schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined || closed || waiting.size === 0) return;
    const oldest = waiting.values().next().value as TraceData;
    timer = setTimeout(sweep, Math.max(1, oldest.heldSince + maxWaitMs - now()));
    // Waiting spans must not hold a server runtime open (timers there can be unref'd).
    (timer as { unref?: () => void }).unref?.();
  };

  return {
    get size() {
      return inner.size + count;
    },
    add(span: SpanRecord) {
      const trace = span.trace;
      const root = trace.root;
      if (span === root) {
        if (trace.held !== undefined) release(trace, span);
        else inner.add(span);
        return;
      }
      // The root already ended (a late span) or cannot end here: nothing to wait for.
      if (closed || root === undefined || root.endTime !== 0) {
        inner.add(span);
        return;
      }
      let held = trace.held;
      if (held === undefined) {
        held = trace.held = [];
        trace.heldSince = span.endTime;
        waiting.add(trace);
        schedule();
      }
      held.push(span);
      count++;
      while (count > maxSpans && waiting.size > 0) release(waiting.values().next().value as TraceData);
    },
    addAll(spans) {
      for (const span of spans) this.add(span);
    },
    async flush() {
      releaseAll();
      await inner.flush();
    },
    async shutdown() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      releaseAll();
      await inner.shutdown();
    },
  };
}
