import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { init as coreInit } from "../../core/init.js";
import { registerLambda } from "./runtime.js";

/**
 * Starts tracing in a Lambda execution environment: AsyncLocalStorage context, configuration
 * from `process.env` (the function name is the default service name), Lambda resource
 * attributes. Optional: `withTracing` starts tracing at the first invocation by itself; call
 * this at module scope to trace work done at cold start too.
 *
 * @param options - see `SpanwiseOptions`; anything not given comes from SPANWISE_* / OTEL_* variables
 * @returns true when tracing started
 * @example
 * import { init, withTracing } from "spanwise/lambda";
 * init({ serviceName: "support-bot" });
 */
export function init(options?: SpanwiseOptions): boolean {
  registerLambda();
  return coreInit(options);
}
