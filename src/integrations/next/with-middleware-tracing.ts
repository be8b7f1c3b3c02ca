import type { Context } from "../../core/context.js";
import { G } from "../../core/global.js";
import { injectInto } from "../../core/propagation.js";
import { traceRequest } from "../../runtimes/serve/trace-request.js";
import { flushAfter } from "./flush-after.js";

// How Next.js middleware hands changed request headers on (NextResponse.next({ request: { headers } })).
const OVERRIDE = "x-middleware-override-headers";
const REQUEST_HEADER = "x-middleware-request-";

/**
 * Wraps Next.js middleware in a SERVER span (`middleware GET`) that continues the caller's trace,
 * and hands that span on to the route handler as its parent, so middleware and handler make one
 * trace: when the request goes on (`NextResponse.next()`, a rewrite, or no response at all),
 * `traceparent`, `tracestate` and `baggage` are added to the request headers Next passes on. A
 * middleware that returns nothing gets the equivalent `NextResponse.next()`; any other result is
 * returned as it was. On the edge runtime the spans are exported through `event.waitUntil`.
 *
 * @param middleware - the middleware function
 * @returns the middleware, traced
 * @example
 * export const middleware = withMiddlewareTracing((request) => NextResponse.next());
 */
export function withMiddlewareTracing<Req extends Request, A extends unknown[], R>(middleware: (request: Req, ...args: A) => R): (request: Req, ...args: A) => R | Response {
  return function traced(request: Req, ...args: A): R | Response {
    const result = traceRequest(request, { followBody: () => false }, undefined, () => {
      // Held here, not looked up later: on the edge runtime the context is a synchronous stack,
      // gone once an async middleware has awaited.
      const ctx = G.tracer?.storage.get();
      ctx?.span?.updateName(`middleware ${request.method.toUpperCase()}`);
      const value = middleware(request, ...args);
      if (value instanceof Promise) return value.then((v: unknown) => forward(request, v, ctx));
      return forward(request, value, ctx);
    });
    flushAfter(args[0], result);
    return result as R | Response;
  };
}

/** The middleware's answer with the trace headers of its span added to the request Next passes on. */
function forward(request: Request, value: unknown, ctx: Context | undefined): unknown {
  try {
    const span = ctx?.span;
    if (span === undefined) return value;
    const trace = injectInto({} as Record<string, string>, span.spanContext(), ctx?.baggage);
    if (value === undefined || value === null) {
      // What NextResponse.next() builds; Next treats it exactly as "no response".
      const headers = new Headers({ "x-middleware-next": "1" });
      addRequestHeaders(headers, request, trace);
      return new Response(null, { headers });
    }
    if (!(value instanceof Response)) return value;
    const goesOn = value.headers.has("x-middleware-next") || value.headers.has("x-middleware-rewrite");
    if (goesOn) addRequestHeaders(value.headers, request, trace);
  } catch {
    // Immutable headers (a Response.redirect) do not go on to a handler anyway.
  }
  return value;
}

function addRequestHeaders(headers: Headers, request: Request, trace: Record<string, string>): void {
  const listed = headers.get(OVERRIDE);
  const names = listed === null ? [] : listed.split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (listed === null) {
    // Overriding replaces the whole set, so the request's own headers are listed too.
    for (const [name, value] of request.headers) {
      names.push(name);
      headers.set(`${REQUEST_HEADER}${name}`, value);
    }
  }
  for (const [name, value] of Object.entries(trace)) {
    if (!names.includes(name)) names.push(name);
    headers.set(`${REQUEST_HEADER}${name}`, value);
  }
  headers.set(OVERRIDE, names.join(","));
}
