import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { SpanRecord } from "../../core/span.js";

/** The open runs of every CallbackHandler, by LangChain run id: what code inside a run nests under. */
export const openRuns = new Map<string, SpanRecord>();

/**
 * The span of the LangChain run whose code is running now, for a span started without an
 * explicit parent: a callback handler is told of a run but cannot make its span current, so
 * `observe`d code (or a wrapped client) inside a tool would nest under the span where the chain
 * was invoked. LangChain keeps the running run's config in its own AsyncLocalStorage; its
 * callbacks name the run. The current span is kept when it began inside the run (it is the run's
 * descendant), or when no run of a spanwise handler is running.
 *
 * @param current - the span current in spanwise's context
 * @returns the run's span, or undefined to keep `current`
 * @example
 * G.parentHint = langChainParent;
 */
export function langChainParent(current: SpanRecord | undefined): SpanRecord | undefined {
  if (openRuns.size === 0) return undefined;
  let runId: unknown;
  try {
    const callbacks = (AsyncLocalStorageProviderSingleton.getRunnableConfig() as { callbacks?: { getParentRunId?: () => unknown } } | undefined)?.callbacks;
    runId = typeof callbacks?.getParentRunId === "function" ? callbacks.getParentRunId() : undefined;
  } catch {
    return undefined;
  }
  const run = typeof runId === "string" ? openRuns.get(runId) : undefined;
  if (run === undefined || run === current || run.endTime !== 0) return undefined;
  return current !== undefined && current.startTime >= run.startTime ? undefined : run;
}
