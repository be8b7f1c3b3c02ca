import { MAX_LIST_PAIRS, settleList } from "./attribute-list.js";
import { type AttributeInput, type AttributeValue, type Attributes, limitAttributes, toAttributeValue } from "./attributes.js";
import { describeError } from "./describe-error.js";
import { now, toMs } from "./clock.js";
import { hexWord, isValidSpanId, isValidTraceId, randomWord } from "./ids.js";
import { BRAND } from "./is-span-record.js";
import { cutString } from "./cut-string.js";
import type { Scope } from "./scope.js";
import { safeStringify } from "./serialize.js";
import { ERROR, KINDS, KIND_MASK, KIND_NAMES, NO_EVENTS, NO_LINKS, OK, OTHER_TYPE, RECORDING, SETTLED, STATUS_MASK, STATUS_NAMES, STATUS_SHIFT, TYPE_NAMES, TYPE_SHIFT } from "./span-bits.js";
import type { SpanHost } from "./span-host.js";
import type { TraceData } from "./trace-data.js";

import type { ReadableSpan, Span, SpanContext, SpanEvent, SpanKind, SpanLink, SpanLinkInput, SpanType, SpanUpdate, StatusCode } from "./span-types.js";

export type { ReadableSpan, Span, SpanContext, SpanEvent, SpanKind, SpanLink, SpanLinkInput, SpanType, SpanUpdate, StatusCode, Usage } from "./span-types.js";
export { describeError } from "./describe-error.js";
export { NOOP_SPAN } from "./noop-span.js";

// Times live in shared Float64Array slabs of 128 spans rather than on the span: a double
// field is a separate heap object in V8, so two per span would be two more objects for every
// garbage collection to copy while the span waits for export. A slab's memory is outside the
// JS heap; it is freed when the last of its spans is.
const SLAB_SIZE = 256;
// Room for five attributes in a span's first list (what most spans set); it grows past that.
const PAIRS_AT_FIRST = 5;
let slab = new Float64Array(0);
let slot = SLAB_SIZE;

/**
 * What most spans never have, kept off the span until the first event, link, status message or
 * dropped attribute, a span type outside SpanType, or global attributes other than its trace's.
 */
interface SpanExtras {
  events: SpanEvent[];
  links: SpanLink[];
  statusMessage: string | undefined;
  droppedEventsCount: number;
  droppedLinksCount: number;
  droppedAttributesCount: number;
  otherType: SpanType | undefined;
  /** Set when the span's global attributes differ from its trace's (`globals`). */
  ownGlobals: boolean;
  globals: Attributes | undefined;
}

/**
 * The span record. A plain class so V8 keeps one hidden class for every span. It holds only
 * what a span needs while it is open: ids are random words hexed when read, the trace's id,
 * flags, tracestate and global attributes sit on its TraceData, kind, status and type share one
 * number, the parent is a reference, and what most spans never have (events, links, a status
 * message, dropped attributes) lives in an object made on first use. Every field costs each
 * queued span 8 bytes that garbage collection copies. Nothing here encodes, hashes or allocates
 * beyond the record and its attribute list until flush.
 */
export class SpanRecord implements Span, ReadableSpan {
  name: string;
  readonly trace: TraceData;
  /** The parent: a local span record, a received context, or none. */
  readonly parent: SpanContext | undefined;
  readonly scope: Scope | undefined;
  readonly host: SpanHost;
  /**
   * The attributes: while only the span itself has written them, a list of key, value, key,
   * value... (each write one monomorphic array store, where an object costs a megamorphic keyed
   * store per key); from the first read of `attributes`, an object. Undefined while there are none.
   */
  private a: unknown[] | Attributes | undefined = undefined;
  /** Pairs in the list, or at least the number of keys of the object (exact once it reaches the limit); see putAttribute. */
  attributeCount = 0;
  /** Kind, status code, type and the recording flag. */
  private bits: number;
  private x: SpanExtras | undefined = undefined;
  /** The span id as two random 32-bit words. */
  readonly idHi: number;
  readonly idLo: number;
  /** Start and end times (epoch ms) at `ti` and `ti + 1` of a shared slab; 0 for "not ended". */
  private readonly tm: Float64Array;
  private readonly ti: number;
  declare readonly [BRAND]: true;

  constructor(
    host: SpanHost,
    name: string,
    type: SpanType,
    kind: SpanKind | undefined,
    parent: SpanContext | undefined,
    trace: TraceData,
    scope: Scope | undefined,
    recording: boolean,
    startTime: number,
  ) {
    this.name = name;
    this.trace = trace;
    this.parent = parent;
    this.scope = scope;
    this.host = host;
    const k = kind !== undefined && Object.hasOwn(KINDS, kind) ? (KINDS[kind] as number) : type === "llm" || type === "embedding" ? 2 : 0;
    let t = TYPE_NAMES.indexOf(type);
    if (t < 0) t = OTHER_TYPE;
    this.bits = k | (recording ? RECORDING : 0) | (t << TYPE_SHIFT);
    if (t === OTHER_TYPE) this.extras().otherType = type;
    // Global attributes change rarely: a span keeps its own only when they changed since its trace began.
    if (host.globals !== trace.globals) {
      const x = this.extras();
      x.ownGlobals = true;
      x.globals = host.globals;
    }
    let hi: number;
    let lo: number;
    // W3C Trace Context §3.2.2.4: an all-zero span id is invalid.
    do {
      hi = randomWord();
      lo = randomWord();
    } while ((hi | lo) === 0);
    this.idHi = hi;
    this.idLo = lo;
    if (slot === SLAB_SIZE) {
      slab = new Float64Array(SLAB_SIZE);
      slot = 0;
    }
    this.tm = slab;
    this.ti = slot;
    slot += 2;
    slab[this.ti] = startTime;
  }

  /** The attributes as an object, which processors may edit in place or replace; reading it turns the list into that object once. */
  get attributes(): Attributes {
    const a = this.a;
    if (a !== undefined && !Array.isArray(a)) return a;
    // attributeCount stays the number of pairs: at least the number of keys.
    const o: Attributes = {};
    const n = this.attributeCount * 2;
    if (a !== undefined) for (let i = 0; i < n; i += 2) o[a[i] as string] = a[i + 1] as AttributeValue;
    this.a = o;
    return o;
  }

  set attributes(attributes: Attributes) {
    this.a = attributes;
  }

  /**
   * For readers at flush (the pipeline, the encoders): the attributes as a list of distinct
   * keys and their values in the order an object would give them, to read and edit in place
   * (keeping `attributeCount` equal to its pairs); undefined when they are an object.
   */
  attributeList(): unknown[] | undefined {
    const a = this.a;
    if (a === undefined) return (this.a = []);
    if (!Array.isArray(a)) return undefined;
    if ((this.bits & SETTLED) !== 0) return a;
    const n = settleList(a, this.attributeCount);
    if (n >= 0) {
      this.attributeCount = n;
      this.bits |= SETTLED;
      return a;
    }
    void this.attributes;
    return undefined;
  }

  /** Whether the span has an attribute `key`, without turning its list into an object. */
  hasAttribute(key: string): boolean {
    const a = this.a;
    if (a === undefined) return false;
    if (!Array.isArray(a)) return Object.hasOwn(a, key);
    const n = this.attributeCount * 2;
    for (let i = 0; i < n; i += 2) if (a[i] === key) return true;
    return false;
  }

  get startTime(): number {
    return this.tm[this.ti] as number;
  }

  get endTime(): number {
    return this.tm[this.ti + 1] as number;
  }

  get traceId(): string {
    return this.trace.traceId;
  }

  get spanId(): string {
    return hexWord(this.idHi) + hexWord(this.idLo);
  }

  get parentSpanId(): string | undefined {
    return this.parent?.spanId;
  }

  get parentIsRemote(): boolean {
    const p = this.parent;
    return p !== undefined && p.isRemote === true;
  }

  get traceFlags(): number {
    return this.trace.traceFlags;
  }

  get traceState(): string | undefined {
    return this.trace.traceState;
  }

  /** What the span means. */
  get type(): SpanType {
    const t = (this.bits >> TYPE_SHIFT) & 7;
    return t === OTHER_TYPE ? (this.x?.otherType as SpanType) : (TYPE_NAMES[t] as SpanType);
  }

  /** The global attributes current when the span started, applied at flush below everything else. */
  get globals(): Attributes | undefined {
    const x = this.x;
    return x !== undefined && x.ownGlobals ? x.globals : this.trace.globals;
  }

  get droppedAttributesCount(): number {
    return this.x?.droppedAttributesCount ?? 0;
  }

  set droppedAttributesCount(count: number) {
    if (count !== 0 || this.x !== undefined) this.extras().droppedAttributesCount = count;
  }

  get kind(): SpanKind {
    return KIND_NAMES[this.bits & KIND_MASK] as SpanKind;
  }

  get statusCode(): StatusCode {
    return STATUS_NAMES[(this.bits & STATUS_MASK) >> STATUS_SHIFT] as StatusCode;
  }

  get recording(): boolean {
    return (this.bits & RECORDING) !== 0;
  }

  get statusMessage(): string | undefined {
    return this.x?.statusMessage;
  }

  set statusMessage(message: string | undefined) {
    if (message !== undefined || this.x !== undefined) this.extras().statusMessage = message;
  }

  get events(): SpanEvent[] {
    return this.x?.events ?? NO_EVENTS;
  }

  get links(): SpanLink[] {
    return this.x?.links ?? NO_LINKS;
  }

  get droppedEventsCount(): number {
    return this.x?.droppedEventsCount ?? 0;
  }

  get droppedLinksCount(): number {
    return this.x?.droppedLinksCount ?? 0;
  }

  /**
   * A plain copy of every ReadableSpan field. The fields above are accessors (ids, times, kind
   * and status are computed from compact storage), so `{ ...span }` and `Object.entries(span)`
   * do not see them; `span.toJSON()` does, and `JSON.stringify(span)` and console logging use it.
   *
   * @returns a plain object with the span's ids, times, kind, status, attributes, events and links
   * @example
   * const copy = { ...span.toJSON(), attributes: redacted };
   */
  toJSON(): ReadableSpan {
    return {
      traceId: this.traceId,
      spanId: this.spanId,
      parentSpanId: this.parentSpanId,
      parentIsRemote: this.parentIsRemote,
      name: this.name,
      type: this.type,
      kind: this.kind,
      startTime: this.startTime,
      endTime: this.endTime,
      attributes: { ...this.attributes },
      events: this.events.slice(),
      links: this.links.slice(),
      statusCode: this.statusCode,
      statusMessage: this.statusMessage,
      traceFlags: this.traceFlags,
      traceState: this.traceState,
      droppedAttributesCount: this.droppedAttributesCount,
      droppedEventsCount: this.droppedEventsCount,
      droppedLinksCount: this.droppedLinksCount,
    };
  }

  /** What console.log / util.inspect show on runtimes that honour this well-known symbol. */
  [Symbol.for("nodejs.util.inspect.custom")](): ReadableSpan {
    return this.toJSON();
  }

  private extras(): SpanExtras {
    let x = this.x;
    if (x === undefined) x = this.x = { events: NO_EVENTS, links: NO_LINKS, statusMessage: undefined, droppedEventsCount: 0, droppedLinksCount: 0, droppedAttributesCount: 0, otherType: undefined, ownGlobals: false, globals: undefined };
    return x;
  }

  /** True while the span records and has not ended: the guard of every mutator. */
  private open(): boolean {
    return (this.bits & RECORDING) !== 0 && this.endTime === 0;
  }

  setAttribute(key: string, value: unknown): this {
    if (!this.open()) return this.late("setAttribute");
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
    const limit = this.host.limits.attributes;
    const n = this.attributeCount;
    let a = this.a;
    if (a === undefined && n < limit) a = this.a = new Array(PAIRS_AT_FIRST * 2);
    // A repeated key is appended too: the later value wins when the list is read. "__proto__"
    // goes through the object, as it always has.
    // A long list becomes an object as it grows: finding repeats in it at flush would cost more.
    if (Array.isArray(a) && n < limit && n < MAX_LIST_PAIRS && key !== "__proto__") {
      a[n * 2] = key;
      a[n * 2 + 1] = value;
      this.attributeCount = n + 1;
      this.bits &= ~SETTLED;
      return;
    }
    const attrs = this.attributes;
    // Below the limit a key needs no lookup: `attributeCount` may run ahead of the number of keys
    // (a key set twice counts twice) and is made exact when it reaches the limit.
    if (this.attributeCount < limit) {
      attrs[key] = value;
      this.attributeCount++;
      return;
    }
    // hasOwn, not `in`: keys like "constructor" must count against the limit too.
    if (Object.hasOwn(attrs, key)) {
      attrs[key] = value;
      return;
    }
    let exact = 0;
    for (const k in attrs) if (Object.hasOwn(attrs, k)) exact++;
    this.attributeCount = exact;
    if (exact >= limit) {
      this.droppedAttributesCount++;
      return;
    }
    attrs[key] = value;
    this.attributeCount++;
  }

  setAttributes(attributes: AttributeInput): this {
    if (attributes === null || typeof attributes !== "object" || !this.open()) return this.late("setAttributes");
    try {
      for (const key in attributes) this.setAttribute(key, attributes[key]);
    } catch {
      // A throwing getter or a revoked proxy costs the remaining attributes, nothing more.
    }
    return this;
  }

  addEvent(name: string, attributes?: AttributeInput, time?: Date | number): this {
    if (!this.open()) return this.late("addEvent");
    const x = this.extras();
    if (x.events.length >= this.host.limits.events) {
      x.droppedEventsCount++;
      return this;
    }
    try {
      const [attrs, dropped] = limitAttributes(attributes, this.host.limits);
      if (x.events === NO_EVENTS) x.events = [];
      x.events.push({ name: typeof name === "string" ? name : safeStringify(name, 256) ?? "event", time: toMs(time), attributes: attrs, droppedAttributesCount: dropped });
    } catch {
      // Hostile input: the event is skipped.
    }
    return this;
  }

  addLink(link: SpanLinkInput): this {
    if (!this.open()) return this.late("addLink");
    try {
      const ctx = link?.context;
      if (!ctx || !isValidTraceId(ctx.traceId) || !isValidSpanId(ctx.spanId)) return this;
      const x = this.extras();
      if (x.links.length >= this.host.limits.links) {
        x.droppedLinksCount++;
        return this;
      }
      const [attrs, dropped] = limitAttributes(link.attributes, this.host.limits);
      if (x.links === NO_LINKS) x.links = [];
      x.links.push({ traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.traceFlags, traceState: typeof ctx.traceState === "string" ? ctx.traceState : undefined, isRemote: ctx.isRemote === true, attributes: attrs, droppedAttributesCount: dropped });
    } catch {
      // Hostile input: the link is skipped.
    }
    return this;
  }

  setStatus(code: StatusCode, message?: string): this {
    if (!this.open()) return this.late("setStatus");
    // OpenTelemetry: setting UNSET is ignored, OK is final, a description only accompanies ERROR.
    if ((this.bits & STATUS_MASK) === OK || (code !== "ok" && code !== "error")) return this;
    this.bits = (this.bits & ~STATUS_MASK) | (code === "ok" ? OK : ERROR);
    if (code === "error" && message !== undefined) {
      const m = typeof message === "string" ? message : (safeStringify(message, 1024) ?? "");
      const limit = this.host.limits.valueLength;
      // A cut message is copied (see cutString), so the span does not keep the whole one alive.
      this.statusMessage = m.length > limit ? cutString(m, limit) : m;
    } else this.statusMessage = undefined;
    return this;
  }

  recordException(error: unknown, attributes?: AttributeInput): this {
    if (!this.open()) return this.late("recordException");
    const { type, message, stack } = describeError(error);
    const limit = this.host.limits.stackLength;
    const event: AttributeInput = {
      "exception.type": type,
      "exception.message": message,
      "exception.stacktrace": stack && stack.length > limit ? `${cutString(stack, limit)}…` : stack,
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
    if ((this.bits & RECORDING) === 0) return this;
    if (this.endTime !== 0) return this.late("update");
    if (fields && typeof fields === "object") this.host.onUpdate(this, fields);
    return this;
  }

  updateName(name: string): this {
    if (!this.open()) return this.late("updateName");
    if (typeof name === "string" && name !== "") this.name = name;
    return this;
  }

  end(endTime?: Date | number): void {
    if (this.endTime !== 0) {
      this.late("end");
      return;
    }
    const t = endTime === undefined ? now() : toMs(endTime);
    const start = this.tm[this.ti] as number;
    this.tm[this.ti + 1] = t < start ? start : t;
    this.trace.open?.delete(this);
    this.host.onEnd(this);
  }

  isRecording(): boolean {
    return this.open();
  }

  spanContext(): SpanContext {
    return { traceId: this.trace.traceId, spanId: this.spanId, traceFlags: this.trace.traceFlags, traceState: this.trace.traceState, isRemote: false };
  }

  private late(what: string): this {
    if ((this.bits & RECORDING) !== 0 && this.endTime !== 0) this.host.onLateCall(this, what);
    return this;
  }
}

Object.defineProperty(SpanRecord.prototype, BRAND, { value: true });
