import type { AttributeInput } from "./attributes.js";
import { toMs } from "./clock.js";
import type { Context } from "./context.js";
import { describeError } from "./describe-error.js";
import { G } from "./global.js";
import { setIO, setUsage } from "./llm/attributes.js";
import { setCost, setProviderAndModel } from "./llm/llm-span.js";
import { isValidSpanId, isValidTraceId } from "./ids.js";
import { safeStringify } from "./serialize.js";
import { type ObserveOptions, mergeScope, prepare, toScopeAttributes, traced } from "./observe.js";
import { type HeaderCarrier, type RemoteSpanContext, extractFrom, injectInto } from "./propagation.js";
import { NOOP_SPAN, type Span, type SpanContext, type SpanKind, type SpanLinkInput, SpanRecord, type SpanType, type SpanUpdate, type Usage } from "./span.js";
import type { ParentInput } from "./tracer.js";

/**
 * Runs `fn` inside a new span that is current for everything `fn` calls, and ends it when the
 * result is done. `fn` receives the span.
 *
 * @param name - the span name
 * @param options - as for `observe` (optional)
 * @param fn - receives the span; its result (or error) is returned (or thrown) unchanged
 * @example
 * await span("plan", { kind: "workflow", attributes: { step: 1 } }, async (s) => { s.setAttribute("k", "v") });
 */
export function span<T>(name: string, fn: (span: Span) => T): T;
export function span<T>(name: string, options: ObserveOptions, fn: (span: Span) => T): T;
export function span<T>(name: string, a: ObserveOptions | ((span: Span) => T), b?: (span: Span) => T): T {
  const fn = (typeof a === "function" ? a : b) as (span: Span) => T;
  const options = typeof a === "function" ? undefined : a;
  const t = G.tracer;
  if (t === undefined) return fn(NOOP_SPAN);
  let p = NO_OPTIONS;
  try {
    if (options !== undefined) p = prepare(options);
  } catch {
    // Hostile options: the span is still made, with defaults.
  }
  return traced(t, typeof name === "string" && name !== "" ? name : "span", p, undefined, fn);
}

const NO_OPTIONS = /* @__PURE__ */ prepare(undefined);

/** Options of `startSpan`. */
export interface StartSpanOptions {
  kind?: SpanType;
  spanKind?: SpanKind;
  attributes?: AttributeInput;
  links?: readonly SpanLinkInput[];
  /** Start time (Date or epoch ms). Default: now. */
  startTime?: Date | number;
  /** Explicit parent: a span, a received context, a traceparent string, or null for a new trace. Default: the current span. */
  parent?: ParentInput;
}

/**
 * Starts a span that the caller ends with `span.end()`. It does not become current; use it for
 * work that crosses a queue, a callback or a service (pass `parent`).
 *
 * @param name - the span name
 * @param options - kind, spanKind, attributes, links, startTime, parent
 * @returns the span (a no-op span when tracing is off)
 * @example
 * const s = startSpan("consume", { parent: message.traceparent, spanKind: "consumer" });
 * try { await handle(message) } finally { s.end() }
 */
export function startSpan(name: string, options: StartSpanOptions = {}): Span {
  const t = G.tracer;
  if (t === undefined) return NOOP_SPAN;
  try {
    const ctx = t.storage.get();
    if (ctx?.suppressed) return NOOP_SPAN;
    const s = t.start(typeof name === "string" && name !== "" ? name : "span", options.kind ?? "span", options.spanKind, options.parent, ctx, ctx?.scope, options.startTime === undefined ? undefined : toMs(options.startTime));
    if (options.attributes) s.setAttributes(options.attributes);
    if (options.links) for (const link of options.links) s.addLink(link);
    return s;
  } catch (err) {
    t.internalError("startSpan", err);
    return NOOP_SPAN;
  }
}

/**
 * The span current in this context, if any.
 *
 * @returns the current span, or undefined outside any span or when tracing is off
 * @example
 * currentSpan()?.setAttribute("cache.hit", true);
 */
export function currentSpan(): Span | undefined {
  return G.tracer?.storage.get()?.span;
}

/** Attributes scoped by `withAttributes`. */
export interface ScopeAttributes {
  userId?: string;
  sessionId?: string;
  tags?: readonly string[];
  metadata?: Record<string, unknown>;
  /** Any other attributes for every span started inside. */
  attributes?: AttributeInput;
}

/**
 * Runs `fn` with attributes that every span started inside it carries (`user.id`, `session.id`,
 * `tag.tags`, `metadata`, and any others). Nested scopes merge.
 *
 * @param attributes - userId, sessionId, tags, metadata and any other attributes
 * @param fn - runs inside the scope; its result is returned unchanged
 * @example
 * await withAttributes({ userId: "u-1", sessionId: "s-9", tags: ["beta"], metadata: { plan: "pro" } }, run);
 */
export function withAttributes<T>(attributes: ScopeAttributes, fn: () => T): T {
  const t = G.tracer;
  if (t === undefined) return fn();
  let ctx: Context;
  try {
    const parent = t.storage.get();
    const a = attributes ?? {};
    const scope = mergeScope(parent?.scope, {
      userId: typeof a.userId === "string" ? a.userId : undefined,
      sessionId: typeof a.sessionId === "string" ? a.sessionId : undefined,
      tags: Array.isArray(a.tags) ? a.tags : undefined,
      metadata: a.metadata && typeof a.metadata === "object" ? a.metadata : undefined,
      attributes: toScopeAttributes(a.attributes, t.limits.valueLength),
    });
    ctx = { ...parent, scope };
  } catch (err) {
    t.internalError("withAttributes", err);
    return fn();
  }
  return t.storage.run(ctx, fn);
}

/**
 * Updates the current span: input, output, model, usage, cost, attributes, metadata, tags, status.
 *
 * @param fields - what to set on the current span (ignored outside any span)
 * @example
 * updateCurrentSpan({ model: "gpt-4o", usage: { inputTokens: 10, outputTokens: 3 }, output: text });
 */
export function updateCurrentSpan(fields: SpanUpdate): void {
  const s = G.tracer?.storage.get()?.span;
  if (s !== undefined) s.update(fields);
}

/** Fields of `updateCurrentTrace`. */
export interface TraceUpdate {
  name?: string;
  userId?: string;
  sessionId?: string;
  tags?: readonly string[];
  metadata?: Record<string, unknown>;
  input?: unknown;
  output?: unknown;
  attributes?: AttributeInput;
}

/**
 * Sets trace-wide fields: user, session, tags and metadata reach every span of the trace in this
 * isolate; name, input and output go on its local root span.
 *
 * @param fields - trace-wide user, session, tags, metadata, name, input, output, attributes
 * @example
 * updateCurrentTrace({ userId: "u-1", sessionId: "chat-42", tags: ["beta"] });
 */
export function updateCurrentTrace(fields: TraceUpdate): void {
  const t = G.tracer;
  const s = t?.storage.get()?.span;
  if (t === undefined || s === undefined || !fields || typeof fields !== "object") return;
  try {
    const prev = s.trace.update ?? {};
    const len = t.limits.captureLength;
    const scope = mergeScope(prev, {
      userId: fields.userId,
      sessionId: fields.sessionId,
      tags: fields.tags,
      metadata: fields.metadata,
      attributes: toScopeAttributes(fields.attributes, t.limits.valueLength),
    });
    s.trace.update = {
      ...scope,
      name: fields.name ?? prev.name,
      input: "input" in fields ? toText(fields.input, len) : prev.input,
      output: "output" in fields ? toText(fields.output, len) : prev.output,
    };
  } catch (err) {
    t.internalError("updateCurrentTrace", err);
  }
}

function toText(value: unknown, max: number): string | undefined {
  return safeStringify(value, max);
}

/**
 * An LLM call to record after the fact, for SDKs spanwise does not wrap. Its token counts are
 * given at the top level (`inputTokens`, `cacheReadTokens`…) or as `usage`, which wins.
 */
export interface LLMCallRecord extends Usage {
  provider: string;
  model: string;
  usage?: Usage;
  startedAt: Date | number;
  endedAt?: Date | number;
  /** `gen_ai.operation.name`: chat (default), text_completion, embeddings, generate_content. */
  operation?: string;
  name?: string;
  input?: unknown;
  output?: unknown;
  responseModel?: string;
  responseId?: string;
  finishReasons?: readonly string[];
  costUsd?: number;
  /** Time to first token, in ms after startedAt. */
  timeToFirstTokenMs?: number;
  error?: unknown;
  attributes?: AttributeInput;
  parent?: ParentInput;
}

/**
 * Records a finished LLM call as a span under the current span (or `parent`).
 * Returns the new span's context, or undefined when tracing is off.
 *
 * @param call - provider, model, tokens, times, input/output, finish reasons, cost, error
 * @returns the new span's context, or undefined when tracing is off
 * @example
 * recordLLM({ provider: "openai", model: "gpt-4o-mini", inputTokens: 120, outputTokens: 45, startedAt, endedAt: Date.now() });
 */
export function recordLLM(call: LLMCallRecord): SpanContext | undefined {
  const t = G.tracer;
  if (t === undefined || !call || typeof call !== "object") return undefined;
  try {
    const ctx = t.storage.get();
    if (ctx?.suppressed) return undefined;
    const operation = call.operation ?? "chat";
    const embedding = operation === "embeddings";
    const s = t.start(call.name ?? `${operation} ${call.model}`, embedding ? "embedding" : "llm", "client", call.parent, ctx, ctx?.scope, toMs(call.startedAt));
    s.setAttribute("gen_ai.operation.name", operation);
    setProviderAndModel(s, embedding ? "embedding" : "llm", call.provider, call.model);
    s.update({ costUsd: call.costUsd, attributes: call.attributes });
    const { inputTokens, outputTokens, totalTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens } = call;
    const usage: Usage = { inputTokens, outputTokens, totalTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, ...call.usage };
    setUsage(s, usage);
    // Priced from the table when no cost is given; a failed call is not (its count is partial).
    if (call.costUsd === undefined && call.error === undefined && (usage.inputTokens !== undefined || usage.outputTokens !== undefined)) setCost(t, s, call.model, usage);
    if (call.responseModel) s.setAttribute("gen_ai.response.model", call.responseModel);
    if (call.responseId) s.setAttribute("gen_ai.response.id", call.responseId);
    if (call.finishReasons) s.setAttribute("gen_ai.response.finish_reasons", [...call.finishReasons]);
    if (typeof call.timeToFirstTokenMs === "number") s.setAttribute("gen_ai.response.time_to_first_chunk", call.timeToFirstTokenMs / 1000);
    if (call.input !== undefined && t.config.captureContent) setIO(s, "input", call.input, t.limits.captureLength);
    if (call.output !== undefined && t.config.captureContent) setIO(s, "output", call.output, t.limits.captureLength);
    if (call.error !== undefined) {
      s.recordException(call.error);
      s.setAttribute("error.type", describeError(call.error).type);
    }
    s.end(call.endedAt);
    return s.spanContext();
  } catch (err) {
    t.internalError("recordLLM", err);
    return undefined;
  }
}

/**
 * Writes `traceparent`, `tracestate` and `baggage` for the current span (or `from`) into a
 * `Headers` object or a plain record, and returns it.
 *
 * @param carrier - a `Headers` object or a plain record, written in place
 * @param from - the span or context to propagate (default: the current span)
 * @returns the same carrier
 * @example
 * await fetch(url, { headers: inject({ "content-type": "application/json" }) });
 */
export function inject<C extends object>(carrier: C, from?: Span | SpanContext): C {
  try {
    const ctx = G.tracer?.storage.get();
    const source: SpanContext | undefined = from
      ? from instanceof SpanRecord
        ? from.spanContext()
        : typeof (from as Span).spanContext === "function"
          ? (from as Span).spanContext()
          : (from as SpanContext)
      : (ctx?.span?.spanContext() ?? ctx?.remote);
    // Never emit an invalid header, whatever `from` was.
    if (!source || typeof source !== "object" || !isValidTraceId(source.traceId) || !isValidSpanId(source.spanId)) return carrier;
    // An extracted context carries its baggage: forwarding it (a proxy) forwards that too.
    const fromBaggage = from && !(from instanceof SpanRecord) ? (from as RemoteSpanContext).baggage : undefined;
    return injectInto(carrier, source, fromBaggage ?? ctx?.baggage ?? (ctx?.remote as RemoteSpanContext | undefined)?.baggage);
  } catch {
    return carrier;
  }
}

/**
 * Reads W3C trace context and baggage from incoming headers; pass the result as `parent`.
 * Invalid headers give undefined; never throws.
 *
 * @param carrier - incoming `Headers`, a Map-like or a plain record (case-insensitive)
 * @returns the caller's span context with its baggage, or undefined
 * @example
 * const parent = extract(request.headers);
 * await span("handle", { parent, spanKind: "server" }, () => handle(request));
 */
export function extract(carrier: HeaderCarrier): RemoteSpanContext | undefined {
  return extractFrom(carrier);
}
