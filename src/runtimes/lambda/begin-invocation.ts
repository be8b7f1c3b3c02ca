import type { AttributeInput, Attributes } from "../../core/attributes.js";
import type { Context } from "../../core/context.js";
import { type Invocation, startInvocation } from "../../core/invocation.js";
import type { Tracer } from "../../core/tracer.js";
import type { ResolvedLambdaOptions } from "./lambda-options.js";
import { str } from "./read-event.js";
import { lambdaState } from "./state.js";
import { type Trigger, detectTrigger } from "./trigger.js";
import type { LambdaContext } from "./types.js";

/** A started invocation: its root span and buffer, the trigger, and the context to run the handler in. */
export interface LambdaInvocation {
  readonly inv: Invocation;
  readonly trigger: Trigger;
  readonly runContext: Context;
}

/** No span, no scope: what the runtime's own code runs in, so nothing leaks between invocations. */
export const DETACHED: Context = {};

/**
 * Starts the root span of one invocation with `faas.*`, `cloud.*` and trigger attributes, the
 * caller's trace context as parent (or one link per message of a batch), and the X-Ray header
 * recorded but not followed.
 *
 * @param t - the live tracer
 * @param options - resolved withTracing options
 * @param event - the invocation's event
 * @param context - the Lambda context
 * @returns the invocation
 * @example
 * const { inv, runContext } = beginInvocation(tracer, options, event, context);
 */
export function beginInvocation(t: Tracer, options: ResolvedLambdaOptions, event: unknown, context: LambdaContext): LambdaInvocation {
  const state = lambdaState();
  // Provisioned concurrency initialises the environment ahead of any request: no invocation
  // waits for it, so none is a cold start (as OpenTelemetry's Lambda instrumentation counts it).
  const coldStart = state.coldStart && process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== "provisioned-concurrency";
  state.coldStart = false;
  const trigger = detectTrigger(event);
  const env = process.env;
  const arn = str(context.invokedFunctionArn);
  // arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]
  const parts = arn?.split(":") ?? [];
  const functionName = str(context.functionName) ?? env.AWS_LAMBDA_FUNCTION_NAME;
  const attributes: Attributes = {
    ...trigger.attributes,
    "cloud.provider": "aws",
    "cloud.platform": "aws_lambda",
    "faas.coldstart": coldStart,
  };
  const put = (key: string, value: string | undefined): void => {
    if (value) attributes[key] = value;
  };
  put("faas.invocation_id", str(context.awsRequestId));
  put("faas.name", functionName);
  const version = str(context.functionVersion) ?? env.AWS_LAMBDA_FUNCTION_VERSION;
  put("faas.version", version);
  put("cloud.region", parts[3] || env.AWS_REGION);
  put("cloud.account.id", parts[4]);
  // The function's ARN with the version that ran, not the alias it was invoked by (FaaS semantic conventions).
  if (parts.length >= 7) put("cloud.resource_id", parts.slice(0, 7).join(":") + (version ? `:${version}` : ""));
  put("aws.lambda.invoked_arn", arn);
  // X-Ray's header is kept for correlation only: the W3C context (or a new trace) is the parent.
  // The runtime's multi-concurrency mode (Lambda Managed Instances) gives it on the context only.
  put("aws.xray.trace_header", str(context.xRayTraceId) ?? env._X_AMZN_TRACE_ID);

  const name = spanNameFor(options, event, context) ?? trigger.name ?? functionName ?? "lambda invocation";
  // Started detached: whatever context the runtime's loop carries must not become this trace's parent or scope.
  const inv = t.storage.run(DETACHED, () => startInvocation(t, name, { spanKind: trigger.spanKind, parent: trigger.parent ?? null, attributes }));
  for (const link of trigger.links) inv.root.addLink(link);
  const extra = extraAttributes(options, event, context);
  if (extra) inv.root.setAttributes(extra);
  const runContext: Context = trigger.parent?.baggage ? { ...inv.context, baggage: trigger.parent.baggage } : inv.context;
  return { inv, trigger, runContext };
}

function spanNameFor(options: ResolvedLambdaOptions, event: unknown, context: LambdaContext): string | undefined {
  const { spanName } = options;
  if (typeof spanName === "string") return spanName || undefined;
  if (typeof spanName !== "function") return undefined;
  try {
    const name = spanName(event, context);
    return typeof name === "string" && name !== "" ? name : undefined;
  } catch {
    return undefined;
  }
}

function extraAttributes(options: ResolvedLambdaOptions, event: unknown, context: LambdaContext): AttributeInput | undefined {
  const { attributes } = options;
  if (typeof attributes !== "function") return attributes;
  try {
    return attributes(event, context);
  } catch {
    return undefined;
  }
}
