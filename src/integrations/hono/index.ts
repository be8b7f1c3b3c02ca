/**
 * spanwise for Hono, on every runtime Hono runs on: `app.use(tracing())` gives each request a
 * SERVER span named after its route, continuing the caller's W3C trace. Initialise spanwise
 * through your runtime's entry point (`spanwise/node`, `spanwise/workers`, ...) as usual.
 *
 * @module
 */
export { tracing } from "./tracing.js";
export type { HonoTracingOptions, TracingVariables } from "./tracing.js";
