import type { ConfigFile } from "./config.js";
import type { IgnoredVariable } from "./env.js";
import { resolveConfigWith } from "./config.js";
import { optionsSchema } from "./config-schema.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";

/**
 * Validates options and merges them over environment values, a config file and defaults
 * (explicit > environment > file > defaults). Throws a ConfigError naming the field, the value
 * and where it came from; an invalid OTEL_* variable is ignored instead, with a warning added
 * to `ignored`. Errors about `explicit` name `caller` as their source ("init()", "withTracing()"),
 * and an unknown option is matched against `callerOptions` (the wrapper's own) too.
 */
export function resolveConfig(
  explicit: unknown,
  env: SpanwiseOptions = {},
  envNames: Readonly<Record<string, string>> = {},
  file?: ConfigFile,
  ignored?: IgnoredVariable[],
  caller?: string,
  callerOptions?: readonly string[],
): ResolvedConfig {
  return resolveConfigWith(optionsSchema(), explicit, env, envNames, file, ignored, caller, callerOptions);
}
