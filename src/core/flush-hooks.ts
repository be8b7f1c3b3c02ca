import { G } from "./global.js";
import type { TraceData } from "./trace-data.js";

/**
 * Runs before a flush; `trace` is the trace of the invocation being flushed, if any, and `final`
 * is true at `shutdown()`, when nothing still open will be heard from by this tracer again.
 */
export type FlushHook = (trace: TraceData | undefined, final?: boolean) => void;

/**
 * Registers a hook that runs before every `flush()`, before a serverless invocation exports its
 * spans, at `shutdown()` (with `final`) and, at most once a second, when an integration starts
 * new work (`runFlushHooksIfDue`), so an integration can end the spans of work that will never
 * report its end.
 *
 * @param hook - called with the flushing invocation's trace (undefined otherwise) and `final`
 * @returns a function that removes the hook
 * @example
 * const off = onFlush(() => endIdleCalls());
 */
export function onFlush(hook: FlushHook): () => void {
  const hooks = (G.flushHooks ??= new Set());
  hooks.add(hook);
  return () => void hooks.delete(hook);
}

/**
 * Runs every flush hook; a hook that throws is counted as an internal error and the rest run.
 *
 * @param trace - the trace of the invocation being flushed, or undefined
 * @example
 * runFlushHooks(inv.root.trace);
 */
export function runFlushHooks(trace?: TraceData, final?: boolean): void {
  const hooks = G.flushHooks;
  if (hooks === undefined || hooks.size === 0) return;
  for (const hook of [...hooks]) {
    try {
      hook(trace, final);
    } catch (err) {
      G.tracer?.internalError("flush hook", err);
    }
  }
}

/**
 * Runs the flush hooks at most once a second, for an integration to call when new work starts:
 * in a long-lived server nothing may ever flush, and the hooks are what ends work that will never
 * report its end (a stream its consumer left), whichever integration instance opened it.
 *
 * @example
 * runFlushHooksIfDue(); // in a new LangChain run's or AI SDK call's start
 */
export function runFlushHooksIfDue(): void {
  const now = Date.now();
  if (G.flushHooks === undefined || G.flushHooks.size === 0 || now - (G.lastSweep ?? 0) < 1000) return;
  G.lastSweep = now;
  runFlushHooks();
}
