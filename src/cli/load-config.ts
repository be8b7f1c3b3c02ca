import type { ConfigFile } from "../core/config.js";
import { resolveConfig } from "../core/resolve-config.js";
import type { ResolvedConfig } from "../core/resolved-config.js";
import type { SpanwiseOptions } from "../core/spanwise-options.js";
import { configSources } from "../core/config-sources.js";
import { type IgnoredVariable, optionsFromEnv } from "../core/env.js";
import { registerOptInParts } from "../core/register-opt-in-parts.js";
import { findConfigFile } from "../runtimes/node/find-config-file.js";
import type { CliIo } from "./command.js";

/** The configuration a program started here would get (without its init() options). */
export interface LoadedConfig {
  readonly config: ResolvedConfig;
  readonly file: ConfigFile | undefined;
  /** One warning per OTEL_* variable ignored as invalid, as init() would log it. */
  readonly ignored: readonly IgnoredVariable[];
  /** Computes where each field came from: `env:NAME`, `file:PATH` or `default`. */
  sources(): Record<keyof ResolvedConfig, string>;
}

/**
 * Resolves the configuration from the environment and the nearest `spanwise.config.json`, the
 * way `init()` on Node does. Throws the ConfigError `init()` would throw, and lists the invalid
 * OTEL_* variables it ignores with a warning.
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
  const ignored: IgnoredVariable[] = [];
  const env = optionsFromEnv(io.env, envNames, ignored);
  const config = resolveConfig(undefined, env, envNames, file, ignored);
  // An ignored variable is no source: its field shows where its value really came from.
  const dropped = new Set(ignored.map((i) => i.variable));
  const used = Object.fromEntries(Object.entries(env).filter(([key]) => !dropped.has(envNames[key] ?? ""))) as SpanwiseOptions;
  return { config, file, ignored, sources: () => configSources(config, undefined, used, envNames, file) };
}
