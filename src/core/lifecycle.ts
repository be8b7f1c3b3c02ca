import { EXPORTING } from "./context.js";
import { runFlushHooks } from "./flush-hooks.js";
import { G } from "./global.js";
import { type Counters, EMPTY_DROPS, type Stats } from "./counters.js";
import type { Tracer } from "./tracer.js";

/**
 * Resolves once every span ended so far has been exported or given up on.
 *
 * @example
 * await flush();
 */
export async function flush(): Promise<void> {
  const t = G.tracer;
  if (t === undefined) return;
  await waitFor(t, "flush", () => {
    runFlushHooks();
    return t.buffer.flush();
  });
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
  await waitFor(t, "shutdown", () => {
    // As flush() does, and finally: what integrations still hold open ends and is exported.
    runFlushHooks(undefined, true);
    t.dispose?.();
    return t.shutdown();
  });
}

/**
 * Starts the SDK's own work and waits for it, never rejecting. Called from inside an export,
 * it only hands the work over: waiting would wait on that export, which waits on the caller.
 */
async function waitFor(t: Tracer, where: string, start: () => Promise<void>): Promise<void> {
  let inExport = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  try {
    inExport = t.storage.get() === EXPORTING;
    const done = start();
    if (inExport) {
      done.catch((err: unknown) => t.internalError(where, err));
      return;
    }
    // Export and processor timeouts are unref'd, so an idle tracer never holds a process open;
    // while someone awaits this, a ref'd timer lets them fire rather than Node exiting mid-await.
    keepAlive = setInterval(() => {}, 1 << 30);
    await done;
  } catch (err) {
    t.internalError(where, err);
  } finally {
    clearInterval(keepAlive);
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
