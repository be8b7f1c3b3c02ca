import type { AttributeInput } from "./attributes.js";
import { type InvocationBuffer, createInvocationBuffer } from "./buffer.js";
import { runFlushHooks } from "./flush-hooks.js";
import type { Context } from "./context.js";
import type { RemoteSpanContext } from "./propagation.js";
import type { SpanKind, SpanRecord, SpanType } from "./span.js";
import type { ParentInput, Tracer } from "./tracer.js";

/** One serverless invocation: its root span, the context to run the handler in, its buffer. */
export interface Invocation {
  readonly root: SpanRecord;
  readonly context: Context;
  readonly buffer: InvocationBuffer;
}

/** Options of `startInvocation`. */
export interface InvocationOptions {
  kind?: SpanType;
  spanKind?: SpanKind;
  parent?: ParentInput;
  attributes?: AttributeInput;
}

/**
 * Starts the root span of a serverless invocation. Every span of its trace in this isolate goes
 * to the invocation's own buffer instead of the shared batch queue, so the runtime can export
 * exactly those spans when the invocation ends (Workers: in ctx.waitUntil; Lambda: before the
 * handler returns).
 *
 * @example
 * const inv = startInvocation(tracer, "GET /chat", { spanKind: "server", parent: extract(request.headers) });
 * const response = await tracer.storage.run(inv.context, () => handler(request));
 * ctx.waitUntil(finishInvocation(tracer, inv, { timeoutMs: 5000 }));
 */
export function startInvocation(t: Tracer, name: string, options: InvocationOptions = {}): Invocation {
  const buffer = createInvocationBuffer();
  const outer = t.storage.get();
  const root = t.start(name, options.kind ?? "span", options.spanKind, options.parent ?? null, outer, outer?.scope);
  root.trace.collector = buffer;
  root.trace.open = new Set([root]);
  if (options.attributes) root.setAttributes(options.attributes);
  // A caller's baggage (extracted with its traceparent) travels on to this invocation's outgoing calls.
  const parent = options.parent;
  const baggage = parent !== null && typeof parent === "object" ? (parent as RemoteSpanContext).baggage : undefined;
  return { root, buffer, context: { span: root, scope: outer?.scope, baggage: baggage ?? outer?.baggage } };
}

/** Options of `finishInvocation`. */
export interface FinishOptions {
  /** Upper bound on the export; the invocation never waits longer. */
  timeoutMs: number;
}

/**
 * Ends the spans a handler forgot (marked `spanwise.unfinished`), then exports the invocation's
 * spans within `timeoutMs`. When the budget runs out the export is abandoned and its spans are
 * counted in `stats().dropped.exportFailed` right away, so the count is true even if the runtime
 * is frozen afterwards. Resolves true when the export finished in time; never rejects.
 */
export async function finishInvocation(t: Tracer, inv: Invocation, options: FinishOptions): Promise<boolean> {
  try {
    runFlushHooks(inv.root.trace);
    const open = inv.root.trace.open;
    if (open) {
      for (const s of [...open]) {
        if (s === inv.root) continue;
        s.setAttribute("spanwise.unfinished", true);
        s.end();
      }
    }
    // endTime, not isRecording(): an unsampled root must end too, to be counted as notSampled.
    if (inv.root.endTime === 0) inv.root.end();
    const spans = inv.buffer.take();
    // Spans that end after this point (late background work) go to the shared queue, not lost.
    inv.root.trace.collector = undefined;
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new Error(`the invocation's flush budget of ${options.timeoutMs} ms ran out`)), options.timeoutMs);
    await t.exportSpans(spans, budget.signal);
    clearTimeout(timer);
    // The abandoned export has already warned and counted its spans.
    return !budget.signal.aborted;
  } catch (err) {
    t.internalError("finishInvocation", err);
    return false;
  }
}
