import type { SpanRecord } from "./span.js";
import type { SpanCollector } from "./span-host.js";

/**
 * Why a span was dropped; each reason has its own counter in `stats().dropped`.
 * `notSampled`: the head sampler (or the caller) did not sample the trace and no tail rule kept it;
 * `rateLimited`: the trace started while `maxSpansPerSecond` was spent; `filtered`: a `processors`
 * function returned false for its trace; `redactionFailed`: redaction could not process the trace,
 * so it was not sent rather than sent unredacted; `tooManyOpen`: a LangChain run or an AI SDK call
 * not traced because 10,000 were open at once (one per run or call, its inner spans not counted).
 */
export type DropReason = "queueFull" | "exportFailed" | "notSampled" | "shutdown" | "rejected" | "rateLimited" | "filtered" | "redactionFailed" | "tooManyOpen";

/** Options of the long-lived batch buffer. */
export interface BatchBufferOptions {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduleDelayMs: number;
  /** Exports up to maxExportBatchSize spans; must not reject. */
  exportBatch(spans: SpanRecord[]): Promise<void>;
  onDrop(count: number, reason: DropReason): void;
  /** Exports running at once before the queue waits. Default 2. */
  maxConcurrentExports?: number;
}

/** The bounded queue of a long-lived server. */
export interface BatchBuffer extends SpanCollector {
  /**
   * Adds the spans of one trace together, so no batch boundary falls between them. The buffer
   * keeps the list itself: the caller hands it over and must not change it afterwards.
   */
  addAll(spans: readonly SpanRecord[]): void;
  /** Exports everything queued now and waits for exports already running. */
  flush(): Promise<void>;
  /** Flushes, then drops (and counts) whatever arrives later. */
  shutdown(): Promise<void>;
  readonly size: number;
}

/**
 * A bounded batch queue: exports when a batch is full or after `scheduleDelayMs`, with a timer
 * that never keeps the runtime alive. When full, the oldest span is dropped and counted.
 *
 * @example
 * const buffer = createBatchBuffer({ maxQueueSize: 2048, maxExportBatchSize: 512, scheduleDelayMs: 1000, exportBatch, onDrop });
 */
export function createBatchBuffer(options: BatchBufferOptions): BatchBuffer {
  const { maxQueueSize, maxExportBatchSize, scheduleDelayMs, exportBatch, onDrop } = options;
  const maxConcurrent = options.maxConcurrentExports ?? 2;
  // Spans wait in the order they came: one span, or the spans of one trace handed over together
  // by addAll (the trace assembler's list, kept as it is rather than copied span by span).
  let queue: (SpanRecord | SpanRecord[])[] = [];
  let size = 0;
  const inFlight = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const start = (batch: SpanRecord[]): Promise<void> => {
    const done = (): void => {
      inFlight.delete(p);
      pump();
    };
    const p: Promise<void> = exportBatch(batch).then(done, () => {
      // exportBatch must not reject; if it ever does, the batch is still counted.
      onDrop(batch.length, "exportFailed");
      done();
    });
    inFlight.add(p);
    return p;
  };
  const take = (): SpanRecord[] => {
    const batch: SpanRecord[] = [];
    let i = 0;
    // Whole entries up to the batch size, then on while the last trace goes on: a batch never
    // ends inside a trace, so tail sampling and processors see its spans together.
    for (let e = queue[0]; e !== undefined; e = queue[++i]) {
      const first = Array.isArray(e) ? (e[0] as SpanRecord) : e;
      if (batch.length >= maxExportBatchSize && first.trace !== batch[batch.length - 1]?.trace) break;
      if (Array.isArray(e)) for (const s of e) batch.push(s);
      else batch.push(e);
    }
    queue = queue.slice(i);
    size -= batch.length;
    return batch;
  };
  /** Drops the `n` oldest spans (the queue is over its bound). */
  const dropOldest = (n: number): void => {
    for (let i = 0; i < n; i++) {
      const e = queue[0];
      if (Array.isArray(e) && e.length > 1) e.shift();
      else queue.shift();
    }
    size -= n;
    onDrop(n, "queueFull");
  };
  const pump = (): void => {
    while (size >= maxExportBatchSize && inFlight.size < maxConcurrent) start(take());
    if (size > 0) schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(onTimer, scheduleDelayMs);
    // An idle tracer must not hold a server runtime open where timers can be unref'd.
    (timer as { unref?: () => void }).unref?.();
  };
  const onTimer = (): void => {
    timer = undefined;
    if (size > 0 && inFlight.size < maxConcurrent) start(take());
    if (size > 0) schedule();
  };

  /** Queues one span or one trace's spans; false (and counted) once shut down and drained. */
  const enqueue = (entry: SpanRecord | SpanRecord[], n: number): boolean => {
    if (closed && size === 0 && inFlight.size === 0) {
      onDrop(n, "shutdown");
      return false;
    }
    queue.push(entry);
    size += n;
    if (size > maxQueueSize) dropOldest(size - maxQueueSize);
    if (size >= maxExportBatchSize) pump();
    else schedule();
    return true;
  };

  const flush = async (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    // Still at most maxConcurrent exports at once: a flush waits for a slot rather than opening more.
    while (size > 0) {
      if (inFlight.size < maxConcurrent) start(take());
      else await Promise.race(inFlight);
    }
    await Promise.all([...inFlight]);
  };

  return {
    get size() {
      return size;
    },
    add(span) {
      enqueue(span, 1);
    },
    addAll(spans) {
      if (spans.length > 0) enqueue(spans as SpanRecord[], spans.length);
    },
    flush,
    async shutdown() {
      // Closed first: a span that ends while the last flush runs is counted, not stranded.
      closed = true;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      while (size > 0 || inFlight.size > 0) await flush();
    },
  };
}

/** The buffer of one serverless invocation: spans wait here until the runtime flushes them. */
export interface InvocationBuffer extends SpanCollector {
  /** Removes and returns every span collected so far. */
  take(): SpanRecord[];
  readonly size: number;
}

/**
 * Collects the spans of one invocation (a Worker fetch, a Lambda event) so the runtime can
 * export exactly those when the invocation ends.
 *
 * @example
 * const buffer = createInvocationBuffer();
 * const root = startInvocation("GET /", { collector: buffer });
 */
export function createInvocationBuffer(): InvocationBuffer {
  let spans: SpanRecord[] = [];
  return {
    get size() {
      return spans.length;
    },
    add(span) {
      spans.push(span);
    },
    take() {
      const out = spans;
      spans = [];
      return out;
    },
  };
}
