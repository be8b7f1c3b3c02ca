import { endWithError } from "../../core/settle.js";
import type { SpanRecord } from "../../core/span.js";

/**
 * Hands back a Response with the same status, headers and bytes whose body ends `span` when it
 * has been read to the end, cancelled by the client (`spanwise.cancelled`) or has failed, and
 * records the bytes sent (`http.response.body.size`). `done` resolves at that moment. The body
 * is read inside `inContext`, so spans the stream's own code makes belong to the event.
 *
 * @param response - a streaming Response with a body
 * @param span - the span to end with the body
 * @param inContext - runs a read in the event's context
 * @returns the Response to return to the platform, and when the body is over
 * @example
 * const { response: out, done } = trackBody(response, root, (read) => storage.run(ctx, read));
 * ctx.waitUntil(done.then(exportSpans));
 */
export function trackBody(response: Response, span: SpanRecord, inContext: <T>(read: () => T) => T): { response: Response; done: Promise<void> } {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let bytes = 0;
  let chunks = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const finish = (cancelled: boolean, error?: unknown): void => {
    if (span.endTime === 0) {
      span.setAttribute("http.response.body.size", bytes);
      span.setAttribute("spanwise.stream.chunks", chunks);
      if (cancelled) span.setAttribute("spanwise.cancelled", true);
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
