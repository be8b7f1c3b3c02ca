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
  // The waiting traces in the order they began to wait, oldest first, in `order[head..end)`. An
  // array where a Set's add and delete per trace (hashing it, growing and shrinking the table)
  // cost more than the rest of holding: a trace's entry is `order[trace.heldAt]`, and letting
  // the trace go empties it. Once nothing waits, the array is reused from the start; while
  // traces keep waiting, it is compacted when empty entries outnumber the spans waiting.
  const order: (TraceData | undefined)[] = [];
  let head = 0;
  let end = 0;
  /** Spans waiting (at least one per waiting trace). */
  let count = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  /** The trace at `order[i]` if it still waits there. */
  const at = (i: number): TraceData | undefined => {
    const t = order[i];
    return t !== undefined && t.held !== undefined && t.heldAt === i ? t : undefined;
  };
  const oldest = (): TraceData | undefined => {
    for (; head < end; head++) {
      const t = at(head);
      if (t !== undefined) return t;
    }
    return undefined;
  };
  const wait = (trace: TraceData): void => {
    if (count === 0) head = end = 0;
    else if (end - head > 2 * count + 1024) {
      let to = 0;
      for (let i = head; i < end; i++) {
        const t = at(i);
        order[i] = undefined;
        if (t === undefined) continue;
        t.heldAt = to;
        order[to++] = t;
      }
      head = 0;
      end = to;
    }
    trace.heldAt = end;
    order[end++] = trace;
  };
  /** Lets a trace this assembler holds go on to the queue (its root last); false if it holds none. */
  const release = (trace: TraceData, root?: SpanRecord): boolean => {
    const held = trace.held;
    // Only a trace waiting here: after shutdown() and init(), a trace begun under the old
    // tracer can wait in the new one's assembler while its root ends in the old one's.
    if (held === undefined || order[trace.heldAt] !== trace) return false;
    order[trace.heldAt] = undefined;
    trace.held = undefined;
    count -= held.length;
    if (root !== undefined) held.push(root);
    // The list goes to the queue as it is: it is the queue's now.
    inner.addAll(held);
    return true;
  };
  const releaseAll = (): void => {
    for (let t = oldest(); t !== undefined; t = oldest()) release(t);
  };
  const sweep = (): void => {
    timer = undefined;
    const cutoff = now() - maxWaitMs;
    for (let t = oldest(); t !== undefined && t.heldSince <= cutoff; t = oldest()) release(t);
    schedule();
  };
  const schedule = (): void => {
    const first = timer === undefined && !closed && count > 0 ? oldest() : undefined;
    if (first === undefined) return;
    timer = setTimeout(sweep, Math.max(1, first.heldSince + maxWaitMs - now()));
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
        if (!release(trace, span)) inner.add(span);
        return;
      }
      // The root already ended (a late span) or cannot end here: nothing to wait for.
      if (closed || root === undefined || root.endTime !== 0) {
        inner.add(span);
        return;
      }
      const held = trace.held;
      if (held === undefined) {
        trace.held = [span];
        trace.heldSince = span.endTime;
        wait(trace);
        count++;
        schedule();
      } else {
        held.push(span);
        count++;
      }
      while (count > maxSpans) {
        const t = oldest();
        if (t === undefined) break;
        release(t);
      }
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
