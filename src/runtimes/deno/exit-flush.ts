import type { Tracer } from "../../core/tracer.js";
import type { DenoApi, DenoSignal } from "./deno-api.js";
import { originalAdd, originalRemove, trackSignalListeners } from "./signal-listeners.js";

const SIGNALS: readonly DenoSignal[] = ["SIGTERM", "SIGINT"];
/** How long a signal waits for the flush before the process goes on with its own exit. */
const SIGNAL_FLUSH_MS = 5000;

/**
 * Flushes when the event loop runs dry (`beforeunload`) and on SIGTERM and SIGINT, without
 * changing how the process exits. Returns a function that removes everything it installed.
 *
 * Deno has no way to list signal listeners, and any listener stops the signal from killing the
 * process. So spanwise counts the listeners added through `Deno.addSignalListener` (and Node's
 * `process.on`) once `spanwise/deno` is imported: when nobody else listens, it flushes and then re-raises the signal so
 * the process dies by it exactly as it would have; when someone does, their handler stays in charge.
 */
export function installDenoExitFlush(deno: DenoApi, tracer: Tracer): () => void {
  // `beforeunload` fires each time the loop runs dry. preventDefault() keeps the program alive
  // for the export's fetch; when that is done the loop runs dry again and we are called again
  // with nothing left to do, so the program ends as it would have.
  const onBeforeUnload = (event: Event): void => {
    if (tracer.buffer.size === 0) return;
    event.preventDefault();
    void tracer.buffer.flush();
  };
  globalThis.addEventListener("beforeunload", onBeforeUnload);

  // Our own listeners are added with the original function, so they are never counted.
  const listeners = trackSignalListeners(deno);
  const add = originalAdd(deno);
  const remove = originalRemove(deno);
  const othersListen = (signal: DenoSignal): boolean => listeners.has(signal);

  const handlers = new Map<DenoSignal, () => void>();
  for (const signal of SIGNALS) {
    let flushing = false;
    const handler = (): void => {
      if (flushing) {
        // A second signal while flushing: stop waiting.
        reraise(deno, remove, signal, handler, othersListen(signal));
        return;
      }
      flushing = true;
      void flushBounded(tracer).then(() => reraise(deno, remove, signal, handler, othersListen(signal)));
    };
    try {
      add.call(deno, signal, handler);
      handlers.set(signal, handler);
    } catch {
      // Windows has no SIGTERM listener in Deno; the other signal still works.
    }
  }

  return () => {
    globalThis.removeEventListener("beforeunload", onBeforeUnload);
    for (const [signal, handler] of handlers) {
      try {
        remove.call(deno, signal, handler);
      } catch {
        // Already removed by a re-raise.
      }
    }
  };
}

function flushBounded(tracer: Tracer): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, SIGNAL_FLUSH_MS);
    tracer.buffer.flush().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

function reraise(deno: DenoApi, remove: DenoApi["removeSignalListener"], signal: DenoSignal, handler: () => void, othersListen: boolean): void {
  try {
    remove.call(deno, signal, handler);
  } catch {
    // Already removed.
  }
  // Someone else handles this signal: their handler decides what happens, as before.
  if (othersListen) return;
  deno.kill(deno.pid, signal);
}
