import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, ContextStorage } from "../../core/context.js";

/**
 * Context storage on `AsyncLocalStorage`: the current span survives `await`, timers, promise
 * chains and event emitters. Used on Node, Bun and Deno.
 *
 * @returns a ContextStorage backed by one AsyncLocalStorage
 * @example
 * init({ contextStorage: createAlsStorage() })
 */
export function createAlsStorage(): ContextStorage {
  const als = new AsyncLocalStorage<Context>();
  return {
    async: true,
    get: () => als.getStore(),
    run: (ctx, fn) => als.run(ctx, fn),
  };
}
