import type { ConfigFile } from "./config.js";
import { resolveConfigWith } from "./config.js";
import { optionsSchema } from "./config-schema.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";

/**
 * Validates options and merges them over environment values, a config file and defaults
 * (explicit > environment > file > defaults). Throws a ConfigError naming the field, the value
 * and where it came from.
 */
export function resolveConfig(explicit: unknown, env: SpanwiseOptions = {}, envNames: Readonly<Record<string, string>> = {}, file?: ConfigFile): ResolvedConfig {
  return resolveConfigWith(optionsSchema(), explicit, env, envNames, file);
}
