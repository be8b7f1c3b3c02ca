import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { initWith } from "../../core/init-with.js";
import { registerWorkers } from "./isolate.js";
import { resolveWorkersConfig } from "./resolve-config.js";

/**
 * Starts tracing by hand on Workers, for code that does not go through `instrument` (which
 * initialises by itself on the first event and is what you normally want). AsyncLocalStorage is
 * used when `nodejs_compat` provides it at this point.
 *
 * @param options - see `SpanwiseOptions`
 * @returns true when tracing started
 * @example
 * import { init } from "spanwise/workers";
 * init({ serviceName: "edge-api", exporters: [createMemoryExporter()] });
 */
export function init(options?: SpanwiseOptions): boolean {
  registerWorkers();
  return initWith(resolveWorkersConfig, options);
}
