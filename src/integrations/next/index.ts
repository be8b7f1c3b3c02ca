/**
 * spanwise for Next.js App Router: `withTracing(handler)` for route handlers and
 * `withMiddlewareTracing(middleware)` for middleware, on the nodejs and edge runtimes. A request
 * that passes through both yields one trace. Initialise spanwise as usual (`init()` from
 * `spanwise`, in `instrumentation.ts` or at the top of the route module).
 *
 * @module
 */
export { withTracing } from "./with-tracing.js";
export type { NextTracingOptions } from "./with-tracing.js";
export { withMiddlewareTracing } from "./with-middleware-tracing.js";
