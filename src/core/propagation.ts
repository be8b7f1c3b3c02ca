import type { Baggage } from "./context.js";
import type { SpanContext } from "./span.js";

/** Headers as spanwise reads them: a `Headers` object, a Map-like or a plain record. */
export type HeaderCarrier =
  | { get(name: string): string | null | undefined }
  | Record<string, string | readonly string[] | undefined>;

/** A span context received from another service, with its W3C Baggage. */
export interface RemoteSpanContext extends SpanContext {
  readonly isRemote: true;
  readonly baggage?: Baggage | undefined;
}

// W3C Trace Context §3.2: version-traceid-parentid-flags, lowercase hex only.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "00000000000000000000000000000000";
const ZERO_SPAN = "0000000000000000";
// §3.3.1.3: simple keys and multi-tenant keys; values are printable ASCII without "," and "=".
const TS_KEY = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
const TS_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const MAX_TS_MEMBERS = 32;
// §3.3.1.5: at least 512 characters are propagated; past that, long members go first.
const TS_SOFT_LIMIT = 512;
const TS_LONG_MEMBER = 128;
/** Our own tracestate key; its value is the span id that sent the request. */
export const TRACESTATE_KEY = "spanwise";
// W3C Baggage §3.3: at least 64 members and 8192 bytes must be supported; we keep those limits.
const MAX_BAGGAGE_MEMBERS = 64;
const MAX_BAGGAGE_BYTES = 8192;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAGGAGE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
// RFC 7230 OWS: only space and horizontal tab, never other Unicode white space.
const OWS = /^[ \t]+|[ \t]+$/g;
const ows = (text: string): string => text.replace(OWS, "");

function readHeader(carrier: HeaderCarrier, name: string): string | undefined {
  if (carrier === null || typeof carrier !== "object") return undefined;
  if (typeof (carrier as { get?: unknown }).get === "function") {
    const v = (carrier as { get(name: string): unknown }).get(name);
    return typeof v === "string" ? v : undefined;
  }
  const record = carrier as Record<string, unknown>;
  let v = record[name];
  if (v === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        v = record[key];
        break;
      }
    }
  }
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v.join(",");
  return undefined;
}

/** The trace flags W3C Trace Context defines: sampled (0x01) and random (0x02). */
const KNOWN_FLAGS = 0x03;

/** Parses a `traceparent` value strictly; undefined for anything the spec says to ignore. */
export function parseTraceparent(value: string | undefined | null): SpanContext | undefined {
  if (typeof value !== "string" || value.length > 512) return undefined;
  const m = TRACEPARENT.exec(ows(value));
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  // Version ff is forbidden; version 00 has exactly four fields; later versions may append
  // fields after a dash, which we ignore (§3.2.4).
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  // Version 00 defines sampled (bit 0) and, in Trace Context Level 2, random (bit 1); the rest
  // are reserved, and a vendor passing the context on must send them as zero (§3.2.2.5). A later
  // version's flags are read for sampled only (§3.2.4).
  const traceFlags = Number.parseInt(flags, 16) & (version === "00" ? KNOWN_FLAGS : 1);
  return { traceId, spanId, traceFlags, isRemote: true };
}

/** Validates a `tracestate` value; returns it normalised, or undefined when it is invalid. */
export function parseTracestate(value: string | undefined | null): string | undefined {
  if (typeof value !== "string" || value.length > 8192) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of value.split(",")) {
    const member = ows(raw);
    if (member === "") continue;
    const eq = member.indexOf("=");
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const val = member.slice(eq + 1);
    if (!TS_KEY.test(key) || !TS_VALUE.test(val) || keys.has(key)) return undefined;
    keys.add(key);
    members.push(`${key}=${val}`);
    if (members.length > MAX_TS_MEMBERS) return undefined;
  }
  return members.length > 0 ? members.join(",") : undefined;
}

/** Parses W3C Baggage, dropping invalid members and anything past the size limits. */
export function parseBaggage(value: string | undefined | null): Baggage | undefined {
  if (typeof value !== "string" || value === "" || new TextEncoder().encode(value).length > MAX_BAGGAGE_BYTES) return undefined;
  const out = new Map<string, { value: string; metadata?: string }>();
  for (const raw of value.split(",")) {
    if (out.size >= MAX_BAGGAGE_MEMBERS) break;
    const [pair, ...props] = raw.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (!pair || eq <= 0) continue;
    const key = ows(pair.slice(0, eq));
    const encoded = ows(pair.slice(eq + 1));
    // A "%" that begins no escape is invalid percent-encoding.
    if (!TOKEN.test(key) || !BAGGAGE_VALUE.test(encoded) || /%(?![\da-f]{2})/i.test(encoded)) continue;
    // Baggage §3.2.1.1: escaped octets that are not UTF-8 become U+FFFD (a non-fatal TextDecoder's).
    const decoded = encoded.replace(/(%[\da-f]{2})+/gi, (run) => new TextDecoder().decode(new Uint8Array(run.slice(1).split("%").map((h) => parseInt(h, 16)))));
    const metadata = parseProperties(props);
    // An invalid property invalidates its member: properties are sent on as they came.
    if (metadata === null) continue;
    out.set(key, metadata ? { value: decoded, metadata } : { value: decoded });
  }
  return out.size > 0 ? out : undefined;
}

/** Baggage properties (`key` or `key=value`), normalised; null when any is invalid. */
function parseProperties(props: readonly string[]): string | null {
  const out: string[] = [];
  for (const raw of props) {
    const prop = ows(raw);
    if (prop === "") continue;
    const eq = prop.indexOf("=");
    const key = eq < 0 ? prop : ows(prop.slice(0, eq));
    if (!TOKEN.test(key)) return null;
    if (eq < 0) {
      out.push(key);
      continue;
    }
    const val = ows(prop.slice(eq + 1));
    if (!BAGGAGE_VALUE.test(val)) return null;
    out.push(`${key}=${val}`);
  }
  return out.join(";");
}

/** Serialises baggage within the limits; undefined when there is nothing to send. */
export function formatBaggage(baggage: Baggage | undefined): string | undefined {
  if (!baggage || typeof baggage.entries !== "function" || baggage.size === 0) return undefined;
  let out = "";
  let count = 0;
  for (const [key, entry] of baggage) {
    if (typeof key !== "string" || !TOKEN.test(key) || typeof entry?.value !== "string" || count >= MAX_BAGGAGE_MEMBERS) continue;
    // Metadata set in code is checked like received metadata: nothing unvalidated goes out.
    const metadata = typeof entry.metadata === "string" ? parseProperties(entry.metadata.split(";")) : "";
    if (metadata === null) continue;
    let encoded: string;
    try {
      encoded = encodeURIComponent(entry.value);
    } catch {
      continue; // a lone surrogate
    }
    const member = `${key}=${encoded}${metadata ? `;${metadata}` : ""}`;
    if (out.length + member.length + 1 > MAX_BAGGAGE_BYTES) break;
    out = out === "" ? member : `${out},${member}`;
    count++;
  }
  return out === "" ? undefined : out;
}

/**
 * The tracestate to send on behalf of a local span: our entry first, any older entry of ours
 * removed, at most 32 members (the rightmost go), and within 512 characters where possible by
 * dropping members over 128 characters first, then from the right (W3C Trace Context §3.3.1.4-5).
 */
export function tracestateFor(spanId: string, received: string | undefined): string {
  const ours = `${TRACESTATE_KEY}=${spanId}`;
  const valid = parseTracestate(received);
  const others = valid === undefined ? [] : valid.split(",").filter((m) => !m.startsWith(`${TRACESTATE_KEY}=`));
  others.length = Math.min(others.length, MAX_TS_MEMBERS - 1);
  const length = (): number => others.reduce((n, m) => n + m.length + 1, ours.length);
  for (let i = others.length - 1; i >= 0 && length() > TS_SOFT_LIMIT; i--) {
    if (others[i]!.length > TS_LONG_MEMBER) others.splice(i, 1);
  }
  while (others.length > 0 && length() > TS_SOFT_LIMIT) others.pop();
  return [ours, ...others].join(",");
}

/** Formats a span context as a version-00 `traceparent` value. */
export function formatTraceparent(ctx: SpanContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-0${ctx.traceFlags & KNOWN_FLAGS}`;
}

/**
 * Reads W3C `traceparent`, `tracestate` and `baggage` from incoming headers. Invalid headers
 * are ignored (an invalid tracestate is dropped without losing the traceparent); never throws.
 */
export function extractFrom(carrier: HeaderCarrier): RemoteSpanContext | undefined {
  try {
    const parent = parseTraceparent(readHeader(carrier, "traceparent"));
    if (!parent) return undefined;
    const traceState = parseTracestate(readHeader(carrier, "tracestate"));
    const baggage = parseBaggage(readHeader(carrier, "baggage"));
    return { ...parent, traceState, baggage, isRemote: true };
  } catch {
    return undefined;
  }
}

/** Writes trace context headers into a `Headers` object or a plain record. */
export function injectInto<C extends object>(carrier: C, ctx: SpanContext, baggage: Baggage | undefined): C {
  const set = (name: string, value: string): void => {
    if (typeof (carrier as { set?: unknown }).set === "function") (carrier as unknown as Headers).set(name, value);
    else (carrier as Record<string, string>)[name] = value;
  };
  set("traceparent", formatTraceparent(ctx));
  // A local span speaks for us, so our entry leads; a remote context is passed on as received.
  const ts = ctx.isRemote === true ? parseTracestate(ctx.traceState) : tracestateFor(ctx.spanId, ctx.traceState);
  if (ts) set("tracestate", ts);
  const bg = formatBaggage(baggage);
  if (bg) set("baggage", bg);
  return carrier;
}
