import { ElementBudget } from "./element-budget.js";
import type { ViewerAttributes, ViewerSpan, ViewerValue } from "./types.js";

type Obj = Record<string, unknown>;

/** Raised when a request is not an ExportTraceServiceRequest at all. */
export class InvalidRequestError extends Error {
  override name = "InvalidRequestError";
}

/** The spans of one request, and how many were refused (OTLP partial success). */
export interface NormalizedRequest {
  spans: ViewerSpan[];
  rejected: number;
  /** Why the first refused span was refused. */
  reason?: string;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A repeated field: absent is empty, anything but a list is a malformed request. */
function listOf(v: unknown, name: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidRequestError(`${name} is not a list`);
  return v;
}
const MAX_DEPTH = 32;

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/**
 * Turns an OTLP/JSON `ExportTraceServiceRequest` (parsed JSON, or what `decodeOtlpProto` returns)
 * into viewer spans. Spans without a valid trace or span id are counted as rejected, the rest kept.
 *
 * @param request - the parsed request
 * @param budget - how many spans it may hold (the protobuf decoder counts its own)
 * @returns the spans and the rejected count
 * @throws InvalidRequestError when `resourceSpans`, `scopeSpans` or `spans` is not a list
 * @throws TooManyElementsError past the budget
 * @example
 * const { spans, rejected } = normalizeOtlp(JSON.parse(body));
 */
export function normalizeOtlp(request: unknown, budget = new ElementBudget(Infinity, Infinity)): NormalizedRequest {
  if (!isObj(request)) throw new InvalidRequestError("the body is not a JSON object");
  const rs = request.resourceSpans ?? request.resource_spans;
  if (rs === undefined) return { spans: [], rejected: 0 };
  if (!Array.isArray(rs)) throw new InvalidRequestError("resourceSpans is not a list");
  const out: NormalizedRequest = { spans: [], rejected: 0 };
  for (const r of rs) {
    if (!isObj(r)) throw new InvalidRequestError("an item of resourceSpans is not an object");
    const resource = attributes(isObj(r.resource) ? r.resource.attributes : undefined);
    for (const ss of listOf(r.scopeSpans ?? r.scope_spans, "scopeSpans")) {
      if (!isObj(ss)) throw new InvalidRequestError("an item of scopeSpans is not an object");
      const sc = isObj(ss.scope) ? ss.scope : {};
      const scope: ViewerSpan["scope"] = { name: typeof sc.name === "string" ? sc.name : "" };
      if (typeof sc.version === "string" && sc.version !== "") scope.version = sc.version;
      for (const s of listOf(ss.spans, "spans")) {
        budget.span();
        const reason = isObj(s) ? spanOf(s, resource, scope, out.spans) : "a span is not an object";
        if (reason !== undefined) {
          out.rejected++;
          out.reason ??= reason;
        }
      }
    }
  }
  return out;
}

/** Appends the span, or returns why it cannot be kept. */
function spanOf(s: Obj, resource: ViewerAttributes, scope: ViewerSpan["scope"], into: ViewerSpan[]): string | undefined {
  const traceId = id(s.traceId, 16);
  const spanId = id(s.spanId, 8);
  if (s.traceId === undefined) return "a span has no traceId (or, in protobuf, not one of 16 bytes)";
  if (s.spanId === undefined) return "a span has no spanId (or, in protobuf, not one of 8 bytes)";
  if (traceId === undefined) return `invalid traceId ${JSON.stringify(s.traceId)?.slice(0, 60)}`;
  if (spanId === undefined) return `invalid spanId ${JSON.stringify(s.spanId)?.slice(0, 60)}`;
  const start = nanosToMs(s.startTimeUnixNano);
  const end = nanosToMs(s.endTimeUnixNano);
  if (start === undefined || end === undefined) return `span ${spanId} has no valid start or end time`;
  const st = isObj(s.status) ? s.status : {};
  const span: ViewerSpan = {
    traceId,
    spanId,
    name: typeof s.name === "string" ? s.name : "",
    kind: enumOf(s.kind, SPAN_KINDS),
    start,
    end: Math.max(start, end),
    status: { code: enumOf(st.code, STATUS_CODES) },
    attributes: attributes(s.attributes),
    events: list(s.events).filter(isObj).map((e) => ({
      name: typeof e.name === "string" ? e.name : "",
      time: nanosToMs(e.timeUnixNano) ?? start,
      attributes: attributes(e.attributes),
    })),
    links: list(s.links)
      .filter(isObj)
      .flatMap((l) => {
        const t = id(l.traceId, 16);
        const p = id(l.spanId, 8);
        return t && p ? [{ traceId: t, spanId: p, attributes: attributes(l.attributes) }] : [];
      }),
    resource,
    scope,
  };
  const parent = id(s.parentSpanId, 8);
  if (parent !== undefined) span.parentSpanId = parent;
  if (typeof st.message === "string" && st.message !== "") span.status.message = st.message;
  into.push(span);
  return undefined;
}

/** A lowercase hex id of `bytes` bytes from OTLP/JSON hex (or protobuf-JSON base64), not all zero. */
function id(v: unknown, bytes: number): string | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  let h: string | undefined;
  if (v.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(v)) h = v.toLowerCase();
  else {
    try {
      const raw = atob(v);
      if (raw.length === bytes) h = Array.from(raw, (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
    } catch {
      return undefined;
    }
  }
  return h === undefined || /^0+$/.test(h) ? undefined : h;
}

function enumOf(v: unknown, names: Record<string, number>): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string") return Object.hasOwn(names, v) ? (names[v] as number) : /^\d+$/.test(v) ? Number(v) : 0;
  return 0;
}

/** Unix nanoseconds (a decimal string or a number) as epoch milliseconds with microsecond precision. */
function nanosToMs(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return Math.round(v / 1000) / 1000;
  if (typeof v !== "string" || !/^\d{1,20}$/.test(v)) return undefined;
  return Number(BigInt(v) / 1000n) / 1000;
}

function attributes(kvs: unknown): ViewerAttributes {
  // Keys are the sender's: on a null-prototype object "__proto__" is an ordinary key, not the prototype.
  const out: ViewerAttributes = Object.create(null) as ViewerAttributes;
  for (const kv of list(kvs)) if (isObj(kv) && typeof kv.key === "string") out[kv.key] = value(kv.value, 0);
  return out;
}

function value(v: unknown, depth: number): ViewerValue {
  if (!isObj(v) || depth > MAX_DEPTH) return null;
  if (typeof v.stringValue === "string") return v.stringValue;
  if (typeof v.boolValue === "boolean") return v.boolValue;
  if ("intValue" in v) {
    const n = typeof v.intValue === "string" ? Number(v.intValue) : v.intValue;
    // Beyond 2^53 the decimal string is exact and a number is not.
    return typeof n === "number" && Number.isSafeInteger(n) ? n : typeof v.intValue === "string" ? v.intValue : null;
  }
  if ("doubleValue" in v) {
    const d = v.doubleValue;
    if (typeof d === "number") return Number.isFinite(d) ? d : String(d);
    return typeof d === "string" ? d : null;
  }
  if (isObj(v.arrayValue)) return list(v.arrayValue.values).map((x) => value(x, depth + 1));
  if (isObj(v.kvlistValue)) {
    const o: Record<string, ViewerValue> = Object.create(null) as Record<string, ViewerValue>;
    for (const kv of list(v.kvlistValue.values)) if (isObj(kv) && typeof kv.key === "string") o[kv.key] = value(kv.value, depth + 1);
    return o;
  }
  if (typeof v.bytesValue === "string") return v.bytesValue;
  return null;
}
