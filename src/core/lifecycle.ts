import { runFlushHooks } from "./flush-hooks.js";
import { G } from "./global.js";
import { type Counters, EMPTY_DROPS, type Stats } from "./counters.js";

/**
 * Resolves once every span ended so far has been exported or given up on.
 *
 * @example
 * await flush();
 */
export async function flush(): Promise<void> {
  const t = G.tracer;
  if (t === undefined) return;
  try {
    runFlushHooks();
    await t.buffer.flush();
  } catch (err) {
    t.internalError("flush", err);
  }
}

/**
 * Flushes, stops the exporters and turns spanwise off; `init()` may be called again afterwards.
 *
 * @example
 * addEventListener("beforeunload", () => void shutdown());
 */
export async function shutdown(): Promise<void> {
  const t = G.tracer;
  if (t === undefined) return;
  G.tracer = undefined;
  try {
    t.dispose?.();
    await t.shutdown();
  } catch (err) {
    t.internalError("shutdown", err);
  }
}

/**
 * The SDK's counters: spans started, ended, exported, dropped by reason, export errors.
 * After shutdown, the last tracer's final counters.
 *
 * @example
 * const { exported, dropped } = stats();
 */
export function stats(): Stats {
  const t = G.tracer;
  const c: Counters = t?.counters ?? G.lastCounters ?? { started: 0, ended: 0, exported: 0, dropped: { ...EMPTY_DROPS }, exportErrors: 0, processorErrors: 0, internalErrors: 0, lastError: undefined };
  return {
    enabled: t !== undefined,
    started: c.started,
    ended: c.ended,
    exported: c.exported,
    dropped: { ...c.dropped },
    exportErrors: c.exportErrors,
    processorErrors: c.processorErrors,
    internalErrors: c.internalErrors,
    queued: t?.buffer.size ?? 0,
    lastError: c.lastError,
  };
}
