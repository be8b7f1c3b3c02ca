import { registerRuntime } from "../../core/global.js";
import { createAlsStorage } from "./als-storage.js";
import { findConfigFile } from "./find-config-file.js";
import { installExitFlush } from "./exit-flush.js";
import { zlibGzip } from "./zlib-gzip.js";

/**
 * Registers the Node runtime: AsyncLocalStorage context, `process.env` configuration, `spanwise.config.json` discovery
 * and exit flushing. Runs when `spanwise/node` (or `spanwise` under the node condition) is imported;
 * calling it again is harmless.
 *
 * @returns true when the Node runtime is (now) the registered one
 * @example
 * registerNode(); // before calling the core init() from a bundle that dropped "spanwise/node"
 */
export function registerNode(): boolean {
  return registerRuntime({
    name: "node",
    language: "nodejs",
    createStorage: createAlsStorage,
    readEnv: () => process.env,
    readConfigFile: () => findConfigFile(),
    resource: () => ({
      "process.runtime.name": typeof (globalThis as { Bun?: unknown }).Bun !== "undefined" ? "bun" : "nodejs",
      "process.runtime.version": process.versions.bun ?? process.versions.node,
      "process.pid": process.pid,
    }),
    gzip: zlibGzip,
    onInit: (tracer) => (tracer.config.flushOnExit ? installExitFlush(tracer) : undefined),
  });
}
