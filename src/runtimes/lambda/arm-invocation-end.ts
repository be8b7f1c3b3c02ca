import { finishInvocation } from "../../core/invocation.js";
import type { Tracer } from "../../core/tracer.js";
import type { LambdaInvocation } from "./begin-invocation.js";
import { statusFromResult } from "./status-from-result.js";
import type { ResolvedLambdaOptions } from "./lambda-options.js";
import type { LambdaContext } from "./types.js";

/** How the handler ended: with a result or with an error. */
export type Outcome = { readonly error: unknown } | { readonly result: unknown };

/** Ends an invocation once: on the handler's outcome, or at the timeout guard, whichever comes first. */
export interface InvocationEnd {
  /** Records the outcome on the root span and flushes; later calls return the first call's promise. Never rejects. */
  finish(outcome: Outcome): Promise<void>;
  /** Resolves when the timeout guard has fired (and its flush is done); never if the invocation ends first. */
  readonly timedOut: Promise<void>;
  /** Resolves once the invocation has ended and been flushed, by its outcome or by the guard. */
  readonly ended: Promise<void>;
}

/**
 * Arms the timeout guard of an invocation and returns the one way to end it. The flush at the
 * end gets `min(flushTimeoutMs, remaining time - deadlineMarginMs)`, so a slow collector can
 * never push the invocation past its deadline.
 *
 * @param t - the live tracer
 * @param options - resolved withTracing options
 * @param started - the invocation from beginInvocation
 * @param context - the Lambda context (for the remaining time)
 * @returns the invocation's end
 * @example
 * const end = armInvocationEnd(tracer, options, started, context);
 * await end.finish({ result });
 */
export function armInvocationEnd(t: Tracer, options: ResolvedLambdaOptions, started: LambdaInvocation, context: LambdaContext): InvocationEnd {
  const { inv, trigger } = started;
  let finishing: Promise<void> | undefined;
  let guard: ReturnType<typeof setTimeout> | undefined;
  let onTimedOut: () => void = () => {};
  let onEnded: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    onEnded = resolve;
  });
  const timedOut = new Promise<void>((resolve) => {
    onTimedOut = resolve;
  });

  const flush = (): Promise<void> => {
    const budget = Math.max(0, Math.min(options.flushTimeoutMs, remainingMs(context) - options.deadlineMarginMs));
    return Promise.all([finishInvocation(t, inv, { timeoutMs: budget }), flushShared(t, budget)]).then(
      () => undefined,
      (err: unknown) => t.internalError("lambda flush", err),
    );
  };

  const remaining = remainingMs(context);
  if (Number.isFinite(remaining)) {
    // Never more than half the time left, so a quick success on a short invocation is never
    // mistaken for a timeout. The default leaves the guard 500 ms to flush, or on a short
    // invocation its last fifth (at least the margin plus 100 ms); a lead the user set is kept.
    const asked = options.timeoutGuardMs ?? Math.min(500, Math.max(options.deadlineMarginMs + 100, remaining / 5));
    const lead = Math.min(asked, remaining / 2);
    guard = setTimeout(() => {
      if (finishing) return;
      try {
        inv.root.setStatus("error", `the invocation was about to time out (${Math.round(remainingMs(context))} ms left); spans still open were ended`);
        inv.root.setAttribute("error.type", "timeout");
        inv.root.setAttribute("aws.lambda.timed_out", true);
      } catch (err) {
        t.internalError("lambda timeout", err);
      }
      finishing = flush();
      void finishing.then(onTimedOut).then(onEnded);
    }, Math.max(0, remaining - lead));
    // Never keeps the event loop alive: a callback handler's "wait for an empty event loop" must not wait for it.
    (guard as { unref?: () => void }).unref?.();
  }

  return {
    timedOut,
    ended,
    finish(outcome) {
      if (finishing) return finishing;
      clearTimeout(guard);
      try {
        record(outcome);
      } catch (err) {
        t.internalError("lambda outcome", err);
      }
      finishing = flush();
      void finishing.then(onEnded);
      return finishing;
    },
  };

  function record(outcome: Outcome): void {
    if ("error" in outcome) {
      inv.root.recordException(outcome.error);
      return;
    }
    if (trigger.http === undefined) return;
    const status = statusFromResult(trigger.http, outcome.result);
    if (status === undefined) return;
    inv.root.setAttribute("http.response.status_code", status);
    // HTTP server spans: 5xx is an error, 4xx is the client's (OpenTelemetry HTTP conventions).
    if (status >= 500) inv.root.setStatus("error", `HTTP ${status}`);
  }
}

/** Milliseconds left before the deadline, or Infinity when the context cannot tell. */
function remainingMs(context: LambdaContext): number {
  try {
    const ms = context.getRemainingTimeInMillis?.();
    return typeof ms === "number" && Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Spans outside the invocation's trace (started at cold start, or in a trace of their own, or
 * ended after an earlier invocation finished) wait in the shared queue; they go out too, within
 * the same budget, because the execution environment may be frozen right after the response.
 */
async function flushShared(t: Tracer, budgetMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    t.buffer.flush(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    }),
  ]);
  clearTimeout(timer);
}
