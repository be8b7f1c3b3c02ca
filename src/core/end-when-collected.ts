import { G } from "./global.js";
import type { SpanRecord } from "./span.js";

/** A span still following a stream or iterator, and how to end it when that is gone. */
interface Follower {
  readonly span: SpanRecord;
  readonly end: (() => void) | undefined;
}

// null once the runtime is known to have no FinalizationRegistry.
let registry: FinalizationRegistry<Follower> | null | undefined;

function collected(f: Follower): void {
  // A finalizer runs outside any caller, so an error here would surface as an uncaught one.
  try {
    if (f.span.endTime !== 0) return;
    f.span.setAttribute("spanwise.abandoned", true);
    // The follower's own ending decides whether it was a cancel (an LLM stream whose generation
    // had all arrived was not); a span it leaves open was.
    if (f.end !== undefined) f.end();
    if (f.span.endTime === 0) {
      f.span.setAttribute("spanwise.cancelled", true);
      f.span.end();
    }
  } catch (err) {
    G.tracer?.internalError("collected stream", err);
  }
}

/**
 * Ends `span` with `spanwise.abandoned` (and `spanwise.cancelled`, unless `end` found the work
 * whole) once `target` (the stream or iterator whose end would have ended it) has been
 * garbage-collected with the span still open: nothing can read it any more, so the span, its
 * trace and what the stream holds would otherwise stay until shutdown. `end` finishes the span
 * the follower's own way (its partial output, its source cancelled) and must not refer to
 * `target`, or `target` is never collected. Call `forgetCollected(span)` when the span ends
 * otherwise. Where the runtime has no FinalizationRegistry (a Worker without `enable_weak_ref`),
 * nothing happens.
 *
 * @param target - the object handed to the caller
 * @param span - the span that target's end ends
 * @param end - how to end it when target is collected first; the span is ended after it if still open
 * @example
 * const body = new ReadableStream(source);
 * endWhenCollected(body, span, () => void reader.cancel().catch(() => {}));
 */
export function endWhenCollected(target: object, span: SpanRecord, end?: () => void): void {
  if (registry === undefined) registry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry(collected) : null;
  registry?.register(target, { span, end }, span);
}

/**
 * Stops watching for the collection of what `span` follows, once the span has ended as it should:
 * the runtime then has no finalizer to run for it.
 *
 * @example
 * forgetCollected(span); span.end();
 */
export function forgetCollected(span: SpanRecord): void {
  registry?.unregister(span);
}
