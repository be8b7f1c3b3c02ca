import type { Context } from "./context.js";
import { G } from "./global.js";
import { injectInto } from "./propagation.js";
import { redactUrl } from "./redact-url.js";
import { describeError } from "./describe-error.js";
import { endWithError } from "./settle.js";
import type { SpanRecord } from "./span.js";
import { HTTP_METHODS } from "./http-methods.js";
import { isPlainObject } from "./is-plain-object.js";
import { keepProperties } from "./keep-properties.js";

/**
 * Which outgoing requests receive `traceparent`: a list of origins (`https://api.example.com`),
 * host names (`api.internal`, `*.example.com`), regular expressions tested against the URL, or
 * `"*"`; the same origin is always included. A function decides alone.
 */
export type PropagateTo = readonly (string | RegExp)[] | ((url: URL) => boolean);

/** Options of `instrumentFetch`. */
export interface FetchInstrumentationOptions {
  /** Where trace headers may go. Default: the same origin only, so trace ids never leak to third parties. */
  propagateTo?: PropagateTo;
  /** The origin that counts as "same origin" at the time of a call. Default: `globalThis.location?.origin`. */
  origin?: () => string | undefined;
  /** Record query values in `url.full`. Default false: each value is replaced by `REDACTED`. */
  captureQueryString?: boolean;
}

type Fetch = typeof fetch;

const ORIGINAL = Symbol.for("spanwise.fetch.original");
/**
 * Makes every `globalThis.fetch` call a CLIENT span under the current span, and injects
 * `traceparent` (and `tracestate`, `baggage`) for the destinations `propagateTo` allows. The
 * request body is never read, the response and errors pass through untouched, and the SDK's own
 * export requests (run with tracing suppressed) are never traced. Installing twice is harmless.
 *
 * @param options - `propagateTo`, `origin`, `captureQueryString`
 * @returns a function that restores the previous `fetch`
 * @example
 * const restore = instrumentFetch({ propagateTo: ["https://api.internal.example"] });
 */
export function instrumentFetch(options: FetchInstrumentationOptions = {}): () => void {
  const current = globalThis.fetch as Fetch & { [ORIGINAL]?: Fetch };
  if (typeof current !== "function" || current[ORIGINAL] !== undefined) return () => {};
  const wrapped = keepProperties(wrapFetch(current, options), current);
  globalThis.fetch = wrapped;
  return () => {
    if (globalThis.fetch === wrapped) globalThis.fetch = current;
  };
}

/**
 * The `fetch` as it was before `instrumentFetch`, for requests that must never be traced.
 *
 * @returns the untraced fetch
 * @example
 * createOtlpHttpExporter({ endpoint, fetch: uninstrumentedFetch() });
 */
export function uninstrumentedFetch(): Fetch {
  const current = globalThis.fetch as Fetch & { [ORIGINAL]?: Fetch };
  return current[ORIGINAL] ?? current;
}

/**
 * Wraps one fetch-like function (a global `fetch`, a Durable Object stub's `fetch`) so each call
 * is a CLIENT span, with trace headers for the destinations `propagateTo` allows.
 *
 * @param original - the function to wrap; called exactly once per call, with `this` undefined
 * @param options - `propagateTo`, `origin`, `captureQueryString`
 * @returns the traced function
 * @example
 * const traced = wrapFetch((input, init) => stub.fetch(input, init), { propagateTo: () => true });
 */
export function wrapFetch(original: Fetch, options: FetchInstrumentationOptions): Fetch {
  const keepQuery = options.captureQueryString === true;
  const origin = options.origin ?? (() => (globalThis as { location?: { origin?: string } }).location?.origin);
  const traced = function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> | Response {
    const t = G.tracer;
    if (t === undefined) return original(input, init);
    let span: SpanRecord | undefined;
    let args: [RequestInfo | URL, RequestInit | undefined] = [input, init];
    try {
      const ctx = t.storage.get();
      const request = typeof Request === "function" && input instanceof Request ? input : undefined;
      // A URL that fetch itself would reject is the caller's error, left untraced.
      const url = ctx?.suppressed ? undefined : parseUrl(request ? request.url : input);
      if (url !== undefined) {
        const rawMethod = String(init?.method ?? request?.method ?? "GET").toUpperCase();
        const method = HTTP_METHODS.has(rawMethod) ? rawMethod : "_OTHER";
        span = t.start(method === "_OTHER" ? "HTTP" : method, "span", "client", undefined, ctx, ctx?.scope);
        span.setAttribute("http.request.method", method);
        if (method === "_OTHER") span.setAttribute("http.request.method_original", rawMethod);
        span.setAttribute("url.full", redactUrl(url, keepQuery));
        // data:, blob: and file: URLs name no server.
        if (url.hostname !== "") {
          span.setAttribute("server.address", url.hostname);
          const port = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : url.protocol === "http:" ? 80 : undefined;
          if (port !== undefined) span.setAttribute("server.port", port);
        }
        if (allowed(url, options.propagateTo, origin)) args = withTraceHeaders(input, request, init, span, ctx);
      }
    } catch (err) {
      t.internalError("fetch", err);
      if (span !== undefined && span.endTime === 0) span.end();
      span = undefined;
      args = [input, init];
    }
    // Outside the try: the caller's fetch runs exactly once, and its errors are its own.
    if (span === undefined) return original(input, init);
    const s = span;
    const failed = (err: unknown): never => {
      s.setAttribute("error.type", describeError(err).type);
      endWithError(s, err);
      throw err;
    };
    const answered = (response: Response): Response => {
      try {
        // A stub may answer something else than a Response (undefined): its span ends all the same.
        const status = (response as Partial<Response> | undefined)?.status;
        if (typeof status === "number") {
          s.setAttribute("http.response.status_code", status);
          // HTTP client spans: a 4xx or 5xx answer is an error (semantic conventions, HTTP spans).
          if (status >= 400) {
            s.setAttribute("error.type", String(status));
            s.setStatus("error");
          }
        }
        s.end();
      } catch (err) {
        t.internalError("fetch", err);
        if (s.endTime === 0) s.end();
      }
      return response;
    };
    let pending: Promise<Response>;
    try {
      pending = original(args[0], args[1]);
    } catch (err) {
      return failed(err);
    }
    // A fetch that answers synchronously (a test stub's `() => new Response("stub")`): returned as it is.
    return typeof (pending as Partial<Promise<Response>> | null)?.then === "function" ? pending.then(answered, failed) : answered(pending as unknown as Response);
  };
  Object.defineProperty(traced, ORIGINAL, { value: original });
  return traced as Fetch;
}

/** The call's arguments with trace headers added, or unchanged where adding them is not safe. */
function withTraceHeaders(input: RequestInfo | URL, request: Request | undefined, init: RequestInit | undefined, span: SpanRecord, ctx: Context | undefined): [RequestInfo | URL, RequestInit | undefined] {
  // Only a plain init object can be copied without losing what its getters hold.
  if (init !== undefined && !isPlainObject(init)) return [input, init];
  let headers: Headers;
  try {
    headers = new Headers(init?.headers ?? request?.headers);
  } catch {
    // Headers fetch itself rejects (a value with a line break): the caller's error, fetch's to report.
    return [input, init];
  }
  // A traceparent the caller set on purpose wins.
  if (headers.has("traceparent")) return [input, init];
  injectInto(headers, span.spanContext(), ctx?.baggage);
  return [input, { ...init, headers }];
}

function allowed(url: URL, rule: PropagateTo | undefined, origin: () => string | undefined): boolean {
  if (typeof rule === "function") {
    try {
      return rule(url) === true;
    } catch {
      return false;
    }
  }
  if (url.origin === origin()) return true;
  for (const entry of rule ?? []) {
    if (entry instanceof RegExp) {
      entry.lastIndex = 0;
      if (entry.test(url.href)) return true;
    } else if (entry === "*") {
      return true;
    } else if (entry.includes("://")) {
      if (safeOrigin(entry) === url.origin) return true;
    } else if (entry.startsWith("*.")) {
      if (url.hostname.endsWith(entry.slice(1))) return true;
    } else if (entry === url.hostname || entry === url.host) {
      return true;
    }
  }
  return false;
}

function parseUrl(input: unknown): URL | undefined {
  try {
    // A relative URL resolves as fetch resolves it: against `location` where there is one (Deno
    // run with --location); elsewhere fetch rejects it, and it is left untraced.
    return new URL(input instanceof URL ? input.href : String(input), (globalThis as { location?: { href?: string } }).location?.href);
  } catch {
    return undefined;
  }
}

function safeOrigin(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}
