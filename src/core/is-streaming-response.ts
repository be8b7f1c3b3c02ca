import { isByteStream } from "./is-byte-stream.js";

const STREAM_TYPES = /^(?:text\/event-stream|application\/(?:x-)?ndjson|application\/jsonl(?:ines)?|application\/x-jsonlines|application\/stream\+json|multipart\/x-mixed-replace)\b/i;

/**
 * True when a handler's Response streams its body (SSE, NDJSON, a body written by the Worker's
 * own ReadableStream), so its span must stay open until the body has been sent. A body of known
 * size (a string, a buffer, a Content-Length) is not a stream: wrapping it would turn a sized
 * response into a chunked one.
 *
 * @param response - the handler's Response
 * @returns whether to follow the body
 * @example
 * isStreamingResponse(new Response(readable, { headers: { "content-type": "text/event-stream" } })) // true
 */
export function isStreamingResponse(response: Response): boolean {
  const body = response.body;
  if (body === null || response.status === 101 || response.status === 204 || response.status === 304) return false;
  // A Content-Length (a proxied answer's) says the size even of an event stream: following it
  // would send it chunked, without the length.
  if (response.headers.has("content-length") || body.locked) return false;
  if (STREAM_TYPES.test(response.headers.get("content-type") ?? "")) return true;
  // Bodies made from strings and buffers (and fetched bodies) are byte streams; a Worker's own
  // `new ReadableStream()` or TransformStream is not.
  return !isByteStream(body);
}
