import type { ReadableSpan } from "../span.js";
import type { ExportBatch, SpanExporter } from "./types.js";

/** An exporter that keeps spans in memory, for tests. */
export interface MemoryExporter extends SpanExporter {
  /** Every span exported so far, in export order. */
  readonly spans: readonly ReadableSpan[];
  /** Every batch exported so far, with its resource and scope. */
  readonly batches: readonly ExportBatch[];
  /** Forgets what was exported. */
  reset(): void;
}

/**
 * Creates an in-memory exporter.
 *
 * @returns an exporter with `spans`, `batches` and `reset()`
 * @example
 * const memory = createMemoryExporter();
 * init({ exporters: [memory] });
 * await flush();
 * expect(memory.spans.map((s) => s.name)).toEqual(["answer"]);
 */
export function createMemoryExporter(): MemoryExporter {
  const spans: ReadableSpan[] = [];
  const batches: ExportBatch[] = [];
  return {
    name: "memory",
    spans,
    batches,
    async export(batch) {
      batches.push(batch);
      spans.push(...batch.spans);
      return { ok: true };
    },
    reset() {
      spans.length = 0;
      batches.length = 0;
    },
  };
}
