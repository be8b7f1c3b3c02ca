import type { AttributeInput } from "../../core/attributes.js";
import { SUPPRESSED } from "../../core/context.js";
import { isExportRequest } from "../../core/export-request.js";
import { extractFrom } from "../../core/propagation.js";
import type { SpanKind } from "../../core/span.js";
import { type OptionsCache, type Setup, createOptionsCache, runUntraced, setup } from "./isolate.js";
import type { WorkersOptionsInput } from "./options.js";
import { requestAttributes } from "./request-attributes.js";
import { runEvent } from "./run-event.js";
import { type WaitList, trackWaitUntil } from "./track-wait-until.js";
import type { EmailMessage, ExecutionContext, MessageBatch, ScheduledController, WorkerHandler } from "./types.js";

/**
 * Traces a module Worker: one root span per `fetch`, `scheduled`, `queue`, `email` and `tail`
 * event, continuing the caller's trace from `traceparent`, with every span of the event exported
 * through `ctx.waitUntil` after the response (and after a streamed body has been sent). Outgoing
 * `fetch` calls become CLIENT spans. Options may be a function of `env`, read once per isolate;
 * SPANWISE_* and OTEL_* bindings are read as in Node.
 *
 * @param handler - the Worker's default export
 * @param options - options, or `(env) => options`
 * @returns a handler of the same shape; members spanwise does not trace are kept as they are
 * @example
 * export default instrument({ async fetch(request: Request, env: Env) { return new Response("ok") } },
 *   (env: Env) => ({ serviceName: "chat", endpoint: env.OTLP_ENDPOINT }));
 */
export function instrument<Env, H extends WorkerHandler<Env>>(handler: H, options?: WorkersOptionsInput<Env>): H {
  const cache = createOptionsCache(options, "instrument()");
  const traced: Record<string, unknown> = {};
  if (typeof handler.fetch === "function") {
    traced.fetch = (request: Request, env: Env, ctx: ExecutionContext) => withSetup(cache, env, (s) => tracedFetch(s, handler, request, env, ctx));
  }
  if (typeof handler.scheduled === "function") {
    traced.scheduled = (controller: ScheduledController, env: Env, ctx: ExecutionContext) => {
      const cron = typeof controller?.cron === "string" ? controller.cron : "";
      const attributes: AttributeInput = { "faas.trigger": "timer" };
      if (cron !== "") attributes["faas.cron"] = cron;
      const time = new Date(typeof controller?.scheduledTime === "number" ? controller.scheduledTime : Number.NaN);
      if (!Number.isNaN(time.getTime())) attributes["faas.time"] = time.toISOString();
      return traceEvent(cache, env, ctx, cron !== "" ? `scheduled ${cron}` : "scheduled", "server", attributes, (c) => handler.scheduled?.(controller, env, c));
    };
  }
  if (typeof handler.queue === "function") {
    traced.queue = (batch: MessageBatch, env: Env, ctx: ExecutionContext) => {
      const queue = typeof batch?.queue === "string" ? batch.queue : "";
      const attributes: AttributeInput = {
        "faas.trigger": "pubsub",
        "messaging.system": "cloudflare_queues",
        "messaging.operation.type": "process",
        "messaging.operation.name": "process",
        "messaging.destination.name": queue,
        "messaging.batch.message_count": Array.isArray(batch?.messages) ? batch.messages.length : undefined,
      };
      return traceEvent(cache, env, ctx, `process ${queue}`, "consumer", attributes, (c) => handler.queue?.(batch, env, c));
    };
  }
  if (typeof handler.email === "function") {
    traced.email = (message: EmailMessage, env: Env, ctx: ExecutionContext) =>
      traceEvent(cache, env, ctx, "email", "server", { "faas.trigger": "other" }, (c) => handler.email?.(message, env, c));
  }
  if (typeof handler.tail === "function") {
    traced.tail = (events: readonly unknown[], env: Env, ctx: ExecutionContext) =>
      traceEvent(cache, env, ctx, "tail", "server", { "faas.trigger": "other", "cloudflare.tail.event_count": Array.isArray(events) ? events.length : undefined }, (c) =>
        handler.tail?.(events, env, c),
      );
  }
  // Everything else on the handler (and `this` inside it) stays as the user wrote it.
  return Object.assign(Object.create(Object.getPrototypeOf(handler) as object | null) as object, handler, traced) as H;
}

function withSetup<Env, R>(cache: OptionsCache<Env>, env: Env, run: (s: Setup) => R): R | Promise<R> {
  const ready = setup(cache, env);
  return ready instanceof Promise ? ready.then(run) : run(ready);
}

function tracedFetch<Env>(s: Setup, handler: WorkerHandler<Env>, request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
  const t = s.tracer;
  const call = (c: ExecutionContext) => (handler.fetch as NonNullable<WorkerHandler<Env>["fetch"]>).call(handler, request, env, c);
  if (t === undefined) return runUntraced(s, () => call(ctx));
  // An export of spanwise's (a Worker that receives its own) runs with tracing off, so nothing it
  // does is exported and comes back here, for ever.
  if (isExportRequest(request)) return t.storage.run(SUPPRESSED, () => call(ctx));
  let attributes: AttributeInput;
  let origin: string | undefined;
  try {
    ({ attributes, origin } = requestAttributes(request, s.settings.captureQueryString));
    attributes["faas.trigger"] = "http";
  } catch (err) {
    t.internalError("workers fetch", err);
    return call(ctx);
  }
  const { tracked, waits, waitUntil } = follow(ctx);
  const spec = {
    name: String(attributes["http.request.method"] === "_OTHER" ? "HTTP" : attributes["http.request.method"]),
    spanKind: "server" as SpanKind,
    attributes,
    parent: extractFrom(request.headers) ?? null,
    origin,
    http: true,
    waitUntil,
    waits,
  };
  return runEvent(t, s.settings, spec, () => call(tracked));
}

function traceEvent<Env, R>(cache: OptionsCache<Env>, env: Env, ctx: ExecutionContext, name: string, spanKind: SpanKind, attributes: AttributeInput, call: (ctx: ExecutionContext) => R): R | Promise<R> {
  return withSetup(cache, env, (s) => {
    const t = s.tracer;
    if (t === undefined) return runUntraced(s, () => call(ctx));
    const { tracked, waits, waitUntil } = follow(ctx);
    return runEvent(t, s.settings, { name, spanKind, attributes, waitUntil, waits }, () => call(tracked));
  });
}

/** The ctx to hand the handler, the list of its waitUntil work, and the platform's waitUntil. */
function follow(ctx: ExecutionContext): { tracked: ExecutionContext; waits: WaitList | undefined; waitUntil: ((p: Promise<unknown>) => void) | undefined } {
  if (ctx === null || typeof ctx !== "object" || typeof ctx.waitUntil !== "function") return { tracked: ctx, waits: undefined, waitUntil: undefined };
  const { ctx: tracked, waits } = trackWaitUntil(ctx);
  return { tracked, waits, waitUntil: (p) => ctx.waitUntil(p) };
}
