import { traceRequest } from "../../runtimes/serve/trace-request.js";
import { isStreamingResponse } from "../../core/is-streaming-response.js";
import { flushAfter } from "./flush-after.js";
import { nextControlFlow } from "./next-control-flow.js";

// Only a streamed body keeps the span open (as for Hono): any other Response is handed back as
// it was, so a sized body keeps its length and the caller its object.
const REQUEST_INFO = { followBody: (_request: Request, response: Response) => isStreamingResponse(response), controlFlow: nextControlFlow };

/** Options of `withTracing` for Next.js route handlers. */
export interface NextTracingOptions {
  /**
   * The route's pattern as its folder names it (`/api/chat/[id]`): it becomes `http.route` and
   * the span name (`GET /api/chat/[id]`). Without it the span is named by the method alone.
   */
  route?: string;
}

/**
 * Wraps an App Router route handler (nodejs or edge runtime) in a SERVER span that continues the
 * caller's trace, or the trace of `withMiddlewareTracing` when the request passed through it. The
 * span records the status and a thrown error, follows a streamed body to its end, and is current
 * for the handler, so its spans and outgoing calls belong to the trace. Next's control-flow errors
 * (`redirect()`, `notFound()`, `forbidden()`, `unauthorized()`) record the status they stand for,
 * not an error; they and Next's dynamic-rendering signals are rethrown untouched. On the edge
 * runtime the spans are exported after the response (Next's `after()`).
 *
 * @param handler - the route handler (`GET`, `POST`, ...)
 * @param options - `route`
 * @returns the handler, traced; its result and errors pass through untouched
 * @example
 * export const GET = withTracing(async (request) => Response.json(await answer(request)), { route: "/api/answer" });
 */
export function withTracing<Req extends Request, A extends unknown[], R extends Response | Promise<Response>>(handler: (request: Req, ...args: A) => R, options: NextTracingOptions = {}): (request: Req, ...args: A) => R {
  const route = typeof options.route === "string" && options.route !== "" ? options.route : undefined;
  return function traced(request: Req, ...args: A): R {
    const result = traceRequest(request, REQUEST_INFO, { route: route === undefined ? undefined : () => route }, () => handler(request, ...args));
    flushAfter(undefined);
    return result;
  };
}
