import { registerRuntime } from "../../core/global.js";
import { createAlsStorage } from "../node/als-storage.js";
import { findConfigFile } from "../node/find-config-file.js";
import { installExitFlush } from "../node/exit-flush.js";
import { isLazyBunPromise } from "./is-lazy-promise.js";

/**
 * Registers the Bun runtime: AsyncLocalStorage context, `process.env` configuration, `spanwise.config.json` discovery
 * and flushing on beforeExit, SIGTERM and SIGINT (Bun keeps Node's process semantics, so the Node
 * exit flush applies as is). Runs when `spanwise/bun` (or `spanwise` under the bun condition) is
 * imported; calling it again is harmless.
 *
 * @returns true when the Bun runtime is (now) the registered one
 * @example
 * registerBun(); // before calling the core init() from a bundle that dropped "spanwise/bun"
 */
export function registerBun(): boolean {
  return registerRuntime({
    name: "bun",
    language: "nodejs",
    createStorage: createAlsStorage,
    readEnv: () => process.env,
    readConfigFile: () => findConfigFile(),
    resource: () => ({
      "process.runtime.name": "bun",
      "process.runtime.version": process.versions.bun ?? process.versions.node,
      "process.pid": process.pid,
    }),
    isLazy: isLazyBunPromise,
    onInit: (tracer) => (tracer.config.flushOnExit ? installExitFlush(tracer) : undefined),
  });
}
