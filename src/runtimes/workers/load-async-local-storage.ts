import type { Context, ContextStorage } from "../../core/context.js";

interface AsyncLocalStorageInstance {
  getStore(): Context | undefined;
  run<T>(store: Context, fn: () => T): T;
}
type AsyncLocalStorageClass = new () => AsyncLocalStorageInstance;
interface AsyncHooksModule {
  AsyncLocalStorage?: AsyncLocalStorageClass;
}

/**
 * Context storage on `AsyncLocalStorage`, found without a static `node:` import so that bundlers
 * for other runtimes never see one: `process.getBuiltinModule` where `nodejs_compat` provides it
 * (synchronously), otherwise a dynamic import that workerd resolves when `nodejs_als` is on.
 * Resolves undefined where neither flag is set.
 *
 * @returns the storage, synchronously when possible
 * @example
 * const storage = await loadAsyncLocalStorage();
 */
export function loadAsyncLocalStorage(): ContextStorage | undefined | Promise<ContextStorage | undefined> {
  try {
    const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const found = typeof getBuiltinModule === "function" ? fromModule(getBuiltinModule("node:async_hooks") as AsyncHooksModule | undefined) : undefined;
    if (found) return found;
  } catch {
    // An incomplete `process` polyfill: try the import below.
  }
  // A computed specifier: bundlers leave it alone, workerd resolves it at run time.
  const specifier = ["node", "async_hooks"].join(":");
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then(
    (mod: AsyncHooksModule) => fromModule(mod),
    () => undefined,
  );
}

function fromModule(mod: AsyncHooksModule | undefined): ContextStorage | undefined {
  const Als = mod?.AsyncLocalStorage;
  if (typeof Als !== "function") return undefined;
  const als = new Als();
  return { async: true, get: () => als.getStore(), run: (ctx, fn) => als.run(ctx, fn) };
}
