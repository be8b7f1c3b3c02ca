import type { Tracer } from "../../core/tracer.js";

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
/** How long a signal waits for the flush before the process goes on with its own exit. */
const SIGNAL_FLUSH_MS = 5000;

/**
 * Flushes on `beforeExit`, SIGTERM and SIGINT without changing how the process exits:
 * when nobody else listens for the signal, spanwise flushes and then re-raises it, so the exit
 * code and the "killed by signal" status are what they would have been without spanwise.
 * Returns a function that removes the handlers.
 */
export function installExitFlush(tracer: Tracer): () => void {
  const flushBounded = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SIGNAL_FLUSH_MS);
      timer.unref();
      tracer.buffer.flush().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => resolve(),
      );
    });

  // beforeExit fires each time the loop empties; a flush that exported something schedules
  // work, the loop empties again and we get called again, with nothing left to do.
  const onBeforeExit = (): void => {
    if (tracer.buffer.size > 0) void tracer.buffer.flush();
  };

  const handlers = new Map<string, () => void>();
  for (const signal of SIGNALS) {
    let flushing = false;
    const handler = (): void => {
      const othersListen = process.listeners(signal).some((l) => l !== handler);
      if (flushing) {
        // A second signal while flushing: stop waiting.
        reraise(signal, handler, othersListen);
        return;
      }
      flushing = true;
      void flushBounded().then(() => reraise(signal, handler, othersListen));
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  process.on("beforeExit", onBeforeExit);

  return () => {
    process.off("beforeExit", onBeforeExit);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

function reraise(signal: string, handler: () => void, othersListen: boolean): void {
  process.off(signal, handler);
  // Someone else handles this signal: their handler decides what happens, as before.
  if (othersListen) return;
  process.kill(process.pid, signal);
}
