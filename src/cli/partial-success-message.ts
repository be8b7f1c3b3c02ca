// Field numbers from opentelemetry-proto collector/trace/v1: ExportTraceServiceResponse has
// partial_success = 1; ExportTracePartialSuccess has rejected_spans = 1, error_message = 2.
const PARTIAL_SUCCESS = 1;
const ERROR_MESSAGE = 2;

const utf8 = new TextDecoder();

/**
 * The `errorMessage` of an OTLP partial success, from a collector's reply in either encoding:
 * protobuf when the reply says so (as the exporter reads `rejectedSpans`), JSON otherwise.
 *
 * @param body - the reply's bytes
 * @param contentType - the reply's content-type header
 * @returns the message, or undefined when there is none or the reply cannot be read
 * @example
 * partialSuccessMessage(new Uint8Array(await res.arrayBuffer()), res.headers.get("content-type")) // "span too old"
 */
export function partialSuccessMessage(body: Uint8Array, contentType: string | undefined): string | undefined {
  try {
    let message: unknown;
    if (contentType?.includes("protobuf")) {
      const partial = lengthDelimited(body, PARTIAL_SUCCESS);
      const bytes = partial && lengthDelimited(partial, ERROR_MESSAGE);
      message = bytes && utf8.decode(bytes);
    } else {
      message = (JSON.parse(utf8.decode(body)) as { partialSuccess?: { errorMessage?: unknown } } | null)?.partialSuccess?.errorMessage;
    }
    return typeof message === "string" && message !== "" ? message : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of the first length-delimited `field` of a message, skipping the other fields. */
function lengthDelimited(bytes: Uint8Array, field: number): Uint8Array | undefined {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    for (let scale = 1; ; scale *= 128) {
      if (pos >= bytes.length) throw new RangeError("truncated");
      const b = bytes[pos++] as number;
      result += (b & 127) * scale;
      if (b < 128) return result;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) varint();
    else if (wire === 1 || wire === 5) pos += wire === 1 ? 8 : 4;
    else if (wire === 2) {
      const length = varint();
      if (pos + length > bytes.length) throw new RangeError("truncated");
      if (Math.floor(key / 8) === field) return bytes.subarray(pos, pos + length);
      pos += length;
    } else throw new RangeError(`wire type ${wire}`);
  }
  return undefined;
}
