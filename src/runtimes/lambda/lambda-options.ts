import type { AttributeInput } from "../../core/attributes.js";
import { resolveConfig } from "../../core/resolve-config.js";
import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { optionsFromEnv } from "../../core/env.js";
import { ConfigError } from "../../core/errors.js";
import type { LambdaContext } from "./types.js";

/** Options of `withTracing`: the Lambda settings below, plus anything `init()` accepts. */
export interface LambdaTracingOptions extends SpanwiseOptions {
  /** Upper bound on the export at the end of an invocation. Default 2000 ms. */
  flushTimeoutMs?: number;
  /** Time kept free before the deadline for the runtime to send the response. Default 100 ms. */
  deadlineMarginMs?: number;
  /**
   * How long before the deadline a still-running invocation's root span is ended (as timed out)
   * and flushed, at most half the time the invocation had. Default 500 ms, and on a short
   * invocation a fifth of its time (at least `deadlineMarginMs` + 100 ms), if that is less.
   */
  timeoutGuardMs?: number;
  /** Name of the root span. Default: "METHOD route" for HTTP, "process queue" for SQS/SNS, else the function name. */
  spanName?: string | ((event: unknown, context: LambdaContext) => string);
  /** Extra attributes on the root span. */
  attributes?: AttributeInput | ((event: unknown, context: LambdaContext) => AttributeInput);
}

// The options withTracing takes besides init()'s, for errors that list the known ones.
const LAMBDA_OPTIONS = ["flushTimeoutMs", "deadlineMarginMs", "timeoutGuardMs", "spanName", "attributes"];

/** `withTracing` options split into the Lambda part and the `init()` part. */
export interface ResolvedLambdaOptions {
  readonly flushTimeoutMs: number;
  readonly deadlineMarginMs: number;
  /** Undefined when left at its default (500 ms, less on short invocations). */
  readonly timeoutGuardMs: number | undefined;
  readonly spanName: LambdaTracingOptions["spanName"];
  readonly attributes: LambdaTracingOptions["attributes"];
  readonly init: SpanwiseOptions | undefined;
}

/**
 * Validates `withTracing` options when the handler is wrapped (so a mistake surfaces at cold
 * start, not in an invocation). The `init()` part is checked against the environment too.
 *
 * @param options - what the user passed to withTracing
 * @returns the Lambda settings with defaults, and the options left for `init()`
 * @example
 * const { flushTimeoutMs } = resolveLambdaOptions({ flushTimeoutMs: 1000 });
 */
export function resolveLambdaOptions(options: LambdaTracingOptions | undefined): ResolvedLambdaOptions {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new ConfigError("options", options, "an options object", "withTracing()");
  }
  const { flushTimeoutMs, deadlineMarginMs, timeoutGuardMs, spanName, attributes, ...rest } = options ?? {};
  const ms = (field: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new ConfigError(field, value, "a number of milliseconds >= 0", "withTracing()");
    return value;
  };
  if (spanName !== undefined && typeof spanName !== "string" && typeof spanName !== "function") {
    throw new ConfigError("spanName", spanName, "a string or a function (event, context) => string", "withTracing()");
  }
  if (attributes !== undefined && (attributes === null || (typeof attributes !== "object" && typeof attributes !== "function"))) {
    throw new ConfigError("attributes", attributes, "an attributes object or a function (event, context) => attributes", "withTracing()");
  }
  const init = Object.keys(rest).length > 0 ? (rest as SpanwiseOptions) : undefined;
  // The same checks init() will make at the first invocation, made now so they throw here.
  const envNames: Record<string, string> = {};
  resolveConfig(init, optionsFromEnv(process.env, envNames), envNames, undefined, undefined, "withTracing()", LAMBDA_OPTIONS);
  return {
    flushTimeoutMs: ms("flushTimeoutMs", flushTimeoutMs, 2000),
    deadlineMarginMs: ms("deadlineMarginMs", deadlineMarginMs, 100),
    timeoutGuardMs: timeoutGuardMs === undefined ? undefined : ms("timeoutGuardMs", timeoutGuardMs, 500),
    spanName,
    attributes,
    init,
  };
}
