import type { Context } from "./context.js";
import { G } from "./global.js";
import { endWhenCollected, forgetCollected } from "./end-when-collected.js";
import { isByteStream } from "./is-byte-stream.js";
import { isStreamingResponse } from "./is-streaming-response.js";
import { setIO } from "./llm/attributes.js";
import type { SpanRecord } from "./span.js";
import type { Tracer } from "./tracer.js";

/** How a traced call's result is finished: whether to record it as output.value. */
type Capture = boolean;

/**
 * Ends `span` when `result` is done: at once for plain values, on settle for promises, at the
 * end of iteration for generators, when the body is read or cancelled for streams and Responses;
 * a generator or stream the caller drops unfinished ends it once it has been garbage-collected.
 * The value (or error) the caller receives is the one the function produced.
 */
export function settle<T>(t: Tracer, span: SpanRecord, ctx: Context, result: T, capture: Capture): T {
  try {
    if (result instanceof Promise) {
      if (result.constructor === Promise) {
        const followed = result.then(
          (value) => finishValue(t, span, value, capture),
          (err) => {
            endWithError(span, err);
            throw err;
          },
        );
        // Properties set on the promise itself (promisify(exec)'s `child`) come along; for-in
        // finds none on almost every promise without allocating.
        for (const _ in result) {
          Object.defineProperties(followed, Object.getOwnPropertyDescriptors(result));
          break;
        }
        return followed as T;
      }
      if (G.runtime?.isLazy?.(result) === true) return lazy(span, result);
      // A Promise subclass (an SDK's APIPromise with .withResponse()): follow it on a side
      // branch and hand back the very same object, so its extra methods stay reachable.
      result.then(
        (value) => finish(t, span, value, capture),
        (err) => endWithError(span, err),
      );
      return result;
    }
    if (result !== null && typeof result === "object") {
      const tag = Object.prototype.toString.call(result);
      if (tag === "[object Generator]") return wrapGenerator(t, span, ctx, result as unknown as Generator, capture) as T;
      if (tag === "[object AsyncGenerator]") return wrapAsyncGenerator(t, span, ctx, result as unknown as AsyncGenerator, capture) as T;
      if (typeof (result as { then?: unknown }).then === "function") {
        return lazy(span, result);
      }
    }
    return finishValue(t, span, result, capture);
  } catch (err) {
    t.internalError("observe", err);
    if (span.endTime === 0) span.end();
    return result;
  }
}

/**
 * A lazy thenable (a query builder) runs its work on every then(): calling it ourselves could run
 * it twice, or when the caller never meant to. The span covers the call only.
 */
function lazy<T>(span: SpanRecord, result: T): T {
  span.setAttribute("spanwise.lazy_result", true);
  span.end();
  return result;
}

/** Records a thrown value as an exception event and ends the span. Never throws. */
export function endWithError(span: SpanRecord, err: unknown): void {
  try {
    span.recordException(err);
  } finally {
    span.end();
  }
}

function finish(t: Tracer, span: SpanRecord, value: unknown, capture: Capture): void {
  if (capture && value !== undefined) setIO(span, "output", value, t.limits.captureLength);
  span.end();
}

function finishValue<T>(t: Tracer, span: SpanRecord, value: T, capture: Capture): T {
  try {
    // Fast path: primitives and undefined cannot be streams (global lookups cost on the hot path).
    if (value === null || typeof value !== "object") {
      finish(t, span, value, capture);
      return value;
    }
    if (typeof ReadableStream !== "undefined" && value instanceof ReadableStream) return wrapStream(t, span, value, capture) as T;
    // Only a streamed body (an event stream, the function's own ReadableStream) is followed: a
    // sized one (a string, a buffer, a fetched reply with its length) ends the span now, goes out
    // with its length, and loses no span when the caller never reads it.
    if (typeof Response !== "undefined" && value instanceof Response) {
      if (!value.bodyUsed && isStreamingResponse(value)) {
        const rebuilt = rebuildResponse(t, span, value);
        if (rebuilt !== undefined) return rebuilt as T;
      }
      // Its status says what the call answered; as JSON a Response is an empty "{}".
      span.setAttribute("http.response.status_code", value.status);
      span.end();
      return value;
    }
    finish(t, span, value, capture);
  } catch (err) {
    t.internalError("observe", err);
    if (span.endTime === 0) span.end();
  }
  return value;
}

/**
 * The Response again, with a body that ends the span when it has been read or cancelled. A
 * subclass (NextResponse, which rebuilds its cookies from the headers) is made again with its own
 * constructor; undefined, with the body untouched, when that constructor does not take a body and
 * an init as Response does.
 */
function rebuildResponse(t: Tracer, span: SpanRecord, value: Response): Response | undefined {
  const make = (Object.getPrototypeOf(value) as { constructor?: unknown }).constructor;
  if (typeof make !== "function" || (make as { prototype?: unknown }).prototype !== Object.getPrototypeOf(value)) return undefined;
  const followed = wrapStream(t, span, value.body!, false, true);
  let rebuilt: unknown;
  try {
    rebuilt = new (make as new (body: ReadableStream, init: ResponseInit) => unknown)(followed, { status: value.status, statusText: value.statusText, headers: value.headers });
  } catch {
    return undefined;
  }
  // A subclass whose constructor makes a body of its own from its arguments (a JSON response
  // class) would answer with that instead: it is handed back as it was.
  if (!(rebuilt instanceof Response) || rebuilt.status !== value.status || rebuilt.body === null || (make !== Response && rebuilt.body !== followed)) return undefined;
  // A fetched Response's url, redirected and type are not init fields: the copy reports the
  // original's. Properties set on the Response itself come along too.
  for (const key of FETCH_FIELDS) if (rebuilt[key] !== value[key]) Object.defineProperty(rebuilt, key, { value: value[key], configurable: true });
  for (const key of Object.keys(value)) if (!(key in rebuilt)) (rebuilt as unknown as Record<string, unknown>)[key] = (value as unknown as Record<string, unknown>)[key];
  span.setAttribute("http.response.status_code", value.status);
  return rebuilt;
}

const FETCH_FIELDS = ["url", "redirected", "type"] as const;
const utf8 = /* @__PURE__ */ new TextEncoder();

function wrapStream(t: Tracer, span: SpanRecord, source: ReadableStream, capture: Capture, lazy = false): ReadableStream {
  // Asked before the source is locked; see the ReadableStream below.
  const type = isByteStream(source) ? "bytes" : undefined;
  // Lazily: the source is locked at the first read, so whoever fails to take the wrapper leaves it as it was.
  let reader: ReadableStreamDefaultReader<unknown> | undefined = lazy ? undefined : source.getReader();
  const decoder = new TextDecoder();
  const limit = t.limits.captureLength;
  let text = "";
  let bytes = 0;
  let chunks = 0;
  const done = (cancelled: boolean): void => {
    if (span.endTime !== 0) return;
    forgetCollected(span);
    span.setAttribute("spanwise.stream.chunks", chunks);
    span.setAttribute("spanwise.stream.bytes", bytes);
    if (cancelled) span.setAttribute("spanwise.cancelled", true);
    if (capture && text !== "") setIO(span, "output", text, limit);
    span.end();
  };
  // highWaterMark 0: read from the source only when the consumer asks, so nothing is buffered
  // or pulled ahead of what the caller would have read itself. A byte source gets a byte stream,
  // so a BYOB reader works on it as on the source: the runtime copies each chunk into the
  // reader's view and keeps the rest for its next read. Enqueueing a chunk moves its buffer,
  // which is ours alone: the source moved it away from its producer when that enqueued it.
  const out = new ReadableStream(
    {
      type,
      async pull(controller: ReadableStreamDefaultController<unknown>) {
        let r: Awaited<ReturnType<ReadableStreamDefaultReader<unknown>["read"]>>;
        try {
          r = await (reader ??= source.getReader()).read();
        } catch (err) {
          endWithError(span, err);
          controller.error(err);
          return;
        }
        if (r.done) {
          done(false);
          controller.close();
          // A BYOB read waiting at the end is answered only once told that nothing was written.
          (controller as ReadableStreamController<unknown> as ReadableByteStreamController).byobRequest?.respond(0);
          return;
        }
        const chunk: unknown = r.value;
        chunks++;
        // Bun sends strings, ArrayBuffers and any typed array or DataView a body yields, as their
        // UTF-8 or their bytes.
        if (typeof chunk === "string") {
          bytes += utf8.encode(chunk).byteLength;
          if (capture && text.length < limit) text += chunk;
        } else if (ArrayBuffer.isView(chunk) || chunk instanceof ArrayBuffer) {
          bytes += chunk.byteLength;
          if (capture && text.length < limit) text += decoder.decode(chunk, { stream: true });
        }
        controller.enqueue(chunk);
      },
      cancel(reason) {
        done(true);
        return reader !== undefined ? reader.cancel(reason) : source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  // Dropped unread: the span ends with what was read, and a source this stream had locked is let
  // go. One it never locked (a Response's body not yet read) may still be read by whoever holds it.
  endWhenCollected(out, span, () => {
    done(true);
    reader?.cancel().catch(() => {});
  });
  return out;
}

/**
 * Follows an iteration's results for its span: collects yielded values (up to 100 for the
 * output), and ends the span when the iteration is done, marking it cancelled when the consumer
 * broke off through return().
 */
function iterationTracker(t: Tracer, span: SpanRecord, capture: Capture): (r: IteratorResult<unknown>, abandoning: boolean) => void {
  const items: unknown[] = [];
  let count = 0;
  return (r, abandoning) => {
    if (span.endTime !== 0) return;
    if (!r.done) {
      count++;
      if (capture && items.length < 100) items.push(r.value);
      return;
    }
    if (abandoning) span.setAttribute("spanwise.cancelled", true);
    forgetCollected(span);
    finish(t, span, capture ? (count > items.length ? { items, total: count } : items) : undefined, capture);
  };
}

/**
 * How a generator dropped before its end ends its span: with the items it had yielded. Made out
 * here, as the wrapper's own scope holds the wrapper, which would then never be collected.
 */
const endIteration =
  (track: (r: IteratorResult<unknown>, abandoning: boolean) => void): (() => void) =>
  () =>
    track({ done: true, value: undefined }, true);

function wrapGenerator(t: Tracer, span: SpanRecord, ctx: Context, gen: Generator, capture: Capture): Generator {
  const track = iterationTracker(t, span, capture);
  const step = (call: () => IteratorResult<unknown>, abandoning: boolean): IteratorResult<unknown> => {
    let r: IteratorResult<unknown>;
    try {
      r = t.storage.run(ctx, call);
    } catch (err) {
      if (span.endTime === 0) endWithError(span, err);
      throw err;
    }
    track(r, abandoning);
    return r;
  };
  // On %IteratorPrototype%, as a generator is: iterator helpers (map, toArray) and Symbol.dispose
  // work where the runtime has them.
  const wrapped = {
    __proto__: ITERATOR,
    next: (...args: [] | [unknown]) => step(() => gen.next(...args), false),
    return: (value: unknown) => step(() => gen.return(value), true),
    throw: (err: unknown) => step(() => gen.throw(err), false),
    [Symbol.iterator]() {
      return wrapped;
    },
    [Symbol.toStringTag]: "Generator",
  } as unknown as Generator;
  endWhenCollected(wrapped, span, endIteration(track));
  return wrapped;
}

function wrapAsyncGenerator(t: Tracer, span: SpanRecord, ctx: Context, gen: AsyncGenerator, capture: Capture): AsyncGenerator {
  const track = iterationTracker(t, span, capture);
  const step = async (call: () => Promise<IteratorResult<unknown>>, abandoning: boolean): Promise<IteratorResult<unknown>> => {
    let r: IteratorResult<unknown>;
    try {
      r = await t.storage.run(ctx, call);
    } catch (err) {
      if (span.endTime === 0) endWithError(span, err);
      throw err;
    }
    track(r, abandoning);
    return r;
  };
  const wrapped = {
    __proto__: ASYNC_ITERATOR,
    next: (...args: [] | [unknown]) => step(() => gen.next(...args), false),
    return: (value: unknown) => step(() => gen.return(value), true),
    throw: (err: unknown) => step(() => gen.throw(err), false),
    [Symbol.asyncIterator]() {
      return wrapped;
    },
    [Symbol.toStringTag]: "AsyncGenerator",
  } as unknown as AsyncGenerator;
  endWhenCollected(wrapped, span, endIteration(track));
  return wrapped;
}

// %IteratorPrototype% and %AsyncIteratorPrototype%: the prototypes of %GeneratorPrototype% and %AsyncGeneratorPrototype%.
// One pure call each, so a bundle that never wraps a generator (a Worker's) drops them.
const ITERATOR: object = /* @__PURE__ */ iteratorPrototype(function* () {});
const ASYNC_ITERATOR: object = /* @__PURE__ */ iteratorPrototype(async function* () {});

/** The prototype of the objects a generator function's generators inherit from. */
function iteratorPrototype(generatorFunction: object): object {
  return Object.getPrototypeOf((Object.getPrototypeOf(generatorFunction) as { prototype: object }).prototype);
}
