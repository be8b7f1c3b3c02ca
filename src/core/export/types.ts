import type { Attributes } from "../attributes.js";
import type { ReadableSpan } from "../span.js";

/** The instrumentation scope spanwise reports. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
}

/** One export: finished spans with the resource and scope they belong to. */
export interface ExportBatch {
  readonly resource: Attributes;
  readonly scope: InstrumentationScope;
  readonly spans: readonly ReadableSpan[];
}

/** What an exporter reports back. `rejected` counts spans a collector refused (OTLP partial success). */
export type ExportResult =
  | {
      readonly ok: true;
      /** Spans the collector refused although the request succeeded (OTLP partial success). */
      readonly rejected?: number;
      /** The collector's reason for refusing them, shown in the warning. */
      readonly message?: string | undefined;
    }
  | { readonly ok: false; readonly error: string };

/** Per-call options of `SpanExporter.export`. */
export interface ExportOptions {
  /** Aborted when the SDK stops waiting (a serverless invocation's flush budget ran out). */
  readonly signal?: AbortSignal;
}

/**
 * Receives finished spans. Exporters never throw to the SDK: failures come back as `{ ok: false }`
 * (a thrown error is caught and counted all the same).
 *
 * @example
 * const exporter: SpanExporter = { name: "stdout", async export(batch) { console.log(batch.spans.length); return { ok: true } } };
 */
export interface SpanExporter {
  readonly name: string;
  export(batch: ExportBatch, options?: ExportOptions): Promise<ExportResult>;
  shutdown?(): Promise<void>;
}
