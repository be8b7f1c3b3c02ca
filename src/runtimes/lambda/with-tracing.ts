import { ConfigError } from "../../core/errors.js";
import { G } from "../../core/global.js";
import { init } from "../../core/init.js";
import type { Tracer } from "../../core/tracer.js";
import { DETACHED, beginInvocation } from "./begin-invocation.js";
import { finishBeforeDefaultAnswer } from "./default-answer.js";
import { type InvocationEnd, type Outcome, armInvocationEnd } from "./arm-invocation-end.js";
import { type LambdaTracingOptions, type ResolvedLambdaOptions, resolveLambdaOptions } from "./lambda-options.js";
import { registerLambda } from "./runtime.js";
import type { LambdaContext, LambdaResponseStream } from "./types.js";

// The markers awslambda.streamifyResponse sets; the runtime reads them from the exported handler.
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
const HIGH_WATER_MARK = Symbol.for("aws.lambda.runtime.handler.streaming.highWaterMark");

type AnyHandler = (this: unknown, a: unknown, b: unknown, c: unknown) => unknown;
type Marked = AnyHandler & { [STREAMING]?: unknown; [HIGH_WATER_MARK]?: unknown };

/**
 * Traces an AWS Lambda handler: one root span per invocation with `faas.*`, `cloud.*` and
 * trigger attributes, the caller's W3C trace context as parent, and every span of the
 * invocation exported before the handler's promise settles (bounded by the remaining time).
 * Async, callback-style and `awslambda.streamifyResponse` handlers keep working unchanged; the
 * result or error is passed through as is. Starts tracing at the first invocation unless
 * `init()` already did, with `options` and SPANWISE_* / OTEL_* variables.
 *
 * @param handler - the Lambda handler
 * @param options - flush and timeout settings, span name and attributes, and any `init()` option
 * @returns a handler of the same type
 * @example
 * export const handler = withTracing(async (event: { body: string }) => {
 *   return { statusCode: 200, body: await answer(event.body) };
 * }, { serviceName: "support-bot", flushTimeoutMs: 1000 });
 */
export function withTracing<H extends (event: never, context: never, callback: never) => unknown>(handler: H, options?: LambdaTracingOptions): H {
  const user = handler as unknown as Marked;
  if (typeof user !== "function") throw new ConfigError("handler", user, "a function (event, context, callback?)", "withTracing()");
  const resolved = resolveLambdaOptions(options);
  registerLambda();
  let started = false;

  const wrapped: Marked = function (this: unknown, a: unknown, b: unknown, c: unknown): unknown {
    // Tracing is started once, at the first invocation; after a shutdown() it stays off.
    if (!started) {
      started = true;
      start(resolved);
    }
    const t = G.tracer;
    if (t === undefined) return user.call(this, a, b, c);
    const streaming = wrapped[STREAMING] === "response" || user[STREAMING] === "response";
    return streaming ? runStreaming(t, resolved, user, this, a, b, c) : runInvocation(t, resolved, user, this, a, b, c);
  };
  // streamifyResponse may have been applied before withTracing: carry its markers over.
  if (user[STREAMING] !== undefined) wrapped[STREAMING] = user[STREAMING];
  if (user[HIGH_WATER_MARK] !== undefined) wrapped[HIGH_WATER_MARK] = user[HIGH_WATER_MARK];
  Object.defineProperty(wrapped, "name", { value: user.name, configurable: true });
  // The runtime reads the handler's arity: the Node.js 24 runtime (aws-lambda-ric 4) refuses at
  // init any non-streaming handler of three parameters as callback-style.
  Object.defineProperty(wrapped, "length", { value: user.length, configurable: true });
  return wrapped as unknown as H;
}

function start(options: ResolvedLambdaOptions): void {
  if (G.tracer !== undefined) return;
  try {
    init(options.init);
  } catch {
    // Validated when the handler was wrapped, so this does not throw in practice; if the
    // environment changed since, the function runs untraced rather than failing.
  }
}

/** Starts the invocation's root span and its end; undefined (and counted) if that fails, so the handler runs untraced. */
function open(t: Tracer, options: ResolvedLambdaOptions, event: unknown, context: LambdaContext, streaming: boolean): { end: InvocationEnd; run: <T>(fn: () => T) => T } | undefined {
  try {
    const started = beginInvocation(t, options, event, context);
    if (streaming) started.inv.root.setAttribute("aws.lambda.response_streaming", true);
    const end = armInvocationEnd(t, options, started, context);
    return { end, run: (fn) => t.storage.run(started.runContext, fn) };
  } catch (err) {
    t.internalError("withTracing", err);
    return undefined;
  }
}

function runInvocation(t: Tracer, options: ResolvedLambdaOptions, user: AnyHandler, self: unknown, event: unknown, ctx: unknown, callback: unknown): unknown {
  const context = asContext(ctx);
  const opened = open(t, options, event, context, false);
  if (opened === undefined) return user.call(self, event, ctx, callback);
  const { end, run } = opened;
  // The runtime's callback and context.succeed/fail/done answer the invocation at once: flush first.
  const answer = (outcome: Outcome, respond: () => void): void => {
    void end.finish(outcome).then(() => t.storage.run(DETACHED, respond));
  };
  const cb =
    typeof callback === "function"
      ? (error?: unknown, result?: unknown) => answer(error !== undefined && error !== null ? { error } : { result }, () => callback(error, result))
      : callback;
  // The context's own methods are put back once the invocation has ended (a test's mocks among them).
  const restore = wrapLegacyMethods(context, answer);
  void end.ended.then(restore);
  // A handler that never answers gets the runtime's `null` once the event loop is empty: it ends
  // then, without a result, and is flushed before that answer.
  finishBeforeDefaultAnswer(() => end.finish({ result: undefined }));

  let returned: unknown;
  try {
    returned = run(() => user.call(self, event, ctx, cb));
  } catch (error) {
    return rethrow(end, error);
  }
  if (isThenable(returned)) return settleAfterFlush(returned, end);
  if (user.length < 3) {
    // A synchronous handler that takes no callback is done now. Given a callback (the runtime
    // before Node.js 24), the runtime answers once the event loop is empty, which waits for the
    // flush. The Node.js 24 runtime passes none and answers with the returned value at once: it
    // gets a promise of that value, resolved after the flush.
    const flushed = end.finish({ result: returned });
    if (typeof callback !== "function" && underRuntime()) return flushed.then(() => returned);
  }
  return returned;
}

function runStreaming(t: Tracer, options: ResolvedLambdaOptions, user: AnyHandler, self: unknown, event: unknown, stream: unknown, ctx: unknown): unknown {
  // Before the handler runs: it calls HttpResponseStream.from.
  const preludes = watchPreludes();
  const opened = open(t, options, event, asContext(ctx), true);
  if (opened === undefined) return user.call(self, event, stream, ctx);
  const { end, run } = opened;
  let returned: unknown;
  try {
    returned = run(() => user.call(self, event, stream, ctx));
  } catch (error) {
    return rethrow(end, error);
  }
  if (!isThenable(returned)) {
    // The runtime refuses non-async streaming handlers; the span ends with that answer.
    void end.finish({ result: returned });
    return returned;
  }
  // The root span covers the stream: it ends once the body has been handed to the runtime. An
  // HTTP prelude's status code is the response's, as a returned result's would be.
  const prelude = (): unknown => (typeof stream === "object" && stream !== null ? preludes?.get(stream) : undefined);
  return settleAfterFlush(returned, end, () => Promise.race([streamFinished(stream as LambdaResponseStream), end.timedOut]), prelude);
}

// The preludes (status code, headers) `awslambda.HttpResponseStream.from` wrote into response
// streams. The runtime writes them into the body before its first chunk, where spanwise cannot
// read them back, so `from` is watched. The map hangs on the watching function, so that two
// copies of spanwise (ESM and CJS) share it.
const WATCHED = Symbol.for("spanwise.lambda.preludes");

type PreludeFrom = ((this: unknown, stream: unknown, prelude: unknown) => unknown) & { [WATCHED]?: WeakMap<object, unknown> };

/** Watches `HttpResponseStream.from` (once per process); returns the preludes seen, if it can. */
function watchPreludes(): WeakMap<object, unknown> | undefined {
  try {
    const streams = (globalThis as { awslambda?: { HttpResponseStream?: { from?: PreludeFrom } } }).awslambda?.HttpResponseStream;
    const from = streams?.from;
    if (streams === undefined || typeof from !== "function") return undefined;
    const seen = from[WATCHED];
    if (seen !== undefined) return seen;
    const preludes = new WeakMap<object, unknown>();
    const watched: PreludeFrom = function (this: unknown, stream: unknown, prelude: unknown): unknown {
      if (typeof stream === "object" && stream !== null) preludes.set(stream, prelude);
      return from.call(this, stream, prelude);
    };
    watched[WATCHED] = preludes;
    streams.from = watched;
    return preludes;
  } catch {
    // A frozen runtime object: streamed responses get no status code.
    return undefined;
  }
}

/**
 * A promise that settles like `p`, after the invocation's spans are flushed (and after `before`,
 * on success); `result` gives what the invocation answered when that is not `p`'s value.
 */
function settleAfterFlush(p: PromiseLike<unknown>, end: InvocationEnd, before?: () => Promise<unknown>, result?: () => unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onValue = (value: unknown): void => {
      const wait = before ? before().catch(() => undefined) : Promise.resolve();
      void wait.then(() => end.finish({ result: result?.() ?? value })).then(() => resolve(value));
    };
    const onError = (error: unknown): void => {
      void end.finish({ error }).then(() => reject(error));
    };
    try {
      p.then(onValue, onError);
    } catch (error) {
      onError(error);
    }
  });
}

/** Resolves when the response stream has been fully written, or at once when it was never ended. */
function streamFinished(stream: LambdaResponseStream | undefined): Promise<void> {
  try {
    if (!stream || stream.writableFinished === true || stream.writableEnded !== true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => resolve();
      stream.once("finish", done);
      stream.once("close", done);
      stream.once("error", done);
    });
  } catch {
    return Promise.resolve();
  }
}

/**
 * `context.succeed / fail / done` answer at once too, so they flush first like the callback. The
 * runtime interface client itself answers a returned promise through `context.succeed` and
 * `context.fail`, which makes this a second guard for async handlers as well.
 */
function wrapLegacyMethods(context: LambdaContext, answer: (outcome: Outcome, respond: () => void) => void): () => void {
  const c = context as unknown as Record<string, unknown>;
  const wrapped: [string, unknown, unknown][] = [];
  const restore = (): void => {
    for (const [name, original, wrapper] of wrapped) {
      try {
        // Only where the method is still spanwise's: one the handler replaced since stays.
        if (c[name] === wrapper) c[name] = original;
      } catch {
        // A context that became frozen keeps the wrapper, which still answers correctly.
      }
    }
  };
  if (typeof c !== "object" || c === null) return restore;
  const outcomes: Record<string, (args: unknown[]) => Outcome> = {
    succeed: (args) => ({ result: args[0] }),
    fail: (args) => ({ error: args[0] ?? "handled" }),
    done: (args) => (args[0] !== undefined && args[0] !== null ? { error: args[0] } : { result: args[1] }),
  };
  for (const [name, toOutcome] of Object.entries(outcomes)) {
    const original = c[name];
    if (typeof original !== "function") continue;
    try {
      const wrapper = (...args: unknown[]) => answer(toOutcome(args), () => original.apply(context, args));
      c[name] = wrapper;
      wrapped.push([name, original, wrapper]);
    } catch {
      // A frozen context keeps its own methods; only the callback and the promise are flushed first.
    }
  }
  return restore;
}

/**
 * A handler's synchronous throw. Under the runtime, a rejection after the flush reports the same
 * error through the same path as the throw would; called directly (a unit test) it is thrown as
 * it was, the spans flushed in the background.
 */
function rethrow(end: InvocationEnd, error: unknown): Promise<never> {
  const flushed = end.finish({ error });
  if (!underRuntime()) throw error;
  return flushed.then(() => Promise.reject(error));
}

/** True inside a Lambda runtime (its Runtime API is set), false when a test calls the handler. */
function underRuntime(): boolean {
  return typeof process.env.AWS_LAMBDA_RUNTIME_API === "string";
}

/** The Lambda context, or an empty one when a test calls the handler without it. */
function asContext(ctx: unknown): LambdaContext {
  return (typeof ctx === "object" && ctx !== null ? ctx : {}) as LambdaContext;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}
