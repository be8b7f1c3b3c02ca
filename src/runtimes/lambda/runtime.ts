import type { Attributes } from "../../core/attributes.js";
import { G, type RuntimeHooks } from "../../core/global.js";
import { createAlsStorage } from "../node/als-storage.js";
import { installExitFlush } from "../node/exit-flush.js";
import { zlibGzip } from "../node/zlib-gzip.js";

/** Resource attributes of a Lambda execution environment (OpenTelemetry `cloud` and `faas` conventions). */
function lambdaResource(): Attributes {
  const env = process.env;
  const out: Attributes = {
    "cloud.provider": "aws",
    "cloud.platform": "aws_lambda",
    "process.runtime.name": "nodejs",
    "process.runtime.version": process.versions.node,
    "process.pid": process.pid,
  };
  const put = (key: string, value: string | undefined): void => {
    if (value) out[key] = value;
  };
  put("cloud.region", env.AWS_REGION ?? env.AWS_DEFAULT_REGION);
  put("faas.name", env.AWS_LAMBDA_FUNCTION_NAME);
  put("faas.version", env.AWS_LAMBDA_FUNCTION_VERSION);
  put("faas.instance", env.AWS_LAMBDA_LOG_STREAM_NAME);
  const memory = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (Number.isFinite(memory) && memory > 0) out["faas.max_memory"] = memory * 1024 * 1024;
  return out;
}

const HOOKS: RuntimeHooks = {
  name: "lambda",
  language: "nodejs",
  createStorage: createAlsStorage,
  readEnv: () => process.env,
  // The default only: an option, a variable or a service.name resource attribute wins over it.
  serviceName: () => process.env.AWS_LAMBDA_FUNCTION_NAME || undefined,
  resource: lambdaResource,
  gzip: zlibGzip,
  onInit: (tracer) => (tracer.config.flushOnExit ? installExitFlush(tracer) : undefined),
};

/**
 * Registers the Lambda runtime: AsyncLocalStorage context (the Node runtime's), configuration
 * from `process.env`, Lambda resource attributes. It refines the Node runtime, so it takes over
 * when `spanwise` was imported first under the node condition and tracing has not started yet.
 *
 * @returns true when the Lambda runtime is (now) the registered one
 * @example
 * registerLambda(); // done for you by `import "spanwise/lambda"`
 */
export function registerLambda(): boolean {
  const current = G.runtime;
  if (current === undefined || (current.name === "node" && G.tracer === undefined)) {
    G.runtime = HOOKS;
    return true;
  }
  return current.name === "lambda";
}
