// A hand-written decoder for the one message the viewer receives, rather than protobufjs: with
// its generated OTLP code protobufjs would add a few hundred KB to a dev tool that otherwise
// bundles Hono in well under that, and it needs install scripts this project keeps off.
// Field numbers are those of opentelemetry-proto (collector/trace/v1, trace/v1, common/v1,
// resource/v1). The output has the shape of OTLP/JSON (hex ids, unix-nano strings) so that one
// normalizer reads both encodings. Unknown fields are skipped, as protobuf requires.
import { ElementBudget } from "./element-budget.js";

/** OTLP/JSON AnyValue. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
  bytesValue?: string;
}

/** OTLP/JSON KeyValue. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

type Obj = Record<string, unknown>;

/**
 * Stand in for a span whose trace id, or span id, is missing or of the wrong length: such spans
 * are not built, only counted (and rejected by the normaliser, which says which id was wrong).
 */
const NO_TRACE_ID: Obj = Object.freeze({});
const NO_SPAN_ID: Obj = Object.freeze({ traceId: "present" });

/** Raised for bytes that are not a valid ExportTraceServiceRequest. */
export class ProtoDecodeError extends Error {
  override name = "ProtoDecodeError";
}

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;
/** Deeper AnyValue nesting than this is refused rather than risking the stack. */
const MAX_DEPTH = 32;

const utf8 = new TextDecoder("utf-8", { fatal: true });

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError("truncated varint");
      const b = this.buf[this.pos++] as number;
      result += (b & 127) * scale;
      if (b < 128) return result;
      scale *= 128;
    }
    throw new ProtoDecodeError("varint longer than 10 bytes");
  }

  varint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError("truncated varint");
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 127) << shift;
      if (b < 128) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw new ProtoDecodeError("varint longer than 10 bytes");
  }

  fixed(n: 4 | 8): DataView {
    if (this.pos + n > this.end) throw new ProtoDecodeError("truncated fixed-width field");
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return view;
  }

  /** A length-delimited field's bounds. */
  sub(): Reader {
    const len = this.varint();
    if (this.pos + len > this.end) throw new ProtoDecodeError("length-delimited field runs past its message");
    const r = new Reader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return r;
  }

  string(): string {
    const r = this.sub();
    try {
      return utf8.decode(this.buf.subarray(r.pos, r.end));
    } catch {
      throw new ProtoDecodeError("string field is not valid UTF-8");
    }
  }

  bytes(): Uint8Array {
    const r = this.sub();
    return this.buf.subarray(r.pos, r.end);
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === I64) this.fixed(8);
    else if (wire === LEN) this.sub();
    else if (wire === I32) this.fixed(4);
    else throw new ProtoDecodeError(`unsupported wire type ${wire}`);
  }

  /** Calls `field` for each field of the message; it returns false for fields it does not read. */
  each(field: (n: number, wire: number) => boolean): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const n = Math.floor(key / 8);
      const wire = key & 7;
      if (n === 0) throw new ProtoDecodeError("field number 0");
      if (!field(n, wire)) this.skip(wire);
    }
  }
}

function expect(wire: number, want: number, what: string): void {
  if (wire !== want) throw new ProtoDecodeError(`${what} has wire type ${wire}, expected ${want}`);
}

const hex = (b: Uint8Array): string => {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
};

/**
 * Sets an id as hex only when it has its protobuf length: the normaliser also reads base64 ids
 * (protobuf JSON), and the hex of an 11-byte id is valid base64 of a different 16-byte one.
 */
function setId(into: Obj, key: string, b: Uint8Array, length: number): void {
  if (b.length === length) into[key] = hex(b);
}

const base64 = (b: Uint8Array): string => {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
};

/**
 * Decodes a binary protobuf OTLP `ExportTraceServiceRequest` into its OTLP/JSON shape.
 *
 * @param bytes - the request body (already decompressed)
 * @param budget - how many spans and elements it may decode into
 * @returns `{ resourceSpans: [...] }` as OTLP/JSON would spell it
 * @throws ProtoDecodeError when the bytes are not a valid message
 * @throws TooManyElementsError past the budget
 * @example
 * const request = decodeOtlpProto(new Uint8Array(await req.arrayBuffer()));
 */
export function decodeOtlpProto(bytes: Uint8Array, budget = new ElementBudget(Infinity, Infinity)): { resourceSpans: Obj[] } {
  const r = new Reader(bytes, 0, bytes.length);
  const resourceSpans: Obj[] = [];
  r.each((n, wire) => {
    if (n !== 1) return false;
    expect(wire, LEN, "resource_spans");
    budget.element();
    resourceSpans.push(resourceSpansOf(r.sub(), budget));
    return true;
  });
  return { resourceSpans };
}

function resourceSpansOf(r: Reader, budget: ElementBudget): Obj {
  const out: Obj = { resource: { attributes: [] }, scopeSpans: [] };
  r.each((n, wire) => {
    if (n === 1 && wire === LEN) {
      const attributes: OtlpKeyValue[] = [];
      const res = r.sub();
      res.each((m, w) => {
        if (m !== 1 || w !== LEN) return false;
        attributes.push(keyValue(res.sub(), 0, budget));
        return true;
      });
      out.resource = { attributes };
    } else if (n === 2 && wire === LEN) {
      budget.element();
      (out.scopeSpans as Obj[]).push(scopeSpansOf(r.sub(), budget));
    }
    else return false;
    return true;
  });
  return out;
}

function scopeSpansOf(r: Reader, budget: ElementBudget): Obj {
  const scope: Obj = { name: "" };
  const spans: Obj[] = [];
  r.each((n, wire) => {
    if (n === 1 && wire === LEN) {
      const s = r.sub();
      s.each((m, w) => {
        if (m === 1 && w === LEN) scope.name = s.string();
        else if (m === 2 && w === LEN) scope.version = s.string();
        else return false;
        return true;
      });
    } else if (n === 2 && wire === LEN) {
      budget.span();
      const span = r.sub();
      const missing = missingId(span);
      spans.push(missing === undefined ? spanOf(span, budget) : missing === "trace" ? NO_TRACE_ID : NO_SPAN_ID);
    }
    else return false;
    return true;
  });
  return { scope, spans };
}

/** Which id a span message lacks: a 16-byte trace id, an 8-byte span id (a first pass, building nothing). */
function missingId(span: Reader): "trace" | "span" | undefined {
  const r = new Reader(span.buf, span.pos, span.end);
  let trace = false;
  let id = false;
  r.each((n, wire) => {
    if ((n !== 1 && n !== 2) || wire !== LEN) return false;
    const field = r.sub();
    const len = field.end - field.pos;
    if (n === 1) trace = len === 16;
    else id = len === 8;
    return true;
  });
  return !trace ? "trace" : !id ? "span" : undefined;
}

function spanOf(r: Reader, budget: ElementBudget): Obj {
  const s: Obj = { attributes: [], events: [], links: [] };
  r.each((n, wire) => {
    switch (n) {
      case 1:
      case 2:
      case 4:
        expect(wire, LEN, "span id field");
        setId(s, n === 1 ? "traceId" : n === 2 ? "spanId" : "parentSpanId", r.bytes(), n === 1 ? 16 : 8);
        return true;
      case 3:
      case 5:
        expect(wire, LEN, "span string field");
        s[n === 3 ? "traceState" : "name"] = r.string();
        return true;
      case 6:
        expect(wire, VARINT, "span kind");
        s.kind = r.varint();
        return true;
      case 7:
      case 8:
        expect(wire, I64, "span time");
        s[n === 7 ? "startTimeUnixNano" : "endTimeUnixNano"] = r.fixed(8).getBigUint64(0, true).toString();
        return true;
      case 9:
        expect(wire, LEN, "span attribute");
        (s.attributes as OtlpKeyValue[]).push(keyValue(r.sub(), 0, budget));
        return true;
      case 11:
        expect(wire, LEN, "span event");
        budget.element();
        (s.events as Obj[]).push(eventOf(r.sub(), budget));
        return true;
      case 13:
        expect(wire, LEN, "span link");
        budget.element();
        (s.links as Obj[]).push(linkOf(r.sub(), budget));
        return true;
      case 15:
        expect(wire, LEN, "span status");
        s.status = statusOf(r.sub());
        return true;
      case 16:
        expect(wire, I32, "span flags");
        s.flags = r.fixed(4).getUint32(0, true);
        return true;
      default:
        return false;
    }
  });
  return s;
}

function eventOf(r: Reader, budget: ElementBudget): Obj {
  const e: Obj = { name: "", attributes: [] };
  r.each((n, wire) => {
    if (n === 1 && wire === I64) e.timeUnixNano = r.fixed(8).getBigUint64(0, true).toString();
    else if (n === 2 && wire === LEN) e.name = r.string();
    else if (n === 3 && wire === LEN) (e.attributes as OtlpKeyValue[]).push(keyValue(r.sub(), 0, budget));
    else return false;
    return true;
  });
  return e;
}

function linkOf(r: Reader, budget: ElementBudget): Obj {
  const l: Obj = { attributes: [] };
  r.each((n, wire) => {
    if (n === 1 && wire === LEN) setId(l, "traceId", r.bytes(), 16);
    else if (n === 2 && wire === LEN) setId(l, "spanId", r.bytes(), 8);
    else if (n === 4 && wire === LEN) (l.attributes as OtlpKeyValue[]).push(keyValue(r.sub(), 0, budget));
    else return false;
    return true;
  });
  return l;
}

function statusOf(r: Reader): Obj {
  const st: Obj = { code: 0 };
  r.each((n, wire) => {
    if (n === 2 && wire === LEN) st.message = r.string();
    else if (n === 3 && wire === VARINT) st.code = r.varint();
    else return false;
    return true;
  });
  return st;
}

function keyValue(r: Reader, depth: number, budget: ElementBudget): OtlpKeyValue {
  budget.element();
  const kv: OtlpKeyValue = { key: "", value: {} };
  r.each((n, wire) => {
    if (n === 1 && wire === LEN) kv.key = r.string();
    else if (n === 2 && wire === LEN) kv.value = anyValue(r.sub(), depth + 1, budget);
    else return false;
    return true;
  });
  return kv;
}

function anyValue(r: Reader, depth: number, budget: ElementBudget): OtlpAnyValue {
  if (depth > MAX_DEPTH) throw new ProtoDecodeError(`attribute values nested deeper than ${MAX_DEPTH}`);
  const v: OtlpAnyValue = {};
  r.each((n, wire) => {
    if (n === 1 && wire === LEN) v.stringValue = r.string();
    else if (n === 2 && wire === VARINT) v.boolValue = r.varint() !== 0;
    else if (n === 3 && wire === VARINT) v.intValue = r.varint64().toString();
    else if (n === 4 && wire === I64) v.doubleValue = r.fixed(8).getFloat64(0, true);
    else if (n === 5 && wire === LEN) {
      const values: OtlpAnyValue[] = [];
      const a = r.sub();
      a.each((m, w) => {
        if (m !== 1 || w !== LEN) return false;
        budget.element();
        values.push(anyValue(a.sub(), depth + 1, budget));
        return true;
      });
      v.arrayValue = { values };
    } else if (n === 6 && wire === LEN) {
      const values: OtlpKeyValue[] = [];
      const l = r.sub();
      l.each((m, w) => {
        if (m !== 1 || w !== LEN) return false;
        values.push(keyValue(l.sub(), depth + 1, budget));
        return true;
      });
      v.kvlistValue = { values };
    } else if (n === 7 && wire === LEN) v.bytesValue = base64(r.bytes());
    else return false;
    return true;
  });
  return v;
}
