import { initWith } from "./init-with.js";
import { resolveConfig } from "./resolve-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";

/**
 * Starts tracing. Options not given come from the environment, then a config file (Node, Bun,
 * Deno), then defaults. Throws a
 * `ConfigError` naming the bad field; returns false (and logs) if spanwise is already running
 * or is disabled.
 *
 * @param options - see `SpanwiseOptions`; unset fields come from the environment, then defaults
 * @returns true when tracing started; false when already running or disabled
 * @example
 * init({ serviceName: "support-bot", endpoint: "http://localhost:4318/v1/traces" });
 */
export function init(options?: SpanwiseOptions): boolean {
  return initWith(resolveConfig, options);
}
