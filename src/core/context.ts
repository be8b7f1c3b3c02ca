import type { SpanContext, SpanRecord } from "./span.js";
import type { Scope } from "./scope.js";

/** W3C Baggage entries carried alongside the trace. */
export type Baggage = ReadonlyMap<string, { readonly value: string; readonly metadata?: string | undefined }>;

/**
 * The immutable context spanwise propagates: entering a span or a scope makes a new one,
 * a parent is never changed.
 */
export interface Context {
  readonly span?: SpanRecord | undefined;
  /** A parent received from another service, when no local span is active. */
  readonly remote?: SpanContext | undefined;
  readonly scope?: Scope | undefined;
  readonly baggage?: Baggage | undefined;
  /** Set while the SDK exports, so its own requests are never traced. */
  readonly suppressed?: boolean | undefined;
}

/** The context the SDK runs its own work in (exports, withheld events): nothing inside is traced. */
export const SUPPRESSED: Context = Object.freeze({ suppressed: true });

/** The context exporters run in: suppressed, and how flush() and shutdown() know they were called from inside an export. */
export const EXPORTING: Context = Object.freeze({ suppressed: true });

/**
 * The seam between the core and a runtime's async context mechanism.
 *
 * @example
 * const als = new AsyncLocalStorage<Context>();
 * const storage: ContextStorage = { get: () => als.getStore(), run: (ctx, fn) => als.run(ctx, fn), async: true };
 */
export interface ContextStorage {
  get(): Context | undefined;
  run<T>(ctx: Context, fn: () => T): T;
  /** True when the context survives `await`; false for the synchronous stack. */
  readonly async: boolean;
}

/**
 * A synchronous stack: spans nest within one synchronous call tree, and the context is gone
 * after the first `await`. The fallback where a runtime has no async context.
 */
export function createStackStorage(): ContextStorage {
  let current: Context | undefined;
  return {
    async: false,
    get: () => current,
    run<T>(ctx: Context, fn: () => T): T {
      const prev = current;
      current = ctx;
      try {
        return fn();
      } finally {
        current = prev;
      }
    },
  };
}

interface AsyncContextVariable {
  get(): Context | undefined;
  run<T>(value: Context, fn: () => T): T;
}

/** Storage on the TC39 `AsyncContext.Variable`, where the runtime has it; otherwise undefined. */
export function createAsyncContextStorage(): ContextStorage | undefined {
  const AC = (globalThis as { AsyncContext?: { Variable?: new () => AsyncContextVariable } }).AsyncContext;
  if (typeof AC?.Variable !== "function") return undefined;
  const variable = new AC.Variable();
  return { async: true, get: () => variable.get(), run: (ctx, fn) => variable.run(ctx, fn) };
}
