// Streams found not to be byte streams. A stream's type never changes, and Node refuses a BYOB
// reader with an error whose message inspects the stream (~13–15 µs), so a Response followed
// by a wrapper, then by `observe` (Next.js, Hono) is asked once, not three times.
const notBytes = /* @__PURE__ */ new WeakSet<ReadableStream>();

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
  if (notBytes.has(stream)) return false;
  try {
    stream.getReader({ mode: "byob" }).releaseLock();
    return true;
  } catch {
    // Refused for being locked says nothing of its type.
    if (!stream.locked) notBytes.add(stream);
    return false;
  }
}
