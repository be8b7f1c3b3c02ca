import type { ExecutionContext } from "./types.js";

/** The user's `ctx.waitUntil` work of one event. */
export interface WaitList {
  /**
   * Resolves once every promise handed to waitUntil (including any added meanwhile) has settled,
   * or after `timeoutMs`; true when all settled. From then on, work handed to waitUntil goes to
   * `late` instead of being waited for.
   */
  drain(timeoutMs: number, late: (settled: Promise<void>) => void): Promise<boolean>;
}

/**
 * Gives the handler a `ctx` whose `waitUntil` still hands every promise to the platform, and
 * also lets spanwise wait for them before exporting, so spans made in that work are delivered
 * with the invocation. Every other member of `ctx` is the original, bound to it.
 *
 * @param ctx - the platform's ExecutionContext
 * @returns the ctx to give the handler and the list of its waitUntil work
 * @example
 * const { ctx: tracked, waits } = trackWaitUntil(ctx);
 * await handler.fetch(request, env, tracked);
 * await waits.settled(10_000);
 */
export function trackWaitUntil<C extends ExecutionContext>(ctx: C): { ctx: C; waits: WaitList } {
  const pending = new Set<Promise<unknown>>();
  let late: ((settled: Promise<void>) => void) | undefined;
  let changed: (() => void) | undefined;
  const waitUntil = (promise: Promise<unknown>): void => {
    // A thenable that is no plain Promise (a query builder, a lazy Promise subclass) may run its
    // work on every then(): it becomes one Promise, through one then(), which the platform gets
    // and spanwise follows. Anything else goes to the platform as it is, first: its behaviour
    // (and the error for a non-promise) is unchanged.
    let p: unknown = promise;
    try {
      if (p instanceof Promise ? p.constructor !== Promise : typeof (p as { then?: unknown } | null)?.then === "function") p = Promise.resolve(p);
    } catch {
      // A throwing `then` or `constructor` getter: the platform gets the value as it is.
    }
    ctx.waitUntil(p as Promise<unknown>);
    if (!(p instanceof Promise)) return;
    try {
      const settledOne = p.then(
        () => undefined,
        () => undefined,
      );
      if (late !== undefined) {
        late(settledOne);
        return;
      }
      pending.add(settledOne);
      void settledOne.then(() => {
        pending.delete(settledOne);
        changed?.();
      });
      changed?.();
    } catch {
      // Following the promise is optional; the platform already has it.
    }
  };
  const bound = new Map<PropertyKey, unknown>();
  const tracked = new Proxy(ctx, {
    get(target, prop) {
      if (prop === "waitUntil") return waitUntil;
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      // Native methods check their receiver: call them on the real ctx.
      let fn = bound.get(prop);
      if (fn === undefined) {
        fn = (...args: unknown[]) => Reflect.apply(value, target, args);
        bound.set(prop, fn);
      }
      return fn;
    },
  });
  return {
    ctx: tracked,
    waits: {
      drain(timeoutMs, onLate) {
        return new Promise<boolean>((resolve) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const finish = (all: boolean): void => {
            // Closed in the same step that stops the wait, so no work falls between the two.
            changed = undefined;
            late = onLate;
            clearTimeout(timer);
            resolve(all);
          };
          changed = () => {
            if (pending.size === 0) finish(true);
          };
          if (pending.size === 0) return finish(true);
          timer = setTimeout(() => finish(false), timeoutMs);
        });
      },
    },
  };
}
