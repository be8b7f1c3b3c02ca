import { runFlushHooks } from "../../core/flush-hooks.js";
import type { Tracer } from "../../core/tracer.js";

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
/** How long a signal waits for the flush before the process goes on with its own exit. */
const SIGNAL_FLUSH_MS = 5000;

/**
 * Flushes on `beforeExit`, SIGTERM and SIGINT without changing how the process exits.
 *
 * On a signal, spanwise's listener runs first and looks at the others before any of them runs:
 * - someone else handles the signal (a listener added with `on` or `once`): spanwise steps
 *   aside at once, so they stay in charge and signal-exit counts the listeners it would count
 *   without spanwise, and flushes while they work;
 * - nobody does, or only signal-exit (which re-raises the signal itself when its listeners are
 *   the only ones): spanwise flushes, removes its listener and re-raises the signal, so
 *   signal-exit's cleanup runs and the process dies by the signal, as without spanwise.
 *
 * @param tracer - the running tracer
 * @returns a function that removes the handlers
 * @example
 * const uninstall = installExitFlush(tracer);
 */
export function installExitFlush(tracer: Tracer): () => void {
  const flushBounded = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SIGNAL_FLUSH_MS);
      timer.unref();
      // As flush() does: integrations end the spans of work that will never report its end.
      runFlushHooks();
      tracer.buffer.flush().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => resolve(),
      );
    });

  // beforeExit fires each time the loop empties; a flush that exported something schedules
  // work, the loop empties again and we get called again, with nothing left to do (the hooks
  // end nothing twice).
  const onBeforeExit = (): void => {
    runFlushHooks();
    if (tracer.buffer.size > 0) void tracer.buffer.flush();
  };

  let installed = true;
  // First in line: `emit` drops a once-listener before calling it, so a listener that ran
  // before ours would look absent.
  const listen = (signal: NodeJS.Signals, handler: () => void): void => {
    if (typeof process.prependListener === "function") process.prependListener(signal, handler);
    else process.on(signal, handler);
  };
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of SIGNALS) {
    let flushing = false;
    const handler = (): void => {
      if (othersInCharge(signal, handler)) {
        // Synchronously, so the listeners that run after ours in this emit see the true count.
        process.off(signal, handler);
        if (flushing) return;
        flushing = true;
        // Listen again once done, for the next signal, if the process is still alive.
        void flushBounded().then(() => {
          flushing = false;
          if (installed && !process.listeners(signal).includes(handler)) listen(signal, handler);
        });
        return;
      }
      // A second signal while flushing: stop waiting.
      if (flushing) {
        reraise(signal, handler);
        return;
      }
      flushing = true;
      void flushBounded().then(() => reraise(signal, handler));
    };
    handlers.set(signal, handler);
    listen(signal, handler);
  }
  process.on("beforeExit", onBeforeExit);

  return () => {
    installed = false;
    process.off("beforeExit", onBeforeExit);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/** True when a listener other than spanwise's and signal-exit's decides what the signal does. */
function othersInCharge(signal: NodeJS.Signals, own: () => void): boolean {
  const others = process.listeners(signal).filter((l) => l !== own).length;
  return others > signalExitListeners();
}

/**
 * How many listeners signal-exit (v3 and v4, a dependency of execa, ora, write-file-atomic, ...)
 * has on each signal: one per loaded copy, counted in its global emitters. Its listener does
 * nothing while any other listener is registered and otherwise runs its cleanup and re-raises
 * the signal, so spanwise must count it as absent, and be absent when it runs.
 */
function signalExitListeners(): number {
  const v3 = (process as { __signal_exit_emitter__?: { count?: unknown } }).__signal_exit_emitter__?.count;
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[Symbol.for("signal-exit emitter")]?.count;
  return (typeof v3 === "number" ? v3 : 0) + (typeof v4 === "number" ? v4 : 0);
}

function reraise(signal: NodeJS.Signals, handler: () => void): void {
  process.off(signal, handler);
  // Decided again now: a listener added while flushing takes charge (signal-exit re-raises by itself).
  if (process.listeners(signal).length > signalExitListeners()) return;
  process.kill(process.pid, signal);
}
