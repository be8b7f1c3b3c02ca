import { type ServeTracingOptions, traceRequest } from "../serve/trace-request.js";

/** The part of Bun's `Server` spanwise reads: the client's address. */
interface BunServerLike {
  requestIP?(request: Request): { readonly address: string; readonly port: number } | null;
}

/** Media types whose bodies are sent as they are produced: LLM output, event streams. */
const STREAMED = /^(text\/event-stream|text\/plain|application\/(x-)?ndjson|application\/jsonl|application\/json-seq|multipart\/x-mixed-replace)\b/i;

/**
 * The type Bun gives a plain-text Blob or file (`.txt`, `.log`, `.conf`, `.ini`) as soon as the
 * Response is made, spelled so. Nothing else tells such a body from a stream without reading it,
 * and streamed text is spelled otherwise ("text/plain; charset=utf-8" by the AI SDK, or plain
 * "text/plain"); a stream given exactly this type ends its span at return instead.
 */
const BLOB_TEXT = "text/plain;charset=utf-8";

/**
 * Whether to keep the span open until the body has been sent. Following a body means passing it
 * through a stream of our own, and Bun then sends it chunked, without the Content-Length (and
 * the sendfile path) it gives a string, a JSON value or a `Bun.file`. So only bodies that look
 * streamed are followed: those with a streamed media type.
 */
function followBody(request: Request, response: Response): boolean {
  if (request.method === "HEAD") return false;
  const type = response.headers.get("content-type");
  // Bun gives a string or FormData body its content type only when sending it, so a missing type
  // says nothing about streaming: only an explicit streaming type is followed.
  return type !== null && type !== BLOB_TEXT && STREAMED.test(type);
}

/** Any fetch handler: what Bun passes after the request is left to the handler's own types. */
type FetchHandler = (request: Request, ...rest: never) => unknown;

/**
 * Traces a `Bun.serve` fetch handler: each request becomes a SERVER span that continues the
 * caller's trace (`traceparent`), is current for everything the handler awaits, and ends when
 * the response body has been sent, so a streamed body (SSE, NDJSON, plain text) keeps it open until its last chunk or until the client goes away (`spanwise.cancelled`);
 * JSON, HTML and file responses end it at return, so Bun still sends them with their length. `this` and the server argument are
 * passed through; a handler that upgrades to a WebSocket and returns nothing ends its span at once.
 *
 * @param fetch - the fetch handler you would give `Bun.serve`
 * @param options - `route(request)` to name spans by route template
 * @returns a handler of the same type
 * @example
 * import { init, withTracing } from "spanwise/bun";
 * init({ serviceName: "chat" });
 * Bun.serve({ fetch: withTracing(async (request) => new Response(await answer(request))) });
 */
export function withTracing<F>(fetch: F & FetchHandler, options?: ServeTracingOptions): F {
  // The type parameter is left unconstrained so Bun.serve's own types flow into the handler's
  // parameters (`server.upgrade`); the intersection still rejects anything but a function.
  const handler = fetch as unknown as (this: unknown, ...args: unknown[]) => unknown;
  return function traced(this: unknown, request: Request, ...rest: unknown[]): unknown {
    let peer: { address?: string; port?: number } | undefined;
    try {
      const ip = (rest[0] as BunServerLike | undefined)?.requestIP?.(request);
      if (ip) peer = { address: ip.address, port: ip.port };
    } catch {
      // No address: the span simply lacks it.
    }
    return traceRequest(request, { peer, followBody }, options, () => handler.call(this, request, ...rest));
  } as unknown as F;
}
