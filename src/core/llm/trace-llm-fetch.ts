import { now } from "../clock.js";
import { G } from "../global.js";
import { cutString } from "../cut-string.js";
import { describeError } from "../describe-error.js";
import type { SpanRecord } from "../span.js";
import type { Tracer } from "../tracer.js";
import { type LLMEnd, type LLMResult, finishLLMSpan, startLLMSpan } from "./llm-span.js";
import { type ProviderAdapter, obj, parseJson, str } from "./provider-adapter.js";
import { claimLLMCall, isLLMCallClaimed, takeLLMClaim } from "./claimed-calls.js";
import { createSseSplitter } from "./sse-events.js";
import { failedEnding } from "./failed-ending.js";
import { isByteStream } from "../is-byte-stream.js";
import { endWhenCollected, forgetCollected } from "../end-when-collected.js";

type Fetch = typeof fetch;

/** Picks the adapter for a request URL, or undefined for requests that are not LLM calls. */
export type ProviderRoute = (url: URL) => ProviderAdapter | undefined;

/** Options of the traced LLM fetch. */
export interface LLMFetchOptions {
  /**
   * Ask OpenAI-style streams for usage (`stream_options.include_usage`) when the caller did
   * not, and remove the extra usage chunk before the caller sees the stream. Default true.
   */
  streamUsage?: boolean;
}

/**
 * Wraps a fetch so every request `route` recognises becomes an LLM span: request attributes
 * from the JSON body, response attributes from the JSON answer (read from a clone) or from the
 * SSE stream as it passes through. The caller receives the provider's status, headers and bytes.
 *
 * @param original - the fetch to wrap; called exactly once per call
 * @param route - recognises LLM endpoints and returns the adapter that reads them
 * @param options - `streamUsage`
 * @param clientTimeoutMs - for an SDK client's fetch: reads the client's `timeout`, so that an
 *   abort once it has passed is recorded as the timeout, not a cancel
 * @param takeClaims - whether a framework's pending claim on the next request for a model may
 *   be this one's (false for a client the user wrapped, which no framework's request goes through)
 * @returns the traced fetch
 * @example
 * import { llmRoute, traceLLMFetch } from "spanwise/llm";
 * const traced = traceLLMFetch(fetch, llmRoute(["openai"]));
 */
export function traceLLMFetch(original: Fetch, route: ProviderRoute, options: LLMFetchOptions = {}, clientTimeoutMs?: () => number | undefined, takeClaims = true): Fetch {
  const traced = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const t = G.tracer;
    if (t === undefined) return original(input, init);
    let span: SpanRecord | undefined;
    let adapter: ProviderAdapter | undefined;
    let args: [RequestInfo | URL, RequestInit | undefined] = [input, init];
    let injected = false;
    let run = (): Promise<Response> => original(args[0], args[1]);
    try {
      const ctx = t.storage.get();
      const body = typeof init?.body === "string" && String(init.method ?? "GET").toUpperCase() === "POST" && !ctx?.suppressed && !isLLMCallClaimed(ctx?.span) ? init.body : undefined;
      const url = body === undefined ? undefined : new URL(input instanceof Request ? input.url : String(input));
      adapter = url && route(url);
      const json = adapter && (parseJson(body as string) as Record<string, unknown> | undefined);
      const request = adapter && json && typeof json === "object" && !Array.isArray(json) ? adapter.parseRequest(json) : undefined;
      // A framework's claim on the next request for a model is its own request's: a client the
      // user wrapped (`takeClaims` false) is never the framework's, so it never takes one.
      if (adapter && json && request && !(takeClaims && takeLLMClaim(ctx, request.model))) {
        span = startLLMSpan(t, ctx, request);
        // Recommended by the GenAI conventions: where the call went (a gateway, a local server).
        span.setAttribute("server.address", (url as URL).hostname);
        span.setAttribute("server.port", Number((url as URL).port) || ((url as URL).protocol === "https:" ? 443 : 80));
        // A second traced fetch beneath this one (a wrapped client on a fetch that `init({ instrument })`
        // wrapped too) sees the same call: it is recorded once.
        claimLLMCall(span);
        const withUsage = options.streamUsage === false || hasContentLength(init?.headers) ? undefined : adapter.withUsage?.(json);
        if (withUsage) {
          args = [input, { ...init, body: JSON.stringify(withUsage) }];
          injected = true;
        }
        const inner = { ...ctx, span };
        run = () => t.storage.run(inner, () => original(args[0], args[1]));
      }
    } catch (err) {
      t.internalError("llm fetch", err);
      if (span !== undefined && span.endTime === 0) span.end();
      span = undefined;
      args = [input, init];
    }
    if (span === undefined || adapter === undefined) return original(input, init);
    const s = span;
    const a = adapter;
    const started = now();
    let pending: Promise<Response>;
    try {
      pending = run();
    } catch (err) {
      finishLLMSpan(t, s, { finishReasons: [], usage: {} }, { error: err });
      throw err;
    }
    return pending.then(
      (response) => {
        try {
          return follow(t, s, a, response, injected, started);
        } catch (err) {
          t.internalError("llm fetch", err);
          if (s.endTime === 0) s.end();
          return response;
        }
      },
      (err: unknown) => {
        finishLLMSpan(t, s, { finishReasons: [], usage: {} }, failedEnding(err, args[0], args[1], now() - started, clientTimeoutMs?.()));
        throw err;
      },
    );
  };
  return traced as Fetch;
}

function follow(t: Tracer, s: SpanRecord, a: ProviderAdapter, response: Response, injected: boolean, started: number): Response {
  s.setAttribute("http.response.status_code", response.status);
  if (!response.ok) {
    s.setAttribute("error.type", String(response.status));
    // The caller reads the original; the error text comes from a copy, and is small.
    response
      .clone()
      .text()
      .then(
        (text) => {
          const e = obj(obj(parseJson(text)).error);
          // A cut body is copied (see cutString), so the span does not keep the whole body alive.
          const message = str(e.message) ?? ((text.length > 512 ? cutString(text, 512) : text) || `HTTP ${response.status}`);
          s.recordException({ name: str(e.type) ?? `HTTP ${response.status}`, message });
          s.end();
        },
        () => finishLLMSpan(t, s, { finishReasons: [], usage: {} }, { error: new Error(`HTTP ${response.status}`) }),
      );
    return response;
  }
  const type = response.headers.get("content-type") ?? "";
  if (response.body !== null && type.includes("text/event-stream")) {
    const body = traceStream(t, s, a, response.body, injected, started);
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // The copy would report an empty url; the caller sees the one it asked for.
    if (response.url) Object.defineProperty(copy, "url", { value: response.url });
    return copy;
  }
  response
    .clone()
    .json()
    .then(
      (json: unknown) => finishLLMSpan(t, s, a.parseResponse(json)),
      // A body that is not JSON is no failure of the call; a timeout or an abort while reading it is.
      (err: unknown) => {
        const how = readEnding(err);
        finishLLMSpan(t, s, { finishReasons: [], usage: {} }, how.error === undefined ? how : {});
      },
    );
  return response;
}

/**
 * Passes an SSE body to the caller as it arrives while reading its events. Pulled only when the
 * caller reads (highWaterMark 0), so nothing is read ahead or held back; when spanwise injected
 * include_usage, events are emitted whole so the usage-only one can be left out. The span ends
 * when the body ends (with any error the events reported), fails, is cancelled, or is dropped
 * unfinished and collected.
 *
 * @param t - the tracer
 * @param s - the LLM span, ended by this stream
 * @param a - the adapter that reads the provider's events
 * @param source - the provider's body
 * @param injected - whether spanwise added include_usage (its extra chunk is left out)
 * @param started - when the request was sent, for time to first token
 * @returns the body to hand the caller
 * @example
 * const body = traceStream(t, span, openaiChat("openai"), response.body, false, now());
 */
export function traceStream(t: Tracer, s: SpanRecord, a: ProviderAdapter, source: ReadableStream<Uint8Array>, injected: boolean, started: number): ReadableStream<Uint8Array> {
  // A fetched body is a byte stream (but in Bun): the copy is one too, so BYOB readers still work.
  // Enqueueing into it moves a chunk's buffer, so the chunk is read before; nothing else holds it.
  const type = isByteStream(source) ? "bytes" : undefined;
  const reader = source.getReader();
  const sse = createSseSplitter();
  const acc = a.stream(injected);
  let firstToken: number | undefined;
  const end = (how: LLMEnd): void => {
    if (s.endTime !== 0) return;
    forgetCollected(s);
    let result: LLMResult = { finishReasons: [], usage: {} };
    try {
      result = acc.result();
    } catch (err) {
      t.internalError("llm stream", err);
    }
    // A client stops reading when the provider reports an error in the stream: that is the
    // provider's failure, not a cancel. Nor is a stream left after its finish reason and output
    // count arrived (Anthropic's message_delta, before message_stop): the generation was whole.
    const complete = result.finishReasons.length > 0 && result.usage.outputTokens !== undefined;
    const cancelled = how.cancelled === true && result.error === undefined && !complete;
    // A body that ends cleanly without its generation's end (no end marker, no finish reason, no
    // error: a proxy or the network cut it) is a failure, not a success priced at its input alone.
    if (how.done === true && result.error === undefined && result.finishReasons.length === 0 && result.ended !== true) result = { ...result, error: { name: "incomplete_stream", message: "the stream ended before the generation did (no finish reason)" } };
    finishLLMSpan(t, s, result, { ...how, cancelled, timeToFirstTokenMs: firstToken });
  };
  const take = (chunk: Uint8Array): Uint8Array[] => {
    const kept: Uint8Array[] = [];
    try {
      for (const e of sse.push(chunk)) {
        const r = acc.event(e.event, e.data);
        if (r.content && firstToken === undefined) firstToken = now() - started;
        if (!r.drop) kept.push(r.usageNull ? withoutUsageNull(e.raw) : e.raw);
      }
    } catch (err) {
      t.internalError("llm stream", err);
    }
    return kept;
  };
  // Typed as a default source: a byte stream's controller takes the same Uint8Arrays.
  const body = new ReadableStream<Uint8Array>(
    {
      type,
      async pull(controller: ReadableStreamDefaultController<Uint8Array>) {
        for (;;) {
          let r: Awaited<ReturnType<typeof reader.read>>;
          try {
            r = await reader.read();
          } catch (err) {
            end(readEnding(err));
            controller.error(err);
            return;
          }
          if (r.done) {
            const rest = sse.end();
            if (injected && rest.length > 0) controller.enqueue(rest);
            end({ done: true });
            controller.close();
            // A BYOB read waiting at the end is answered only once told that nothing was written.
            (controller as ReadableStreamController<Uint8Array> as ReadableByteStreamController).byobRequest?.respond(0);
            return;
          }
          const chunk = r.value;
          if (!injected) {
            take(chunk);
            controller.enqueue(chunk);
            return;
          }
          const kept = take(chunk);
          if (kept.length === 0) continue;
          controller.enqueue(kept.length === 1 ? (kept[0] as Uint8Array) : join(kept));
          return;
        }
      },
      cancel(reason: unknown) {
        end({ cancelled: true });
        return reader.cancel(reason);
      },
    } as UnderlyingDefaultSource<Uint8Array>,
    { highWaterMark: 0 },
  );
  // A stream the caller drops unread (an SDK stream never iterated) ends with what it received,
  // and its connection is let go.
  endWhenCollected(body, s, () => {
    end({ cancelled: true });
    reader.cancel().catch(() => {});
  });
  return body;
}

const USAGE_NULL = ',"usage":null';

/**
 * With include_usage, OpenAI adds `"usage":null` to every chunk. Inside a JSON string a quote
 * is escaped, so this text can only be that member; the event is rebuilt without it when what
 * remains parses to the same chunk, and left as it came otherwise.
 */
function withoutUsageNull(raw: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(raw);
  const at = text.lastIndexOf(USAGE_NULL);
  if (at < 0) return raw;
  const stripped = text.slice(0, at) + text.slice(at + USAGE_NULL.length);
  const data = (t: string): string => t.split(/\r\n|\r|\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
  const before = obj(parseJson(data(text)));
  const after = obj(parseJson(data(stripped)));
  if (!("usage" in before) || "usage" in after || Object.keys(after).length !== Object.keys(before).length - 1) return raw;
  return new TextEncoder().encode(stripped);
}

function join(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hasContentLength(headers: HeadersInit | undefined): boolean {
  try {
    return headers !== undefined && new Headers(headers).has("content-length");
  } catch {
    return true;
  }
}

/**
 * How a failure while reading an answer's body ends the span: an abort is the caller's cancel (an
 * SDK's timeout stops once the answer began); fetch's own timeout signal (a TimeoutError) and
 * anything else an error of its own type.
 */
function readEnding(err: unknown): LLMEnd {
  const type = describeError(err).type;
  return type === "AbortError" ? { cancelled: true } : { error: err, errorType: type };
}
