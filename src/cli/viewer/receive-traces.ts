import { ProtoDecodeError, decodeOtlpProto } from "./decode-otlp-proto.js";
import { ElementBudget, TooManyElementsError } from "./element-budget.js";
import { InvalidRequestError, type NormalizedRequest, normalizeOtlp } from "./normalize-otlp.js";
import { BodyError, readBody } from "./read-body.js";
import type { ViewerSpan } from "./types.js";

const JSON_TYPE = "application/json";
const PROTO_TYPE = "application/x-protobuf";
// google.rpc.Code values for the Status body of an OTLP error reply.
const INVALID_ARGUMENT = 3;
const RESOURCE_EXHAUSTED = 8;

/**
 * Handles `POST /v1/traces` per OTLP/HTTP: JSON or protobuf, gzip or not. Success is 200 with an
 * `ExportTraceServiceResponse` in the request's encoding (partial success when some spans were
 * refused); errors are 4xx with a `google.rpc.Status` body whose message says why.
 *
 * @param request - the incoming request
 * @param limits - `maxBodyBytes`, the body limit before and after decompression (a body may
 *   decode into at most one element per 8 of its bytes), and `maxSpans` per request
 * @param accept - receives the spans that were read
 * @returns the reply
 * @example
 * app.post("/v1/traces", (c) => receiveTraces(c.req.raw, { maxBodyBytes: 8 << 20, maxSpans: 200_000 }, (spans) => store.add(spans)));
 */
export async function receiveTraces(request: Request, limits: { maxBodyBytes: number; maxSpans: number }, accept: (spans: ViewerSpan[]) => void): Promise<Response> {
  const { maxBodyBytes, maxSpans } = limits;
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const proto = type === PROTO_TYPE || type === "application/protobuf";
  if (!proto && type !== JSON_TYPE) {
    return reply(false, 415, { code: INVALID_ARGUMENT, message: `unsupported Content-Type "${type}": send ${JSON_TYPE} or ${PROTO_TYPE}` });
  }
  let result: NormalizedRequest;
  try {
    const bytes = await readBody(request, maxBodyBytes);
    const maxElements = Math.max(1024, Math.floor(maxBodyBytes / 8));
    if (proto) result = normalizeOtlp(decodeOtlpProto(bytes, new ElementBudget(maxSpans, maxElements)));
    else {
      // JSON.parse builds every object before anything can count it: count them in the text first.
      if (jsonContainers(bytes) > maxElements) throw new TooManyElementsError(`the request decodes to more than ${maxElements} elements (objects and arrays) for its size limit; send smaller batches`);
      result = normalizeOtlp(parseJson(bytes), new ElementBudget(maxSpans, Infinity));
    }
  } catch (err) {
    if (err instanceof BodyError) return reply(proto, err.status, { code: err.status === 413 ? RESOURCE_EXHAUSTED : INVALID_ARGUMENT, message: err.message });
    if (err instanceof TooManyElementsError) return reply(proto, 413, { code: RESOURCE_EXHAUSTED, message: err.message });
    if (err instanceof ProtoDecodeError) return reply(proto, 400, { code: INVALID_ARGUMENT, message: `invalid protobuf ExportTraceServiceRequest: ${err.message}` });
    if (err instanceof InvalidRequestError || err instanceof SyntaxError) return reply(proto, 400, { code: INVALID_ARGUMENT, message: `invalid ExportTraceServiceRequest: ${err.message}` });
    throw err;
  }
  accept(result.spans);
  if (result.rejected === 0) return proto ? new Response(null, { status: 200, headers: { "content-type": PROTO_TYPE } }) : Response.json({});
  const message = `${result.rejected} span(s) rejected: ${result.reason}`;
  if (!proto) return Response.json({ partialSuccess: { rejectedSpans: String(result.rejected), errorMessage: message } });
  return new Response(field(1, concat(varintField(1, result.rejected), stringField(2, message))), { status: 200, headers: { "content-type": PROTO_TYPE } });
}

/** The objects and arrays JSON.parse would build from `bytes`: `{` and `[` outside strings. */
function jsonContainers(bytes: Uint8Array): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === 0x5c) i++; // backslash: skip the escaped character
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b || b === 0x5b) count++;
  }
  return count;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidRequestError("the body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidRequestError(`the body is not valid JSON (${(err as Error).message})`);
  }
}

function reply(proto: boolean, status: number, body: { code: number; message: string }): Response {
  if (!proto) return Response.json(body, { status });
  return new Response(concat(varintField(1, body.code), stringField(2, body.message)), { status, headers: { "content-type": PROTO_TYPE } });
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const varintField = (n: number, v: number): Uint8Array => new Uint8Array([...varint(n << 3), ...varint(v)]);
const field = (n: number, body: Uint8Array): Uint8Array<ArrayBuffer> => concat(new Uint8Array([...varint((n << 3) | 2), ...varint(body.length)]), body);
const stringField = (n: number, s: string): Uint8Array => field(n, new TextEncoder().encode(s));

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
