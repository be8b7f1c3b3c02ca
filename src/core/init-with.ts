import { G } from "./global.js";
import { createSdkLogger } from "./logger.js";
import type { resolveConfig } from "./resolve-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";
import { createTracer } from "./tracer.js";
import { unknownVariables } from "./unknown-variables.js";
// Last: a bundle holds modules in import order, and env's variable and option names compress
// best next to the option tables that follow it in a Worker's bundle.
import { type IgnoredVariable, optionsFromEnv } from "./env.js";

/**
 * `init` with the function that resolves the options: the Workers entry passes one that
 * validates without zod (config-check.ts), so zod stays out of a Worker's bundle.
 *
 * @param resolve - resolveConfig, or resolveConfigWith bound to another schema
 * @param options - as for `init`
 * @example
 * initWith((...args) => resolveConfigWith(optionsCheck, ...args), { serviceName: "edge" });
 */
export function initWith(resolve: typeof resolveConfig, options?: SpanwiseOptions): boolean {
  const runtime = G.runtime;
  const env = runtime?.readEnv?.();
  const envNames: Record<string, string> = {};
  // OTEL_* variables ignored as invalid: warned about once tracing runs, never thrown.
  const ignored: IgnoredVariable[] = [];
  const config = resolve(options, env ? optionsFromEnv(env, envNames, ignored) : {}, envNames, runtime?.readConfigFile?.(), ignored);
  const logTarget = config.logger ?? console;
  if (G.tracer !== undefined) {
    createSdkLogger(logTarget, false).warnOnce("init-twice", "init() called while already running; the first configuration stays. Call shutdown() first to re-initialise.");
    return false;
  }
  if (!config.enabled) return false;
  G.tracer = createTracer(config);
  for (const { variable, message } of ignored) G.tracer.log.warnOnce(`env:${variable}`, message);
  if (env) for (const message of unknownVariables(env)) G.tracer.log.warnOnce(`env:${message}`, message);
  try {
    G.tracer.dispose = runtime?.onInit?.(G.tracer);
  } catch (err) {
    G.tracer.internalError("runtime init", err);
  }
  if (config.instrument && config.instrument.length > 0) {
    const t = G.tracer;
    const install = G.llmFetch;
    if (install === undefined) t.log.warnOnce("instrument-missing", 'init({ instrument }) needs the LLM parsers: add `import "spanwise/llm"` (spanwise/node includes them). LLM calls are not traced at the fetch level.');
    const restore = install?.(config.instrument) ?? (() => {});
    const runtimeDispose = t.dispose;
    t.dispose = () => {
      restore();
      runtimeDispose?.();
    };
  }
  return true;
}
