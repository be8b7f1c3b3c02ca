import { type ServeTracingOptions, traceRequest } from "../serve/trace-request.js";

/** What `Deno.serve` passes a handler besides the request (the parts spanwise reads). */
interface DenoServeInfo {
  readonly remoteAddr?: { readonly hostname?: unknown; readonly port?: unknown };
  /** Settles once the response, body included, has been sent or the client went away. */
  readonly completed?: Promise<unknown>;
}

/** Any request handler: what Deno passes after the request is left to the handler's own types. */
type Handler = (request: Request, ...rest: never) => unknown;

/**
 * Traces a `Deno.serve` handler: each request becomes a SERVER span that continues the caller's
 * trace (`traceparent`), is current for everything the handler awaits, and ends once the
 * response has been sent, so a streamed body keeps it open until its last chunk or until the
 * client goes away. The response itself is passed through untouched.
 *
 * @param handler - the request handler you would give `Deno.serve`
 * @param options - `route(request)` to name spans by route template
 * @returns a handler of the same type
 * @example
 * import { init, withTracing } from "spanwise/deno";
 * init({ serviceName: "chat" });
 * Deno.serve(withTracing(async (request) => new Response(await answer(request))));
 */
export function withTracing<H>(handler: H & Handler, options?: ServeTracingOptions): H {
  // The type parameter is left unconstrained so Deno.serve's own types flow into the handler's
  // parameters (`info.remoteAddr`); the intersection still rejects anything but a function.
  const call = handler as unknown as (this: unknown, ...args: unknown[]) => unknown;
  return function traced(this: unknown, request: Request, ...rest: unknown[]): unknown {
    let peer: { address?: string; port?: number } | undefined;
    let completed: Promise<unknown> | undefined;
    try {
      const info = rest[0] as DenoServeInfo | undefined;
      const addr = info?.remoteAddr;
      if (typeof addr?.hostname === "string") peer = { address: addr.hostname, port: typeof addr.port === "number" ? addr.port : undefined };
      if (typeof info?.completed?.then === "function") completed = info.completed;
    } catch {
      // An odd info object costs attributes, not the request.
    }
    return traceRequest(request, { peer, completed }, options, () => call.call(this, request, ...rest));
  } as unknown as H;
}
