import { describe, expect, it } from "vitest";
import { extract } from "./api.js";
import { formatBaggage, injectInto, parseBaggage, parseTracestate, type RemoteSpanContext } from "./propagation.js";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";
const S = "00f067aa0ba902b7";
const TP = `00-${T}-${S}-01`;

// Rules quoted from W3C Trace Context Level 1 (§3.2 traceparent, §3.3 tracestate) and W3C Baggage
// (§3.2 header content, §3.3 limits), one row each, run through the public `extract`.
const cases: { rule: string; headers: Record<string, string>; expect: Partial<Record<"traceId" | "spanId" | "traceFlags" | "traceState", unknown>> | undefined; baggage?: Record<string, string> | undefined }[] = [
  { rule: "§3.2.2 a well-formed version-00 header is accepted", headers: { traceparent: TP }, expect: { traceId: T, spanId: S, traceFlags: 1 } },
  { rule: "§3.2.2.1 version ff is invalid", headers: { traceparent: `ff-${T}-${S}-01` }, expect: undefined },
  { rule: "§3.2.2.3 an all-zero trace-id is invalid", headers: { traceparent: `00-${"0".repeat(32)}-${S}-01` }, expect: undefined },
  { rule: "§3.2.2.4 an all-zero parent-id is invalid", headers: { traceparent: `00-${T}-${"0".repeat(16)}-01` }, expect: undefined },
  { rule: "§3.2.2 fields are lowercase hex (HEXDIGLC)", headers: { traceparent: `00-${T.toUpperCase()}-${S}-01` }, expect: undefined },
  { rule: "§3.2.2.5 the sampled flag is bit 0", headers: { traceparent: `00-${T}-${S}-00` }, expect: { traceFlags: 0 } },
  { rule: "§3.2.2.5 reserved flags are read as zero (sampled and Level 2's random are kept)", headers: { traceparent: `00-${T}-${S}-ff` }, expect: { traceFlags: 3 } },
  { rule: "§3.2.4 a higher version is parsed as version 00", headers: { traceparent: `01-${T}-${S}-01` }, expect: { traceId: T, spanId: S } },
  { rule: "§3.2.4 a higher version may append fields after a dash", headers: { traceparent: `cc-${T}-${S}-01-future` }, expect: { traceId: T, traceFlags: 1 } },
  { rule: "§3.2.4 in a higher version only the sampled bit of flags is used", headers: { traceparent: `cc-${T}-${S}-09` }, expect: { traceFlags: 1 } },
  { rule: "§3.2.4 flags must be followed by the end or a dash", headers: { traceparent: `cc-${T}-${S}-01.future` }, expect: undefined },
  { rule: "§3.2.4 version 00 has exactly four fields", headers: { traceparent: `${TP}-x` }, expect: undefined },
  { rule: "§3.2.4 a header shorter than 55 characters is not parsed", headers: { traceparent: `00-${T}-${S}-1` }, expect: undefined },
  { rule: "§3.3 an invalid tracestate does not invalidate traceparent", headers: { traceparent: TP, tracestate: "INVALID" }, expect: { traceId: T, traceState: undefined } },
  { rule: "§3.3.1.1 at most 32 list members", headers: { traceparent: TP, tracestate: Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(",") }, expect: { traceState: undefined } },
  { rule: "§3.3.1.1 empty list members and OWS around them are allowed", headers: { traceparent: TP, tracestate: " a=1 ,, \tb=2" }, expect: { traceState: "a=1,b=2" } },
  { rule: "§3.3.1.1 OWS is space and tab only", headers: { traceparent: TP, tracestate: "a=1\u00a0" }, expect: { traceState: undefined } },
  { rule: "§3.3.1.1 a key appears at most once", headers: { traceparent: TP, tracestate: "a=1,a=2" }, expect: { traceState: undefined } },
  { rule: "§3.3.1.3.1 a key is lowercase, starting with a letter", headers: { traceparent: TP, tracestate: "_a=1" }, expect: { traceState: undefined } },
  { rule: "§3.3.1.3.1 a multi-tenant key: tenant up to 241 chars, system up to 14", headers: { traceparent: TP, tracestate: `${"t".repeat(241)}@${"s".repeat(14)}=1` }, expect: { traceState: `${"t".repeat(241)}@${"s".repeat(14)}=1` } },
  { rule: "§3.3.1.3.2 a value is at most 256 printable chars, no trailing space", headers: { traceparent: TP, tracestate: "a=1 " }, expect: { traceState: "a=1" } },
  { rule: "§3.3.1.3.2 a value has no comma or equals sign", headers: { traceparent: TP, tracestate: "a=b=c" }, expect: { traceState: undefined } },
  { rule: "§3.3.1.3.2 a value may contain inner spaces", headers: { traceparent: TP, tracestate: "a=x y" }, expect: { traceState: "a=x y" } },
  { rule: "Baggage §3.2.1 values are percent-decoded", headers: { traceparent: TP, baggage: "k=a%20b" }, expect: { traceId: T }, baggage: { k: "a b" } },
  { rule: "Baggage §3.2.1 a key is an RFC 7230 token", headers: { traceparent: TP, baggage: "k(1)=x,ok=y" }, expect: { traceId: T }, baggage: { ok: "y" } },
  { rule: "Baggage §3.2.1 a value has no space, quote, comma, semicolon or backslash", headers: { traceparent: TP, baggage: 'a=x"y,b=x\\y,c=ok' }, expect: { traceId: T }, baggage: { c: "ok" } },
  { rule: "Baggage §3.2.1 OWS around keys and values is allowed", headers: { traceparent: TP, baggage: " k \t= v " }, expect: { traceId: T }, baggage: { k: "v" } },
  { rule: "Baggage §3.2.1 an invalid property invalidates its member", headers: { traceparent: TP, baggage: "a=1;p r=x,b=2;ok" }, expect: { traceId: T }, baggage: { b: "2" } },
  { rule: "Baggage §3.2.1.1 percent-encoded octets that are not UTF-8 become U+FFFD", headers: { traceparent: TP, baggage: "a=%E2%28,userName=Jos%E9,b=2" }, expect: { traceId: T }, baggage: { a: "\uFFFD(", userName: "Jos\uFFFD", b: "2" } },
  { rule: "Baggage §3.2.1 a percent sign that begins no escape invalidates the member", headers: { traceparent: TP, baggage: "a=100%,b=%zz%C3%A9,c=%C3%A9" }, expect: { traceId: T }, baggage: { c: "é" } },
  { rule: "Baggage §3.3.2 at most 64 members are kept", headers: { traceparent: TP, baggage: Array.from({ length: 70 }, (_, i) => `k${i}=v`).join(",") }, expect: { traceId: T } },
  { rule: "Baggage §3.3.2 a header over 8192 bytes is not taken", headers: { traceparent: TP, baggage: `k=${"v".repeat(8191)}` }, expect: { traceId: T }, baggage: undefined },
];

describe("W3C Trace Context and Baggage, rule by rule", () => {
  it.each(cases)("$rule", (row) => {
    const { headers, expect: expected, baggage } = row;
    const ctx = extract(headers);
    if (expected === undefined) {
      expect(ctx).toBeUndefined();
      return;
    }
    expect(ctx).toMatchObject(expected);
    if ("traceState" in expected) expect(ctx?.traceState).toBe(expected.traceState);
    if (headers.baggage !== undefined && "baggage" in row) {
      expect(ctx?.baggage === undefined ? undefined : Object.fromEntries([...ctx.baggage].map(([k, v]) => [k, v.value]))).toEqual(baggage);
    }
    if (headers.baggage?.startsWith("k0=")) expect(ctx?.baggage?.size).toBe(64);
    // Whatever came in, what we send on is valid again.
    assertValid(ctx);
  });
});

/** A small seeded PRNG (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = "0123456789abcdefABCDEF-_=,;%@*/ \t\u00a0\u2028\n\r\u0000xyz\u00e9\ud83d\ude00\ud800\"\\";
const SEEDS = [TP, `cc-${T}-${S}-01-extra`, "vendor=abc,tenant@sys=x, k=v", "user.id=u-1;p=1,note=hello%20world,k=%E2%9C%93"];

function mutate(rnd: () => number, text: string): string {
  let out = text;
  const steps = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const ch = ALPHABET[Math.floor(rnd() * ALPHABET.length)]!;
    switch (Math.floor(rnd() * 7)) {
      case 0: out = out.slice(0, at) + ch + out.slice(at + 1); break;
      case 1: out = out.slice(0, at) + ch + out.slice(at); break;
      case 2: out = out.slice(0, at) + out.slice(at + 1); break;
      case 3: out = out.slice(0, at); break;
      case 4: out = out.slice(0, at) + out.slice(0, at) + out.slice(at); break;
      case 5: out = rnd() < 0.5 ? out.toUpperCase() : out.replaceAll(",", ch); break;
      default: out = out + (rnd() < 0.5 ? "," : "-") + out; break;
    }
  }
  return out;
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

function assertValid(ctx: RemoteSpanContext | undefined): void {
  if (ctx === undefined) return;
  expect(ctx.traceId).toMatch(HEX32);
  expect(ctx.traceId).not.toBe("0".repeat(32));
  expect(ctx.spanId).toMatch(HEX16);
  expect(ctx.spanId).not.toBe("0".repeat(16));
  expect(Number.isInteger(ctx.traceFlags) && ctx.traceFlags >= 0 && ctx.traceFlags <= 255).toBe(true);
  expect(ctx.isRemote).toBe(true);
  if (ctx.traceState !== undefined) {
    expect(parseTracestate(ctx.traceState)).toBe(ctx.traceState);
    expect(ctx.traceState.split(",").length).toBeLessThanOrEqual(32);
  }
  if (ctx.baggage !== undefined) {
    expect(ctx.baggage.size).toBeGreaterThan(0);
    expect(ctx.baggage.size).toBeLessThanOrEqual(64);
    const header = formatBaggage(ctx.baggage);
    expect(header).toBeDefined();
    expect(new TextEncoder().encode(header).length).toBeLessThanOrEqual(8192);
    // Re-encoding can grow a value (a raw "$" becomes "%24"); then whole members are left out.
    for (const [key, entry] of parseBaggage(header) ?? []) expect(ctx.baggage.get(key)).toEqual(entry);
  }
  // Sending it on produces headers that parse back to the same trace.
  const out = injectInto({} as Record<string, string>, ctx, ctx.baggage);
  expect(extract(out)).toMatchObject({ traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.traceFlags & 0xff });
}

describe("extract under hostile input", () => {
  it("never throws and never returns an invalid context for 100,000 mutated headers", () => {
    const rnd = random(0x5eed);
    let accepted = 0;
    for (let i = 0; i < 100_000; i++) {
      const headers: Record<string, string> = {};
      headers.traceparent = rnd() < 0.15 ? TP : mutate(rnd, SEEDS[Math.floor(rnd() * 2)]!);
      if (rnd() < 0.7) headers.tracestate = mutate(rnd, SEEDS[2 + Math.floor(rnd() * 2)]!);
      if (rnd() < 0.7) headers.baggage = mutate(rnd, SEEDS[2 + Math.floor(rnd() * 2)]!);
      let ctx: RemoteSpanContext | undefined;
      try {
        ctx = extract(rnd() < 0.5 ? headers : new Headers(Object.entries(headers).filter(([, v]) => /^[\x09\x20-\x7e\x80-\xff]*$/.test(v) && v.trim() === v)));
      } catch (err) {
        throw new Error(`extract threw on ${JSON.stringify(headers)}: ${String(err)}`);
      }
      if (ctx === undefined) continue;
      accepted++;
      try {
        assertValid(ctx);
      } catch (err) {
        throw new Error(`invalid context from ${JSON.stringify(headers)}: ${String(err)}`);
      }
    }
    // The mutations must leave enough valid headers for the check to mean something.
    expect(accepted).toBeGreaterThan(10_000);
  });
});
