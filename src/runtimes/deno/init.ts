import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { init as coreInit } from "../../core/init.js";
import { registerDeno } from "./runtime.js";

/**
 * Starts tracing in Deno: AsyncLocalStorage context, configuration from `Deno.env` (variables
 * the process may not read count as unset: no `--allow-env` means defaults, not an error) and a
 * flush when the program ends or is sent SIGTERM/SIGINT.
 *
 * @param options - see `SpanwiseOptions`; anything not given comes from SPANWISE_* / OTEL_* variables
 * @returns true when tracing started
 * @example
 * import { init } from "spanwise/deno";
 * init({ serviceName: "support-bot" });
 */
export function init(options?: SpanwiseOptions): boolean {
  registerDeno();
  return coreInit(options);
}
