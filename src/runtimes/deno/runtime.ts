import type { Attributes } from "../../core/attributes.js";
import { trackSignalListeners } from "./signal-listeners.js";
import { registerRuntime } from "../../core/global.js";
import { createAlsStorage } from "../node/als-storage.js";
import { denoApi } from "./deno-api.js";
import { readDenoEnv } from "./deno-env.js";
import { installDenoExitFlush } from "./exit-flush.js";
import { findDenoConfigFile } from "./find-config-file.js";
import { netRefusal } from "./net-refusal.js";

/**
 * Registers the Deno runtime: AsyncLocalStorage context (from `node:async_hooks`, which Deno
 * provides without flags), configuration from `Deno.env` and `spanwise.config.json` as far as
 * permissions allow, and flushing when the program ends or receives SIGTERM/SIGINT. Runs when
 * `spanwise/deno` (or `spanwise` under the deno condition) is imported; calling it again is harmless.
 *
 * @returns true when the Deno runtime is (now) the registered one
 * @example
 * registerDeno(); // before calling the core init() from a bundle that dropped "spanwise/deno"
 */
export function registerDeno(): boolean {
  const deno = denoApi();
  // Count the program's own signal listeners from import on, not only from init on.
  if (deno) trackSignalListeners(deno);
  return registerRuntime({
    name: "deno",
    language: "webjs",
    createStorage: createAlsStorage,
    readEnv: () => (deno ? readDenoEnv(deno) : undefined),
    readConfigFile: () => (deno ? findDenoConfigFile(deno) : undefined),
    refuseFetch: (endpoint) => (deno ? netRefusal(deno, endpoint) : undefined),
    resource: (): Attributes => (deno ? { "process.runtime.name": "deno", "process.runtime.version": deno.version.deno, "process.pid": deno.pid } : {}),
    onInit: (tracer) => (deno && tracer.config.flushOnExit ? installDenoExitFlush(deno, tracer) : undefined),
  });
}
