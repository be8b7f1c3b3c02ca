import { createMemoryExporter, init, type MemoryExporter, type ReadableSpan, type SpanwiseOptions } from "spanwise/node";

/** What a test needs after `start()`: the in-memory exporter and the SDK's own warnings and debug lines (with `debug: true`). */
export interface Harness {
  readonly memory: MemoryExporter;
  readonly warnings: string[];
  readonly debug: string[];
}

/**
 * Initialises spanwise with an in-memory exporter, no exit hooks, a silent logger and a batch
 * timer long enough that only `flush()` exports (so tests never race the scheduler).
 */
export function start(options: SpanwiseOptions = {}): Harness {
  const memory = createMemoryExporter();
  const warnings: string[] = [];
  const debug: string[] = [];
  const ok = init({
    exporters: [memory],
    flushOnExit: false,
    scheduleDelayMs: 60_000,
    maxQueueSize: 100_000,
    maxExportBatchSize: 1_000,
    logger: { warn: (m: string) => warnings.push(m), debug: (m: string) => debug.push(m) },
    ...options,
  });
  if (!ok) throw new Error("spanwise did not start");
  return { memory, warnings, debug };
}

/** The one exported span called `name`; fails loudly when there are none or several. */
export function only(memory: MemoryExporter, name: string): ReadableSpan {
  const found = memory.spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${memory.spans.map((s) => s.name).join(", ")}`);
  return found[0] as ReadableSpan;
}

/** Every exported span called `name`. */
export function named(memory: MemoryExporter, name: string): ReadableSpan[] {
  return memory.spans.filter((s) => s.name === name);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
