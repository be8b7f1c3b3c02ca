import type { Context } from "../../core/context.js";
import type { SpanRecord } from "../../core/span.js";
import type { Tracer } from "../../core/tracer.js";

/** One AI SDK operation (a generateText call, an embed call, ...) while it runs. */
export interface Call {
  t: Tracer;
  /** The caller's context when the operation started: its scope and baggage carry on. */
  ctx: Context | undefined;
  operation: string;
  provider: string;
  stream: boolean;
  inputs: boolean;
  outputs: boolean;
  root: SpanRecord;
  step?: SpanRecord | undefined;
  chat?: SpanRecord | undefined;
  tools: Map<string, SpanRecord>;
  embeds: Map<string, SpanRecord>;
  /** When the AI SDK last reported on this call (Date.now()). */
  lastEventAt: number;
  /** Model or tool executions in progress: a call waiting on one is not idle. */
  busy: number;
  /**
   * What the last model execution ("") or each tool execution (by tool call id) threw, as thrown:
   * with `recordInputs` or `recordOutputs` false the AI SDK hands telemetry a stand-in error
   * instead, which says neither abort nor timeout.
   */
  thrown: Map<string, unknown>;
}
