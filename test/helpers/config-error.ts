// The bare core: importing spanwise/node here would register the Node runtime (and redaction)
// for every test that uses this helper. isInstance works across copies of the package.
import { ConfigError } from "spanwise";
import { optionsFromEnv } from "../../src/core/env.js";
import { resolveConfig } from "../../src/core/resolve-config.js";

/**
 * Runs `fn` and returns the ConfigError it throws; fails when it throws something else or nothing.
 *
 * @example
 * expect(configError(() => init({ sampleRate: 2 })).field).toBe("sampleRate");
 */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (ConfigError.isInstance(err)) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

/**
 * The ConfigError that the options read from these environment variables make, as `init()`
 * would resolve them with no options of its own.
 *
 * @example
 * expect(envConfigError({ SPANWISE_SAMPLE_RATE: "2" }).field).toBe("SPANWISE_SAMPLE_RATE");
 */
export function envConfigError(vars: Record<string, string>): ConfigError {
  const names: Record<string, string> = {};
  return configError(() => resolveConfig(undefined, optionsFromEnv(vars, names), names));
}
