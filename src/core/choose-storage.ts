import { type ContextStorage, createAsyncContextStorage, createStackStorage } from "./context.js";
import { G } from "./global.js";
import type { SdkLogger } from "./logger.js";
import type { ResolvedConfig } from "./resolved-config.js";

/** The context storage: the option, else the runtime's, else AsyncLocalStorage, else a synchronous stack (with a warning). */
export function chooseStorage(config: ResolvedConfig, log: SdkLogger): ContextStorage {
  const fromRuntime = config.contextStorage ?? G.runtime?.createStorage?.() ?? createAsyncContextStorage();
  if (fromRuntime) return fromRuntime;
  log.warnOnce(
    "no-async-context",
    "no async context storage here: spans nest within synchronous code only and lose their parent after an await. " +
      'On Node, Deno and Bun import "spanwise/node", "spanwise/deno" or "spanwise/bun"; on Cloudflare Workers enable the "nodejs_als" (or "nodejs_compat") compatibility flag.',
  );
  return createStackStorage();
}
