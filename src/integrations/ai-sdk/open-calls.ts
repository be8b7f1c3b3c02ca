import { onFlush } from "../../core/flush-hooks.js";
import type { TraceData } from "../../core/trace-data.js";
import type { Call } from "./call.js";
import { closeCall } from "./finish-all.js";

/** The calls of one integration instance that have not reported their end yet. */
export interface OpenCalls {
  readonly size: number;
  get(id: string): Call | undefined;
  add(id: string, call: Call): void;
  /** Removes the call and returns it, or undefined if it was not open. */
  take(id: string): Call | undefined;
  /** Ends the calls no one will hear from again (see `createOpenCalls`); all of them when `final`. */
  sweep(trace?: TraceData, final?: boolean): void;
  /** `sweep()`, at most once per `min(idleTimeoutMs, 1 s)`: what a new call runs. */
  sweepIfDue(): void;
}

/**
 * Keeps the open AI SDK calls. The AI SDK reports nothing when a consumer stops reading a
 * stream without an abort signal, so a call idle longer than `idleTimeoutMs` (not waiting on a
 * model or tool) is ended as cancelled and `spanwise.abandoned`, as are the calls of a serverless
 * invocation that is flushing and calls whose root something else already ended. Sweeps run
 * before every flush, and on a new call at most once per `min(idleTimeoutMs, 1 s)`, so a burst
 * of concurrent calls does not rescan every open call each time.
 *
 * @param idleTimeoutMs - how long a call may go without an event
 * @returns the open calls
 * @example
 * const calls = createOpenCalls(300_000);
 */
export function createOpenCalls(idleTimeoutMs: number): OpenCalls {
  const calls = new Map<string, Call>();
  let off: (() => void) | undefined;
  const every = Math.min(idleTimeoutMs, 1000);
  let lastSweep = 0;

  const take = (id: string): Call | undefined => {
    const call = calls.get(id);
    if (call === undefined) return undefined;
    calls.delete(id);
    if (calls.size === 0 && off !== undefined) {
      off();
      off = undefined;
    }
    return call;
  };

  const sweep = (trace?: TraceData, final?: boolean): void => {
    const now = Date.now();
    lastSweep = now;
    const oldest = now - idleTimeoutMs;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [id, call] of calls) {
      const idle = call.busy === 0 && call.lastEventAt <= oldest;
      // At shutdown every call ends: its own end would reach no tracer.
      if (!final && !idle && call.root.endTime === 0 && (trace === undefined || call.root.trace !== trace)) continue;
      take(id);
      for (const s of [call.root, call.step, call.chat, ...call.tools.values(), ...call.embeds.values()]) if (s !== undefined && s.endTime === 0) s.setAttribute("spanwise.abandoned", true);
      closeCall(call, { cancelled: true });
    }
  };

  return {
    get size() {
      return calls.size;
    },
    get: (id) => calls.get(id),
    add(id, call) {
      calls.set(id, call);
      off ??= onFlush(sweep);
    },
    take,
    sweep,
    sweepIfDue() {
      if (calls.size > 0 && Date.now() - lastSweep >= every) sweep();
    },
  };
}
