import type { Context } from "../context.js";
import { G } from "../global.js";
import type { SpanRecord } from "../span.js";

/**
 * LLM spans opened by a framework integration (the AI SDK's) that record the provider call
 * themselves. Kept in the global slot so two copies of this module (ESM and CJS) share them.
 */
export interface LLMClaims {
  /** Spans under which a provider request is the same call, seen one layer lower. */
  readonly spans: WeakSet<SpanRecord>;
  /** Claims on the next request for a model made in a context, for calls a framework makes outside any hook. */
  readonly pending: Map<Context | typeof NO_CONTEXT, { model: string | undefined; span: SpanRecord }[]>;
}

const NO_CONTEXT: unique symbol = Symbol("no context");

function claims(): LLMClaims {
  return (G.llmClaims ??= { spans: new WeakSet(), pending: new Map() });
}

/**
 * Marks an LLM span as the record of the provider call made beneath it, so fetch-level tracing
 * (`init({ instrument })`, `wrapOpenAI`) does not record that call a second time.
 *
 * @param span - the framework's LLM span
 * @example
 * claimLLMCall(startLLMSpan(t, ctx, request));
 */
export function claimLLMCall(span: SpanRecord): void {
  claims().spans.add(span);
}

/**
 * True when `span` already records the provider call about to be made under it.
 *
 * @param span - the current span, if any
 * @returns whether a fetch-level LLM span would duplicate it
 * @example
 * if (isLLMCallClaimed(ctx?.span)) return original(input, init);
 */
export function isLLMCallClaimed(span: SpanRecord | undefined): boolean {
  return span !== undefined && G.llmClaims?.spans.has(span) === true;
}

/**
 * Claims the next provider request for `model` made in the context `ctx`, for framework calls
 * that run outside any hook that could make their span current (the AI SDK's generateObject,
 * embed). The claim lasts until a request takes it or `releaseLLMClaim(span)`.
 *
 * @param ctx - the context the request will be made in (the current one)
 * @param model - the model the request will name
 * @param span - the framework's LLM span that records the call
 * @example
 * claimNextLLMCall(t.storage.get(), "text-embedding-3-small", embedSpan);
 */
export function claimNextLLMCall(ctx: Context | undefined, model: string | undefined, span: SpanRecord): void {
  const pending = claims().pending;
  const key = ctx ?? NO_CONTEXT;
  const list = pending.get(key);
  if (list === undefined) pending.set(key, [{ model, span }]);
  else list.push({ model, span });
}

/**
 * Takes the pending claim on a request for `model` made in `ctx`, if there is one.
 *
 * @param ctx - the request's context
 * @param model - the model the request names
 * @returns true when a framework span already records this request
 * @example
 * if (takeLLMClaim(ctx, request.model)) return original(input, init);
 */
export function takeLLMClaim(ctx: Context | undefined, model: string | undefined): boolean {
  const pending = G.llmClaims?.pending;
  const key = ctx ?? NO_CONTEXT;
  const list = pending?.get(key);
  if (pending === undefined || list === undefined) return false;
  const i = list.findIndex((c) => c.span.endTime === 0 && (c.model === undefined || c.model === model));
  if (i < 0) return false;
  list.splice(i, 1);
  if (list.length === 0) pending.delete(key);
  return true;
}

/**
 * Drops the pending claims of a span that ended before its request was made.
 *
 * @param span - the framework's LLM span
 * @example
 * releaseLLMClaim(embedSpan);
 */
export function releaseLLMClaim(span: SpanRecord): void {
  const pending = G.llmClaims?.pending;
  if (pending === undefined || pending.size === 0) return;
  for (const [key, list] of pending) {
    const kept = list.filter((c) => c.span !== span && c.span.endTime === 0);
    if (kept.length === 0) pending.delete(key);
    else if (kept.length !== list.length) pending.set(key, kept);
  }
}
