import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { init as coreInit } from "../../core/init.js";
import { registerBun } from "./runtime.js";

/**
 * Starts tracing in Bun: AsyncLocalStorage context, configuration from `process.env`, flush at
 * exit. The same as the core `init`, with the Bun runtime guaranteed to be registered even when a
 * bundler drops a bare `import "spanwise/bun"`.
 *
 * @param options - see `SpanwiseOptions`; anything not given comes from SPANWISE_* / OTEL_* variables
 * @returns true when tracing started
 * @example
 * import { init } from "spanwise/bun";
 * init({ serviceName: "support-bot" });
 */
export function init(options?: SpanwiseOptions): boolean {
  registerBun();
  return coreInit(options);
}
