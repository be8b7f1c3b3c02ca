import type { DenoApi, DenoSignal } from "./deno-api.js";

/** Which SIGTERM / SIGINT listeners the program itself has added. */
export interface SignalListeners {
  has(signal: DenoSignal): boolean;
  /** The untracked `addSignalListener`, for spanwise's own listeners. */
  readonly add: DenoApi["addSignalListener"];
  /** The untracked `removeSignalListener`. */
  readonly remove: DenoApi["removeSignalListener"];
}

const KEY = Symbol.for("spanwise.deno.signal-listeners");

/**
 * Starts counting the listeners added through `Deno.addSignalListener`, once per isolate. Deno
 * cannot list signal listeners, and any listener stops a signal from killing the process, so
 * exit flushing must know whether the program handles the signal itself. Installed when
 * `spanwise/deno` is imported (not at init), so listeners added between import and init count.
 *
 * @param deno - the Deno namespace
 * @returns the tracker, shared by every copy of spanwise in the isolate
 * @example
 * const listeners = trackSignalListeners(Deno);
 * listeners.has("SIGTERM") // true once the program adds its own SIGTERM listener
 */
export function trackSignalListeners(deno: DenoApi): SignalListeners {
  const slot = globalThis as unknown as Record<symbol, SignalListeners | undefined>;
  const existing = slot[KEY];
  if (existing) return existing;
  const added = new Map<string, Set<() => void>>();
  const add = deno.addSignalListener;
  const remove = deno.removeSignalListener;
  try {
    (deno as { addSignalListener: DenoApi["addSignalListener"] }).addSignalListener = (signal, handler) => {
      add.call(deno, signal, handler);
      let set = added.get(signal);
      if (!set) added.set(signal, (set = new Set()));
      set.add(handler);
    };
    (deno as { removeSignalListener: DenoApi["removeSignalListener"] }).removeSignalListener = (signal, handler) => {
      remove.call(deno, signal, handler);
      added.get(signal)?.delete(handler);
    };
  } catch {
    // A frozen Deno namespace: listeners go unseen, and are treated as absent.
  }
  const tracker: SignalListeners = {
    add,
    remove,
    has(signal) {
      const nodeListeners = (globalThis as { process?: { listenerCount?(event: string): number } }).process?.listenerCount?.(signal) ?? 0;
      return (added.get(signal)?.size ?? 0) > 0 || nodeListeners > 0;
    },
  };
  slot[KEY] = tracker;
  return tracker;
}

/** The Deno namespace's own `addSignalListener`, which spanwise's listeners use so they are never counted. */
export function originalAdd(deno: DenoApi): DenoApi["addSignalListener"] {
  return trackSignalListeners(deno).add;
}

/** The Deno namespace's own `removeSignalListener`. */
export function originalRemove(deno: DenoApi): DenoApi["removeSignalListener"] {
  return trackSignalListeners(deno).remove;
}
