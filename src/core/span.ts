import { type AttributeInput, type AttributeValue, type Attributes, limitAttributes, toAttributeValue } from "./attributes.js";
import type { DropReason } from "./buffer.js";
import { describeError } from "./describe-error.js";
import { now, toMs } from "./clock.js";
import { isValidSpanId, isValidTraceId } from "./ids.js";
import { safeStringify } from "./serialize.js";

import type { ReadableSpan, Span, SpanContext, SpanEvent, SpanKind, SpanLink, SpanLinkInput, SpanType, SpanUpdate, StatusCode } from "./span-types.js";

export type { ReadableSpan, Span, SpanContext, SpanEvent, SpanKind, SpanLink, SpanLinkInput, SpanType, SpanUpdate, StatusCode, Usage } from "./span-types.js";
export { describeError } from "./describe-error.js";
export { NOOP_SPAN } from "./noop-span.js";

/** Limits applied as data is set, so a span never grows past them. */
export interface SpanLimits {
  readonly attributes: number;
  readonly valueLength: number;
  readonly events: number;
  readonly links: number;
  readonly stackLength: number;
  readonly captureLength: number;
}

/** Scope attributes from `withAttributes` and `observe` options, inherited by child spans. */
export interface Scope {
  readonly userId?: string | undefined;
  readonly sessionId?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  readonly attributes?: Attributes | undefined;
}

/** Where ended spans go: the tracer's batch buffer, or a serverless invocation's buffer. */
export interface SpanCollector {
  add(span: SpanRecord): void;
}

/** Per-trace state shared by the spans of one trace in this isolate. */
export interface TraceData {
  root: SpanRecord | undefined;
  /** Open spans of the trace, so an invocation can end the ones a user forgot. */
  open: Set<SpanRecord> | undefined;
  collector: SpanCollector | undefined;
  update: (Scope & { name?: string; input?: string; output?: string }) | undefined;
  /** The head sampler's decision, carried as the W3C sampled flag of the trace's spans. */
  sampled: boolean;
  /** Why the trace is not recorded (counted per span as it ends), or "filtered" once a processor dropped it. */
  drop: DropReason | undefined;
  /** Set at flush when tail sampling kept the trace, so spans that end later are kept too. */
  kept: boolean;
  /** Ended spans waiting for the local root to end (long-lived processes only). */
  held: SpanRecord[] | undefined;
  /** When the first of the held spans ended. */
  heldSince: number;
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

const BRAND = Symbol.for("spanwise.span");

/** True for a span record from any copy of spanwise loaded in this isolate. */
export function isSpanRecord(value: unknown): value is SpanRecord {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

const NO_EVENTS = Object.freeze([]) as unknown as SpanEvent[];
const NO_LINKS = Object.freeze([]) as unknown as SpanLink[];

const KINDS: Record<string, SpanKind> = { internal: "internal", server: "server", client: "client", producer: "producer", consumer: "consumer" };

/**
 * The span record. A plain class so V8 keeps one hidden class for every span; nothing here
 * encodes, hashes or allocates beyond the attributes object until flush.
 */
export class SpanRecord implements Span, ReadableSpan {
  name: string;
  readonly type: SpanType;
  kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean;
  readonly traceFlags: number;
  readonly traceState: string | undefined;
  readonly startTime: number;
  endTime = 0;
  attributes: Attributes = {};
  // Shared empty arrays until the first event or link: most spans have neither.
  events: SpanEvent[] = NO_EVENTS;
  links: SpanLink[] = NO_LINKS;
  statusCode: StatusCode = "unset";
  statusMessage: string | undefined = undefined;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  attributeCount = 0;
  readonly trace: TraceData;
  readonly scope: Scope | undefined;
  readonly host: SpanHost;
  readonly recording: boolean;
  /** The global attributes current when the span started, applied at flush below everything else. */
  readonly globals: Attributes | undefined;
  declare readonly [BRAND]: true;

  constructor(
    host: SpanHost,
    name: string,
    type: SpanType,
    kind: SpanKind | undefined,
    traceId: string,
    spanId: string,
    parent: SpanContext | undefined,
    trace: TraceData,
    scope: Scope | undefined,
    recording: boolean,
    startTime: number,
  ) {
    this.host = host;
    this.name = name;
    this.type = type;
    this.kind = (kind && KINDS[kind]) || (type === "llm" || type === "embedding" ? "client" : "internal");
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parent?.spanId;
    this.parentIsRemote = parent?.isRemote === true;
    // Bit 0 is the head sampler's decision for the trace; other flags pass through from the parent.
    this.traceFlags = parent ? (parent.traceFlags & 0xfe) | (trace.sampled ? 1 : 0) : trace.sampled ? 1 : 0;
    this.traceState = parent?.traceState;
    this.trace = trace;
    this.scope = scope;
    this.recording = recording;
    this.startTime = startTime;
    this.globals = host.globals;
  }

  setAttribute(key: string, value: unknown): this {
    if (!this.recording || this.endTime !== 0) return this.late("setAttribute");
    if (typeof key !== "string" || key === "" || key === "__proto__") return this;
    let v: AttributeValue | undefined;
    try {
      v = toAttributeValue(value, this.host.limits.valueLength);
    } catch {
      return this;
    }
    if (v !== undefined) this.putAttribute(key, v);
    return this;
  }

  /** Sets an already-converted value whether or not the span has ended (pipeline use). */
  putAttribute(key: string, value: AttributeValue): void {
    const attrs = this.attributes;
    // hasOwn, not `in`: keys like "constructor" must count against the limit too.
    if (!Object.hasOwn(attrs, key)) {
      if (this.attributeCount >= this.host.limits.attributes) {
        this.droppedAttributesCount++;
        return;
      }
      this.attributeCount++;
    }
    attrs[key] = value;
  }

  setAttributes(attributes: AttributeInput): this {
    if (attributes === null || typeof attributes !== "object" || !this.recording || this.endTime !== 0) return this.late("setAttributes");
    try {
      for (const key in attributes) this.setAttribute(key, attributes[key]);
    } catch {
      // A throwing getter or a revoked proxy costs the remaining attributes, nothing more.
    }
    return this;
  }

  addEvent(name: string, attributes?: AttributeInput, time?: Date | number): this {
    if (!this.recording || this.endTime !== 0) return this.late("addEvent");
    if (this.events.length >= this.host.limits.events) {
      this.droppedEventsCount++;
      return this;
    }
    try {
      const [attrs, dropped] = limitAttributes(attributes, this.host.limits);
      if (this.events === NO_EVENTS) this.events = [];
      this.events.push({ name: typeof name === "string" ? name : safeStringify(name, 256) ?? "event", time: toMs(time), attributes: attrs, droppedAttributesCount: dropped });
    } catch {
      // Hostile input: the event is skipped.
    }
    return this;
  }

  addLink(link: SpanLinkInput): this {
    if (!this.recording || this.endTime !== 0) return this.late("addLink");
    try {
      const ctx = link?.context;
      if (!ctx || !isValidTraceId(ctx.traceId) || !isValidSpanId(ctx.spanId)) return this;
      if (this.links.length >= this.host.limits.links) {
        this.droppedLinksCount++;
        return this;
      }
      const [attrs, dropped] = limitAttributes(link.attributes, this.host.limits);
      if (this.links === NO_LINKS) this.links = [];
      this.links.push({ traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.traceFlags, traceState: typeof ctx.traceState === "string" ? ctx.traceState : undefined, isRemote: ctx.isRemote === true, attributes: attrs, droppedAttributesCount: dropped });
    } catch {
      // Hostile input: the link is skipped.
    }
    return this;
  }

  setStatus(code: StatusCode, message?: string): this {
    if (!this.recording || this.endTime !== 0) return this.late("setStatus");
    // OpenTelemetry: setting UNSET is ignored, OK is final, a description only accompanies ERROR.
    if (this.statusCode === "ok" || (code !== "ok" && code !== "error")) return this;
    this.statusCode = code;
    this.statusMessage = code === "error" && message !== undefined ? (typeof message === "string" ? message : (safeStringify(message, 1024) ?? "")).slice(0, this.host.limits.valueLength) : undefined;
    return this;
  }

  recordException(error: unknown, attributes?: AttributeInput): this {
    if (!this.recording || this.endTime !== 0) return this.late("recordException");
    const { type, message, stack } = describeError(error);
    const limit = this.host.limits.stackLength;
    const event: AttributeInput = {
      "exception.type": type,
      "exception.message": message,
      "exception.stacktrace": stack && stack.length > limit ? `${stack.slice(0, limit)}…` : stack,
    };
    try {
      if (attributes && typeof attributes === "object") for (const key in attributes) event[key] = attributes[key];
    } catch {
      // Extra attributes are optional; the exception itself is recorded regardless.
    }
    this.addEvent("exception", event);
    return this.setStatus("error", message);
  }

  update(fields: SpanUpdate): this {
    if (!this.recording) return this;
    if (this.endTime !== 0) return this.late("update");
    if (fields && typeof fields === "object") this.host.onUpdate(this, fields);
    return this;
  }

  updateName(name: string): this {
    if (!this.recording || this.endTime !== 0) return this.late("updateName");
    if (typeof name === "string" && name !== "") this.name = name;
    return this;
  }

  end(endTime?: Date | number): void {
    if (this.endTime !== 0) {
      this.late("end");
      return;
    }
    const t = endTime === undefined ? now() : toMs(endTime);
    this.endTime = t < this.startTime ? this.startTime : t;
    this.trace.open?.delete(this);
    this.host.onEnd(this);
  }

  isRecording(): boolean {
    return this.recording && this.endTime === 0;
  }

  spanContext(): SpanContext {
    return { traceId: this.traceId, spanId: this.spanId, traceFlags: this.traceFlags, traceState: this.traceState, isRemote: false };
  }

  private late(what: string): this {
    if (this.recording && this.endTime !== 0) this.host.onLateCall(this, what);
    return this;
  }
}

Object.defineProperty(SpanRecord.prototype, BRAND, { value: true });
