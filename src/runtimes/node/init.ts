import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { init as coreInit } from "../../core/init.js";
import { registerNode } from "./runtime.js";

/**
 * Starts tracing in a Node (or Bun) process: AsyncLocalStorage context, configuration from
 * `process.env`, flush at exit. The same as the core `init`, with the Node runtime guaranteed to
 * be registered even when a bundler drops a bare `import "spanwise/node"`.
 *
 * @param options - see `SpanwiseOptions`; anything not given comes from SPANWISE_* / OTEL_* variables
 * @returns true when tracing started
 * @example
 * import { init } from "spanwise/node";
 * init({ serviceName: "support-bot" });
 */
export function init(options?: SpanwiseOptions): boolean {
  registerNode();
  return coreInit(options);
}
