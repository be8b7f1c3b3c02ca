import { endWithError } from "../../core/settle.js";
import type { SpanRecord } from "../../core/span.js";

/**
 * Hands back a Response with the same status, headers and bytes whose body ends `span` when it
 * has been read to the end, cancelled by the client (`spanwise.cancelled`), not pulled for
 * `stallMs` (`spanwise.cancelled` and `spanwise.abandoned`) or has failed, and records the bytes
 * sent (`http.response.body.size`). `done` resolves at that moment. The body
 * is read inside `inContext`, so spans the stream's own code makes belong to the event.
 *
 * @param response - a streaming Response with a body
 * @param span - the span to end with the body
 * @param inContext - runs a read in the event's context
 * @param stallMs - how long the platform may leave the body unread before the client counts as gone
 * @returns the Response to return to the platform, and when the body is over
 * @example
 * const { response: out, done } = trackBody(response, root, (read) => storage.run(ctx, read), 10_000);
 * ctx.waitUntil(done.then(exportSpans));
 */
export function trackBody(response: Response, span: SpanRecord, inContext: <T>(read: () => T) => T, stallMs: number): { response: Response; done: Promise<void> } {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let bytes = 0;
  let chunks = 0;
  let stall: ReturnType<typeof setTimeout> | undefined;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const finish = (cancelled: boolean, error?: unknown, abandoned?: boolean): void => {
    clearTimeout(stall);
    if (span.endTime === 0) {
      span.setAttribute("http.response.body.size", bytes);
      span.setAttribute("spanwise.stream.chunks", chunks);
      if (cancelled) span.setAttribute("spanwise.cancelled", true);
      if (abandoned) span.setAttribute("spanwise.abandoned", true);
      if (error !== undefined) endWithError(span, error);
      else span.end();
    }
    resolveDone();
  };
  // highWaterMark 0: read from the source only when the platform asks, so nothing is pulled
  // ahead of the client or buffered here.
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(stall);
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          // The platform pulls from outside any context; the source's own pull runs in the event's.
          result = await inContext(() => reader.read());
        } catch (err) {
          finish(false, err);
          controller.error(err);
          return;
        }
        if (result.done) {
          finish(false);
          controller.close();
          return;
        }
        const chunk: unknown = result.value;
        chunks++;
        // workerd sends any typed array, DataView or ArrayBuffer a body yields, as its bytes.
        if (ArrayBuffer.isView(chunk) || chunk instanceof ArrayBuffer) bytes += chunk.byteLength;
        controller.enqueue(chunk as Uint8Array);
        // workerd pulls again as soon as it has passed a chunk on. A client gone mid-stream does
        // not always reach cancel() (under load, about one request in ten): a body not pulled for
        // stallMs is taken as abandoned, so its event is still exported. Later pulls still pass
        // the bytes on; the span has ended.
        stall = setTimeout(() => finish(true, undefined, true), stallMs);
      },
      cancel(reason) {
        finish(true);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  // The original Response as init keeps status, statusText, headers and workerd's extras.
  return { response: new Response(body, response), done };
}
