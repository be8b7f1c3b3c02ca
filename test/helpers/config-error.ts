// The bare core: importing spanwise/node here would register the Node runtime (and redaction)
// for every test that uses this helper. isInstance works across copies of the package.
import { ConfigError } from "spanwise";

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
