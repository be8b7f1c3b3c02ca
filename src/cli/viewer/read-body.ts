import { gunzip } from "node:zlib";

/** Why a body could not be read: 413 (too large) or 415 (an encoding we do not speak), or 400. */
export class BodyError extends Error {
  override name = "BodyError";
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body, gunzipping it when `Content-Encoding: gzip`, and refuses more than
 * `maxBytes` on the wire or after decompression (so a small gzip bomb is refused too).
 *
 * @param request - the incoming request
 * @param maxBytes - the limit, before and after decompression
 * @returns the body bytes
 * @throws BodyError with the status to answer
 * @example
 * const bytes = await readBody(c.req.raw, 8 << 20);
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip") throw new BodyError(415, `unsupported Content-Encoding "${encoding}": send identity or gzip`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyError(413, `body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  const raw = await readLimited(request, maxBytes);
  if (encoding === "identity") return raw;
  return new Promise((resolve, reject) => {
    gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
      if (err === null) resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
      else if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") reject(new BodyError(413, `gzip body inflates past the limit of ${maxBytes} bytes`));
      else reject(new BodyError(400, `invalid gzip body: ${err.message}`));
    });
  });
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw new BodyError(413, `body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}
