/**
 * Whether `stream` is a byte stream (made with `type: "bytes"`, as fetch bodies are), so that a
 * stream passing on its chunks must be one too for a BYOB reader to keep working. No property
 * tells; taking a BYOB reader does, and releasing it at once leaves the stream as it was. A
 * locked stream answers false.
 *
 * @param stream - the stream to ask about; never read
 * @returns true when `stream.getReader({ mode: "byob" })` would succeed
 * @example
 * isByteStream(new ReadableStream({ type: "bytes" })) // true
 * isByteStream(new ReadableStream()) // false
 */
export function isByteStream(stream: ReadableStream): boolean {
  try {
    stream.getReader({ mode: "byob" }).releaseLock();
    return true;
  } catch {
    return false;
  }
}
