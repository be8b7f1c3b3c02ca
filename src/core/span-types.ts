import type { AttributeInput, Attributes } from "./attributes.js";

/** What a span means in agent work. `span` is the default. */
export type SpanType = "agent" | "llm" | "tool" | "retrieval" | "embedding" | "workflow" | "span";

/** The OpenTelemetry span kind. */
export type SpanKind = "internal" | "server" | "client" | "producer" | "consumer";

/** Span status as OpenTelemetry defines it. */
export type StatusCode = "unset" | "ok" | "error";

/** The identity of a span, local or received from another service. */
export interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
  /** W3C trace flags; bit 0 is "sampled". */
  readonly traceFlags: number;
  readonly traceState?: string | undefined;
  readonly isRemote?: boolean | undefined;
}

/** A timed event on a span. */
export interface SpanEvent {
  readonly name: string;
  readonly time: number;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

/** A link from a span to another span context (a batch's messages, a retried call). */
export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags?: number | undefined;
  readonly traceState?: string | undefined;
  /** True when the linked context came from another service. */
  readonly isRemote?: boolean | undefined;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

/** Input accepted by `addLink` and the `links` option. */
export interface SpanLinkInput {
  readonly context: SpanContext;
  readonly attributes?: AttributeInput;
}

/** Token usage of an LLM call. */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/** Fields that `span.update()` and `updateCurrentSpan()` accept. */
export interface SpanUpdate {
  name?: string;
  input?: unknown;
  output?: unknown;
  model?: string;
  provider?: string;
  usage?: Usage;
  costUsd?: number;
  attributes?: AttributeInput;
  metadata?: Record<string, unknown>;
  tags?: readonly string[];
  status?: StatusCode;
  statusMessage?: string;
}

/** A span the user can annotate and end. */
export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  /** Sets one attribute; objects are serialised, null/undefined are ignored. */
  setAttribute(key: string, value: unknown): this;
  setAttributes(attributes: AttributeInput): this;
  addEvent(name: string, attributes?: AttributeInput, time?: Date | number): this;
  addLink(link: SpanLinkInput): this;
  setStatus(code: StatusCode, message?: string): this;
  /** Records an `exception` event and sets status ERROR. */
  recordException(error: unknown, attributes?: AttributeInput): this;
  /** Sets input, output, model, usage, cost, metadata or tags in one call. */
  update(fields: SpanUpdate): this;
  updateName(name: string): this;
  /** Ends the span; later calls are ignored. */
  end(endTime?: Date | number): void;
  isRecording(): boolean;
  spanContext(): SpanContext;
}

/**
 * A finished span as exporters and processors see it. On the spans spanwise makes these fields
 * are accessors over compact storage, so `{ ...span }` does not copy them: use `span.toJSON()`.
 */
export interface ReadableSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  readonly name: string;
  readonly type: SpanType;
  readonly kind: SpanKind;
  readonly startTime: number;
  readonly endTime: number;
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly statusCode: StatusCode;
  readonly statusMessage: string | undefined;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  /** A plain copy of the fields above (present on every span spanwise makes). */
  toJSON?(): ReadableSpan;
}
