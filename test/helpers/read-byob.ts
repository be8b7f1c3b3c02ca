/**
 * Reads a stream to the end through a BYOB reader with views of `size` bytes, returning each
 * piece read as text. Shared by the Node, Bun and Deno byte-stream tests (Web APIs only).
 *
 * @param stream - a byte stream
 * @param size - the view each read fills
 * @returns the pieces, in order
 * @example
 * await readByob(observe(() => bytes(["hello"]))(), 4); // ["hell", "o"]
 */
export async function readByob(stream: ReadableStream<Uint8Array>, size: number): Promise<string[]> {
  const reader = stream.getReader({ mode: "byob" });
  const decoder = new TextDecoder();
  const pieces: string[] = [];
  for (;;) {
    const r = await reader.read(new Uint8Array(size));
    if (r.done) return pieces;
    pieces.push(decoder.decode(r.value));
  }
}
