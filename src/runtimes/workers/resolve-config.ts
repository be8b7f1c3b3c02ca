import { type ConfigFile, resolveConfigWith } from "../../core/config.js";
import type { IgnoredVariable } from "../../core/env.js";
import type { ResolvedConfig } from "../../core/resolved-config.js";
import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { optionsCheck } from "../../core/config-check.js";

/**
 * `resolveConfig` for Workers: the same merging and errors, validated by the zod-free twin of
 * the options schema so zod stays out of a Worker's bundle (see src/core/config-check.ts).
 *
 * @param explicit - the options given in code
 * @param env - options read from env bindings
 * @param envNames - which binding each option came from, for errors
 * @param file - never on Workers; kept for the shared signature
 * @param ignored - receives a warning per OTEL_* binding ignored as invalid
 * @param caller - the wrapper the options were given to, for errors (default "init()")
 * @param callerOptions - the wrapper's own options, known besides init()'s
 * @example
 * const config = resolveWorkersConfig({ serviceName: "edge-api" });
 */
export function resolveWorkersConfig(
  explicit: unknown,
  env?: SpanwiseOptions,
  envNames?: Readonly<Record<string, string>>,
  file?: ConfigFile,
  ignored?: IgnoredVariable[],
  caller?: string,
  callerOptions?: readonly string[],
): ResolvedConfig {
  return resolveConfigWith(optionsCheck, explicit, env, envNames, file, ignored, caller, callerOptions);
}
