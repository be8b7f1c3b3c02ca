import { ConfigError } from "spanwise/node";

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
