import type { AttributeInput } from "../../core/attributes.js";
import { type Invocation, finishInvocation, startInvocation } from "../../core/invocation.js";
import { endWithError } from "../../core/settle.js";
import type { SpanKind } from "../../core/span.js";
import type { ParentInput, Tracer } from "../../core/tracer.js";
import { rememberOrigin, takeColdStart } from "./isolate.js";
import { isStreamingResponse } from "../../core/is-streaming-response.js";
import { EXPORT_BUDGET_MS, type WorkersSettings } from "./options.js";
import { trackBody } from "./track-body.js";
import type { WaitList } from "./track-wait-until.js";

// A streamed body left unpulled this long has a client that is gone: flushTimeoutMs, within
// 2–10 s (a client's own pauses are shorter; the export must still fit the waitUntil limit).
const stallMs = (flushTimeoutMs: number): number => Math.max(2_000, Math.min(flushTimeoutMs, 10_000));

/** One event to trace: its root span and where its export goes. */
export interface EventSpec {
  readonly name: string;
  readonly spanKind: SpanKind;
  readonly attributes: AttributeInput;
  readonly parent?: ParentInput;
  /** The incoming request's origin, for same-origin propagation. */
  readonly origin?: string | undefined;
  /** An HTTP event: a returned Response sets the status code, and a streaming body keeps the span open. */
  readonly http?: boolean;
  /** Hands the export to the platform (`ctx.waitUntil`); without it the export just runs. */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
  /** The user's own waitUntil work, waited for before the export. */
  readonly waits?: WaitList | undefined;
}

/**
 * Runs an event handler inside the event's root span, then exports the event's spans through
 * `waitUntil`, never on the response's path: after a streamed body has been sent and after the
 * user's own waitUntil work, within `flushTimeoutMs` plus the export's bound. The handler's value
 * comes back as it was (a streaming Response as the same response with a followed body), its
 * error is rethrown untouched, and the handler is called exactly once.
 *
 * @param t - the live tracer
 * @param settings - the wrapper's Workers settings
 * @param spec - name, kind, attributes, parent and the platform's waitUntil
 * @param call - runs the user's handler
 * @returns what the handler returned
 * @example
 * return runEvent(tracer, settings, { name: "GET", spanKind: "server", attributes, http: true, waitUntil }, () => handler.fetch(request, env, ctx));
 */
export function runEvent<R>(t: Tracer, settings: WorkersSettings, spec: EventSpec, call: () => R): R {
  let inv: Invocation | undefined;
  try {
    inv = startInvocation(t, spec.name, { spanKind: spec.spanKind, parent: spec.parent ?? null, attributes: spec.attributes });
    inv.root.setAttribute("faas.coldstart", takeColdStart());
    if (spec.origin !== undefined) rememberOrigin(inv.root.trace, spec.origin);
  } catch (err) {
    t.internalError("workers event", err);
    inv = undefined;
  }
  // Outside the try: the handler runs exactly once, and its errors are its own.
  if (inv === undefined) return call();
  const invocation = inv;
  let result: R;
  try {
    result = t.storage.run(invocation.context, call);
  } catch (err) {
    failed(t, settings, spec, invocation, err);
    throw err;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => finished(t, settings, spec, invocation, value),
      (err: unknown) => {
        failed(t, settings, spec, invocation, err);
        throw err;
      },
    ) as R;
  }
  return finished(t, settings, spec, invocation, result);
}

function finished<V>(t: Tracer, settings: WorkersSettings, spec: EventSpec, inv: Invocation, value: V): V {
  let out = value;
  let bodyDone: Promise<void> | undefined;
  try {
    const root = inv.root;
    if (spec.http && value instanceof Response) {
      root.setAttribute("http.response.status_code", value.status);
      // HTTP server spans: only a 5xx answer is the server's error (semantic conventions). An
      // error.type already set (Hono's tracing(), the exception's type) says more than the status.
      if (value.status >= 500) {
        if (!root.hasAttribute("error.type")) root.setAttribute("error.type", String(value.status));
        // Kept: a description already given (the exception Hono's tracing() recorded).
        root.setStatus("error", root.statusMessage);
      }
      if (root.isRecording() && isStreamingResponse(value)) {
        const tracked = trackBody(value, root, (read) => t.storage.run(inv.context, read), stallMs(settings.flushTimeoutMs));
        out = tracked.response as V;
        bodyDone = tracked.done;
      }
    } else if (spec.http) {
      // Not a Response: workerd fails the request with a TypeError, as if the handler had thrown
      // one (a client from outside gets a 500, a service binding's or object's caller the error).
      root.setAttribute("error.type", "not_a_response");
      root.setStatus("error");
    }
    if (bodyDone === undefined && root.endTime === 0) root.end();
  } catch (err) {
    t.internalError("workers event", err);
    out = value;
  }
  scheduleExport(t, settings, spec, inv, bodyDone);
  return out;
}

function failed(t: Tracer, settings: WorkersSettings, spec: EventSpec, inv: Invocation, err: unknown): void {
  try {
    endWithError(inv.root, err);
  } catch (e) {
    t.internalError("workers event", e);
  }
  scheduleExport(t, settings, spec, inv, undefined);
}

function scheduleExport(t: Tracer, settings: WorkersSettings, spec: EventSpec, inv: Invocation, bodyDone: Promise<void> | undefined): void {
  const flushBuffer = (): Promise<void> => (t.buffer.size > 0 ? t.buffer.flush() : Promise.resolve());
  const work = (async () => {
    try {
      if (bodyDone !== undefined) await bodyDone;
      if (spec.waits !== undefined) {
        const all = await spec.waits.drain(settings.flushTimeoutMs, (late) => {
          // Work handed to waitUntil after the export began: its spans go out when it is done.
          try {
            spec.waitUntil?.(late.then(flushBuffer));
          } catch {
            // The event is over; the batch queue sends them with the next event.
          }
        });
        if (!all) t.log.warn("workers-wait", `waitUntil work still running after flushTimeoutMs (${settings.flushTimeoutMs} ms); exporting without it`);
      }
      const budget = Math.max(1000, Math.min(t.config.exportTimeoutMs + 1000, EXPORT_BUDGET_MS - settings.flushTimeoutMs));
      // Spans that ended outside any invocation (no async context, late work) wait in the batch
      // queue: they go out alongside the invocation's own, under the same budget, so the whole
      // export stays well inside the platform's 30 s waitUntil limit.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, budget);
      });
      await Promise.race([Promise.all([finishInvocation(t, inv, { timeoutMs: budget }), flushBuffer()]), deadline]);
      clearTimeout(timer);
    } catch (err) {
      t.internalError("workers export", err);
    }
  })();
  try {
    spec.waitUntil?.(work);
  } catch (err) {
    t.internalError("workers waitUntil", err);
  }
}
