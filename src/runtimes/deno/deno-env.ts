import type { EnvRecord } from "../../core/env.js";
import type { DenoApi } from "./deno-api.js";

/**
 * The environment as a record that reads each variable only when Deno allows it: without
 * `--allow-env` (or with `--allow-env=SOME,NAMES`) the variables spanwise may not read are
 * simply unset, so `init()` falls back to its defaults instead of failing with `NotCapable`,
 * and never triggers a permission prompt.
 *
 * @param deno - the `Deno` namespace
 * @returns a read-only record whose properties are looked up on demand
 * @example
 * optionsFromEnv(readDenoEnv(Deno))
 */
export function readDenoEnv(deno: DenoApi): EnvRecord {
  const allowed = (name: string): boolean => {
    const query = deno.permissions?.querySync;
    // Deno Deploy and older releases have no permission API: try the read and catch a refusal.
    if (typeof query !== "function") return true;
    return query.call(deno.permissions, { name: "env", variable: name }).state === "granted";
  };
  return new Proxy({} as EnvRecord, {
    get(_target, name) {
      if (typeof name !== "string") return undefined;
      try {
        return allowed(name) ? deno.env.get(name) : undefined;
      } catch {
        return undefined;
      }
    },
  });
}
