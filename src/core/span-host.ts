import type { Attributes } from "./attributes.js";
import type { SpanRecord } from "./span.js";
import type { SpanUpdate } from "./span-types.js";

/** Limits applied as data is set, so a span never grows past them. */
export interface SpanLimits {
  readonly attributes: number;
  readonly valueLength: number;
  readonly events: number;
  readonly links: number;
  readonly stackLength: number;
  readonly captureLength: number;
}

/** Where ended spans go: the tracer's batch buffer, or a serverless invocation's buffer. */
export interface SpanCollector {
  add(span: SpanRecord): void;
}

/** What a span needs from the tracer that made it. */
export interface SpanHost {
  readonly limits: SpanLimits;
  /** Global attributes in force now; a span keeps the set current at its start. */
  readonly globals: Attributes | undefined;
  onEnd(span: SpanRecord): void;
  onLateCall(span: SpanRecord, what: string): void;
  onUpdate(span: SpanRecord, fields: SpanUpdate): void;
}
