import type { Context as HonoContext, MiddlewareHandler } from "hono";
import { type Context, SUPPRESSED } from "../../core/context.js";
import { describeError } from "../../core/describe-error.js";
import { G } from "../../core/global.js";
import { HTTP_METHODS } from "../../core/http-methods.js";
import { httpServerAttributes } from "../../core/http-server-attributes.js";
import { NOOP_SPAN } from "../../core/noop-span.js";
import { isExportRequest } from "../../core/export-request.js";
import { extractFrom } from "../../core/propagation.js";
import { settle } from "../../core/settle.js";
import type { Span } from "../../core/span-types.js";
import type { SpanRecord } from "../../core/span.js";
import { isStreamingResponse } from "../../core/is-streaming-response.js";

/** Options of the Hono `tracing` middleware. */
export interface HonoTracingOptions {
  /** Requests to leave untraced (health checks, static files). */
  ignore?: (request: Request) => boolean;
}

/** What the middleware adds to the context: `c.get("span")` is the request's SERVER span. */
export interface TracingVariables {
  span: Span;
}

/**
 * Hono middleware: one SERVER span per request, named `METHOD /route/:pattern` after the route
 * that answered, continuing the caller's trace (`traceparent`, `tracestate`, `baggage`). It
 * records the status, errors thrown by handlers and `HTTPException`s, keeps the span open until a
 * streamed body has been sent, and makes the span current for handlers (`c.get("span")`). Under a
 * runtime wrapper that already opened the request's SERVER span (spanwise/workers `instrument`,
 * `withTracing` for Deno and Bun), it names and annotates that span instead of nesting a second.
 *
 * @param options - `ignore`
 * @returns the middleware; register it first, with `app.use(tracing())`
 * @example
 * const app = new Hono<{ Variables: TracingVariables }>();
 * app.use(tracing());
 * app.get("/chat/:id", (c) => { c.get("span").setAttribute("chat.id", c.req.param("id")); return c.text("ok"); });
 */
export function tracing(options: HonoTracingOptions = {}): MiddlewareHandler<{ Variables: TracingVariables }> {
  return async function spanwiseTracing(c, next) {
    const t = G.tracer;
    let span: SpanRecord | undefined;
    let ctx: Context | undefined;
    let owned = false;
    let index = -1;
    // An export of spanwise's (to a collector in this app) runs with tracing off, so nothing it
    // does is exported and comes back here, for ever.
    if (t !== undefined && isExportRequest(c.req.raw)) {
      c.set("span", NOOP_SPAN);
      return t.storage.run(SUPPRESSED, next);
    }
    try {
      const current = t?.storage.get();
      if (t !== undefined && current?.suppressed !== true && options.ignore?.(c.req.raw) !== true) {
        index = c.req.routeIndex;
        if (current?.span !== undefined && current.span.kind === "server" && current.span.endTime === 0) {
          span = current.span;
        } else {
          const remote = extractFrom(c.req.raw.headers);
          const method = c.req.method.toUpperCase();
          // A new trace unless the caller sent one: whatever context started the server is not the parent.
          span = t.start(HTTP_METHODS.has(method) ? method : "HTTP", "span", "server", remote ?? null, undefined, undefined);
          span.setAttributes(httpServerAttributes(c.req.raw));
          ctx = { span, baggage: remote?.baggage };
          owned = true;
        }
      }
    } catch (err) {
      t?.internalError("hono", err);
      span = undefined;
    }
    c.set("span", span ?? NOOP_SPAN);
    if (span === undefined || t === undefined) return next();
    const s = span;
    try {
      await (ctx === undefined ? next() : t.storage.run(ctx, next));
    } catch (err) {
      // Only without an error handler (a sub-app): Hono's own catches handler errors first.
      s.recordException(err);
      if (owned) s.end();
      throw err;
    }
    try {
      finish(c, s, index);
      if (!owned) return;
      const response = c.res;
      // A HEAD response's body is never sent, so never read: following it would leave the span open.
      if (ctx !== undefined && c.req.method.toUpperCase() !== "HEAD" && isStreamingResponse(response)) {
        // Replace, not merge: assigning over an existing response would copy its headers again.
        const followed = settle(t, s, ctx, response, false);
        c.res = undefined;
        c.res = followed;
        return;
      }
      s.end();
    } catch (err) {
      t.internalError("hono", err);
      if (owned && s.endTime === 0) s.end();
    }
  };
}

function finish(c: HonoContext, span: SpanRecord, index: number): void {
  const method = c.req.method.toUpperCase();
  const status = c.res.status;
  const route = matchedRoute(c.req.matchedRoutes, c.req.routeIndex, index, status);
  if (route !== undefined) {
    // An unknown method is named HTTP (OpenTelemetry HTTP conventions), still with its route.
    span.updateName(`${HTTP_METHODS.has(method) ? method : "HTTP"} ${route}`);
    span.setAttribute("http.route", route);
  }
  span.setAttribute("http.response.status_code", status);
  const error: unknown = c.error;
  // Server spans: 5xx is an error, 4xx is the client's (OpenTelemetry HTTP conventions); an
  // HTTPException's status decides the same way, and a 4xx one is kept as an event only.
  if (error !== undefined && status >= 500) span.recordException(error);
  else if (error !== undefined) {
    const { type, message } = describeError(error);
    span.addEvent("exception", { "exception.type": type, "exception.message": message });
  }
  if (status >= 500) {
    span.setAttribute("error.type", error !== undefined ? describeError(error).type : String(status));
    // Kept: the description recordException gave the status (the exception's message).
    span.setStatus("error", span.statusMessage);
  }
}

/** A route Hono matched, as `c.req.matchedRoutes` lists them: `use()` registers with method ALL. */
interface MatchedRoute {
  path: string;
  method: string;
  handler: unknown;
}

/**
 * The route template that answered, or that would have had a `use()` middleware not answered
 * first (an auth check's 401): the handler that ran last, or else the first route matched after
 * it. Hono does not mark `use()`; like its own route helpers, a method-ALL handler that takes
 * `next` is taken for middleware. With no route after it, the method-ALL handler that answered
 * is named by its path (a `mount()`ed app, `/legacy/*`), except for Hono's 404 after middleware
 * that let the request through, and a catch-all `/*`.
 */
function matchedRoute(routes: readonly MatchedRoute[], last: number, self: number, status: number): string | undefined {
  const from = Math.max(last, self + 1);
  for (let i = from; i < routes.length; i++) {
    const route = routes[i]!;
    if (!isMiddleware(route)) return route.path;
  }
  // No route after it: the handler that ran last answered itself, unless the answer is Hono's
  // 404 after a middleware that let the request through. A mounted app (`mount()`, a method-ALL
  // handler taking `next`) is named by its path; a catch-all (`/*`) names nothing.
  const answered = routes[from];
  return answered !== undefined && from === last && status !== 404 && !/^\/?\*$/.test(answered.path) ? answered.path : undefined;
}

function isMiddleware(route: MatchedRoute): boolean {
  if (route.method !== "ALL") return false;
  // A sub-app with its own error handler wraps each of its handlers (hono's COMPOSED_HANDLER).
  const handler = (route.handler as { __COMPOSED_HANDLER?: unknown }).__COMPOSED_HANDLER ?? route.handler;
  return typeof handler === "function" && handler.length >= 2;
}
