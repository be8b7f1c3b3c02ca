import type { AttributeInput } from "../../core/attributes.js";
import { type Context, SUPPRESSED } from "../../core/context.js";
import { describeError } from "../../core/describe-error.js";
import { G } from "../../core/global.js";
import { HTTP_METHODS } from "../../core/http-methods.js";
import { httpServerAttributes } from "../../core/http-server-attributes.js";
import { isExportRequest } from "../../core/export-request.js";
import { extractFrom } from "../../core/propagation.js";
import { endWithError, settle } from "../../core/settle.js";
import type { SpanRecord } from "../../core/span.js";
import type { Tracer } from "../../core/tracer.js";

/** Options of `withTracing` for `Deno.serve` and `Bun.serve`. */
export interface ServeTracingOptions {
  /**
   * The route template a request matched (`/users/:id`), if your router knows it: it becomes
   * `http.route` and the span name (`GET /users/:id`). Without it the span is named by the method
   * alone, as OpenTelemetry's HTTP conventions ask, so paths with ids do not explode the names.
   */
  route?: (request: Request) => string | undefined;
}

/** What the runtime knows about a request beyond the Request itself. */
export interface ServerRequestInfo {
  /** The socket's peer. */
  peer?: { address?: string | undefined; port?: number | undefined } | undefined;
  /** Settles once the response has been sent (Deno's `info.completed`); the span ends then. */
  completed?: Promise<unknown> | undefined;
  /** Without `completed`: whether to keep the span open until this response's body is sent. Default: yes. */
  followBody?: ((request: Request, response: Response) => boolean) | undefined;
  /**
   * Recognises errors the framework answers with a response rather than a failure (Next's
   * `redirect()`, `notFound()`): their status is recorded, and the span is an error only at 5xx.
   */
  controlFlow?: ((error: unknown) => { status: number | undefined } | undefined) | undefined;
}

/**
 * Runs a server's request handler inside a SERVER span that continues the caller's trace
 * (`traceparent`, `tracestate`, `baggage`). The span ends when the response has been sent: at
 * `info.completed` where the runtime has it, otherwise when a streamed body has been read to its
 * end or cancelled. The handler's result and errors pass through; `call` runs exactly once.
 */
export function traceRequest<R>(request: Request, info: ServerRequestInfo, options: ServeTracingOptions | undefined, call: () => R): R {
  const t = G.tracer;
  if (t === undefined) return call();
  // An export of spanwise's (to a collector in this process) runs with tracing off, so nothing it
  // does is exported and comes back here, for ever.
  if (isExportRequest(request)) return t.storage.run(SUPPRESSED, call);
  let span: SpanRecord | undefined;
  let ctx: Context | undefined;
  try {
    // The SDK's own export requests, where the suppressed context reaches the handler, are never traced.
    if (t.storage.get()?.suppressed !== true) {
      const remote = extractFrom(request.headers);
      const route = options?.route?.(request);
      const method = request.method.toUpperCase();
      const known = HTTP_METHODS.has(method);
      const attributes: AttributeInput = {
        ...httpServerAttributes(request),
        "http.route": route,
        "client.address": info.peer?.address,
        "network.peer.address": info.peer?.address,
        "network.peer.port": info.peer?.port,
      };
      // A new trace unless the caller sent one: the context that called serve() is not the parent.
      // An unknown method is named HTTP (OpenTelemetry HTTP conventions), still with its route.
      const verb = known ? method : "HTTP";
      span = t.start(route ? `${verb} ${route}` : verb, "span", "server", remote ?? null, undefined, undefined);
      span.setAttributes(attributes);
      ctx = { span, baggage: remote?.baggage };
      watchCompletion(span, info.completed);
    }
  } catch (err) {
    t.internalError("serve", err);
    span = undefined;
  }
  if (span === undefined || ctx === undefined) return call();
  const s = span;
  const c = ctx;
  let result: R;
  try {
    result = t.storage.run(c, call);
  } catch (err) {
    endThrown(s, err, info);
    throw err;
  }
  if (result instanceof Promise || (result !== null && typeof (result as { then?: unknown })?.then === "function")) {
    // The server awaits whatever the handler returns; awaiting it here as well changes nothing.
    return Promise.resolve(result).then(
      (response) => onResponse(t, s, c, request, response, info),
      (err: unknown) => {
        endThrown(s, err, info);
        throw err;
      },
    ) as R;
  }
  return onResponse(t, s, c, request, result, info);
}

/** Ends the span of a handler that threw; the error itself goes on to the server untouched. */
function endThrown(span: SpanRecord, err: unknown, info: ServerRequestInfo): void {
  try {
    const flow = info.controlFlow?.(err);
    if (flow !== undefined) {
      const status = flow.status;
      if (status !== undefined) span.setAttribute("http.response.status_code", status);
      if (status === undefined || status < 500) {
        span.end();
        return;
      }
      span.setAttribute("error.type", String(status));
    } else {
      span.setAttribute("error.type", describeError(err).type);
    }
  } catch {
    // The error is recorded below regardless.
  }
  endWithError(span, err);
}

function watchCompletion(span: SpanRecord, completed: Promise<unknown> | undefined): void {
  if (completed === undefined || typeof completed.then !== "function") return;
  completed.then(
    () => span.end(),
    () => {
      // The client went away before the whole response was sent.
      if (span.endTime === 0) span.setAttribute("spanwise.cancelled", true);
      span.end();
    },
  );
}

function onResponse<T>(t: Tracer, span: SpanRecord, ctx: Context, request: Request, response: T, info: ServerRequestInfo): T {
  try {
    if (response instanceof Response) {
      span.setAttribute("http.response.status_code", response.status);
      // Server spans: 5xx is an error, 4xx is the client's (OpenTelemetry HTTP conventions). An
      // error.type already set (Hono's tracing(), the exception's type) says more than the status.
      if (response.status >= 500) {
        if (!span.hasAttribute("error.type")) span.setAttribute("error.type", String(response.status));
        // Kept: a description already given (the exception Hono's tracing() recorded).
        span.setStatus("error", span.statusMessage);
      }
      if (info.completed !== undefined) return response;
      // No completion signal: the span follows the body, ending when it is read or cancelled.
      // A HEAD response's body is never sent, so never read: following it would leave the span open.
      // Asked first: in Bun, even reading `.body` turns a file or string body into a stream.
      if (request.method.toUpperCase() !== "HEAD" && (info.followBody?.(request, response) ?? true) && response.body !== null) return settle(t, span, ctx, response, false);
    } else if (response === undefined && /websocket/i.test(request.headers.get("upgrade") ?? "")) {
      // Bun's WebSocket upgrade: `if (server.upgrade(req)) return;` answers 101 Switching Protocols.
      span.setAttribute("http.response.status_code", 101);
    } else {
      // Not a Response: the runtime answers, not the handler (Bun with a page of its own, 200 or
      // 204; Deno through onError, or not at all once the request's headers were read).
      span.setAttribute("error.type", "not_a_response");
      span.setStatus("error");
      if (info.completed !== undefined) return response;
    }
    span.end();
  } catch (err) {
    t.internalError("serve", err);
    if (span.endTime === 0) span.end();
  }
  return response;
}
