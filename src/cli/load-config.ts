import type { ConfigFile } from "../core/config.js";
import { resolveConfig } from "../core/resolve-config.js";
import type { ResolvedConfig } from "../core/resolved-config.js";
import { configSources } from "../core/config-sources.js";
import { optionsFromEnv } from "../core/env.js";
import { registerOptInParts } from "../core/register-opt-in-parts.js";
import { findConfigFile } from "../runtimes/node/find-config-file.js";
import type { CliIo } from "./command.js";

/** The configuration a program started here would get (without its init() options). */
export interface LoadedConfig {
  readonly config: ResolvedConfig;
  readonly file: ConfigFile | undefined;
  /** Computes where each field came from: `env:NAME`, `file:PATH` or `default`. */
  sources(): Record<keyof ResolvedConfig, string>;
}

/**
 * Resolves the configuration from the environment and the nearest `spanwise.config.json`, the
 * way `init()` on Node does. Throws the ConfigError `init()` would throw.
 *
 * @param io - the working directory and environment to resolve for
 * @returns the resolved configuration, the file used, and the sources on demand
 * @example
 * loadConfig(io).config.endpoint
 */
export function loadConfig(io: CliIo): LoadedConfig {
  // As spanwise/node loads them: a `redact` option and protocol http/json are resolved, not refused.
  registerOptInParts();
  const file = findConfigFile(io.cwd);
  const envNames: Record<string, string> = {};
  const env = optionsFromEnv(io.env, envNames);
  const config = resolveConfig(undefined, env, envNames, file);
  return { config, file, sources: () => configSources(config, undefined, env, envNames, file) };
}
