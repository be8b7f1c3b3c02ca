import { describe, expect, it } from "vitest";
import type { Baggage } from "./context.js";
import { extractFrom, formatBaggage, formatTraceparent, injectInto, parseBaggage, parseTraceparent, parseTracestate, tracestateFor } from "./propagation.js";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";
const S = "00f067aa0ba902b7";

describe("traceparent", () => {
  it.each<[string, string, number]>([
    ["a sampled version-00 header", `00-${T}-${S}-01`, 1],
    ["an unsampled version-00 header", `00-${T}-${S}-00`, 0],
    ["a header with surrounding whitespace", `  00-${T}-${S}-01\t`, 1],
    ["a future version", `01-${T}-${S}-01`, 1],
    ["a future version with extra fields", `cc-${T}-${S}-01-what-the-future-will-be-like`, 1],
    ["a future version with unknown flags", `02-${T}-${S}-ff-x`, 1],
  ])("accepts %s", (_label, header, sampled) => {
    const ctx = parseTraceparent(header);
    expect(ctx).toBeDefined();
    expect(ctx).toMatchObject({ traceId: T, spanId: S, isRemote: true });
    expect(ctx!.traceFlags & 1).toBe(sampled);
  });

  it.each<[string, unknown]>([
    ["an uppercase trace id", `00-${T.toUpperCase()}-${S}-01`],
    ["an uppercase span id", `00-${T}-${S.toUpperCase()}-01`],
    ["uppercase flags", `00-${T}-${S}-0A`],
    ["an uppercase version", `0A-${T}-${S}-01`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${S}-01`],
    ["an all-zero span id", `00-${T}-${"0".repeat(16)}-01`],
    ["version ff", `ff-${T}-${S}-01`],
    ["version 00 with an extra field", `00-${T}-${S}-01-extra`],
    ["version 00 with a trailing dash", `00-${T}-${S}-01-`],
    ["a future version with junk glued to the flags", `cc-${T}-${S}-01extra`],
    ["a 31-char trace id", `00-${T.slice(1)}-${S}-01`],
    ["a 33-char trace id", `00-${T}a-${S}-01`],
    ["a 15-char span id", `00-${T}-${S.slice(1)}-01`],
    ["a 17-char span id", `00-${T}-${S}a-01`],
    ["a 1-char version", `0-${T}-${S}-01`],
    ["a 3-char version", `000-${T}-${S}-01`],
    ["1-char flags", `00-${T}-${S}-1`],
    ["3-char flags", `00-${T}-${S}-001`],
    ["a non-hex character", `00-${T.slice(0, 31)}g-${S}-01`],
    ["wrong separators", `00_${T}_${S}_01`],
    ["missing fields", `00-${T}`],
    ["an empty string", ""],
    ["garbage", "garbage"],
    ["a non-string", 42],
    ["null", null],
    ["undefined", undefined],
    ["a 10 KB value", `cc-${T}-${S}-01-${"x".repeat(10_000)}`],
  ])("rejects %s", (_label, header) => {
    expect(parseTraceparent(header as string)).toBeUndefined();
  });

  it("formats a context as version 00 with two-digit flags", () => {
    expect(formatTraceparent({ traceId: T, spanId: S, traceFlags: 1 })).toBe(`00-${T}-${S}-01`);
    expect(formatTraceparent({ traceId: T, spanId: S, traceFlags: 0 })).toBe(`00-${T}-${S}-00`);
    expect(parseTraceparent(formatTraceparent({ traceId: T, spanId: S, traceFlags: 1 }))).toMatchObject({ traceId: T, spanId: S, traceFlags: 1 });
  });
});

describe("tracestate", () => {
  const members = (n: number): string => Array.from({ length: n }, (_, i) => `k${i}=v${i}`).join(",");

  it.each<[string, string, string]>([
    ["one member", "vendor=value", "vendor=value"],
    ["several members", "a=1,b=2,c=3", "a=1,b=2,c=3"],
    ["32 members", members(32), members(32)],
    ["multi-tenant keys", "tenant@vendor=x,0tenant@sys=y", "tenant@vendor=x,0tenant@sys=y"],
    ["keys with _ - * /", "a_b-c*d/e=1", "a_b-c*d/e=1"],
    ["whitespace around members", "  a=1 ,\tb=2  ", "a=1,b=2"],
    ["empty members", ",a=1,,b=2,", "a=1,b=2"],
    ["a value with inner spaces", "a=hello world", "a=hello world"],
    ["a 256-char value", `a=${"v".repeat(256)}`, `a=${"v".repeat(256)}`],
    ["a 256-char key", `${"k".repeat(256)}=1`, `${"k".repeat(256)}=1`],
  ])("accepts %s", (_label, header, normalised) => {
    expect(parseTracestate(header)).toBe(normalised);
  });

  it.each<[string, unknown]>([
    ["33 members", members(33)],
    ["a duplicate key", "a=1,b=2,a=3"],
    ["an uppercase key", "Vendor=1"],
    ["an uppercase system id", "tenant@Vendor=1"],
    ["a multi-tenant key with an empty system id", "tenant@=1"],
    ["a multi-tenant key with a 15-char system id", `t@${"s".repeat(15)}=1`],
    ["a multi-tenant key with a 242-char tenant id", `${"t".repeat(242)}@s=1`],
    ["a 257-char key", `${"k".repeat(257)}=1`],
    ["a 257-char value", `a=${"v".repeat(257)}`],
    ["an empty value", "a="],
    ["a member without =", "a"],
    ["an empty key", "=1"],
    ["a value with =", "a=b=c"],
    ["a non-ASCII value", "a=caf\u00e9"],
    ["a control character", "a=x\u0001y"],
    ["a non-string", 42],
    ["only commas", ",,,"],
  ])("rejects %s", (_label, header) => {
    expect(parseTracestate(header as string)).toBeUndefined();
  });
});

describe("baggage", () => {
  it("parses members and percent-decodes their values", () => {
    const b = parseBaggage("user.id=u-1,note=hello%20world%2C%3D%3B,check=%E2%9C%93");
    expect(b?.get("user.id")).toEqual({ value: "u-1" });
    expect(b?.get("note")).toEqual({ value: "hello world,=;" });
    expect(b?.get("check")).toEqual({ value: "\u2713" });
  });

  it("keeps properties as metadata", () => {
    expect(parseBaggage("k=v;p1;p2=x")?.get("k")).toEqual({ value: "v", metadata: "p1;p2=x" });
  });

  it("trims whitespace around keys, values and members", () => {
    const b = parseBaggage("  a = 1 ,\tb=2 ");
    expect(b?.get("a")?.value).toBe("1");
    expect(b?.get("b")?.value).toBe("2");
  });

  it("drops invalid members and keeps the rest", () => {
    const b = parseBaggage('a=1,bad key=x,c=%ZZ,d=q"uote,=novalue,e,f=2');
    expect([...(b?.keys() ?? [])]).toEqual(["a", "f"]);
  });

  it.each<[string, unknown]>([
    ["an empty string", ""],
    ["only invalid members", "bad key=1,=2"],
    ["a non-string", 42],
    ["more than 8192 bytes", `k=${"v".repeat(8200)}`],
  ])("gives nothing for %s", (_label, header) => {
    expect(parseBaggage(header as string)).toBeUndefined();
  });

  it("keeps at most 64 members", () => {
    const header = Array.from({ length: 80 }, (_, i) => `k${i}=${i}`).join(",");
    expect(parseBaggage(header)?.size).toBe(64);
  });

  it("percent-encodes values when formatting and round-trips through parse", () => {
    const baggage: Baggage = new Map([
      ["note", { value: "hello world,=;%" }],
      ["check", { value: "\u2713" }],
      ["k", { value: "v", metadata: "prop=1" }],
    ]);
    const header = formatBaggage(baggage)!;
    expect(header).toBe("note=hello%20world%2C%3D%3B%25,check=%E2%9C%93,k=v;prop=1");
    expect(parseBaggage(header)).toEqual(baggage);
  });

  it("leaves out invalid keys and stays within the limits when formatting", () => {
    expect(formatBaggage(new Map([["bad key", { value: "x" }], ["ok", { value: "y" }]]))).toBe("ok=y");
    expect(formatBaggage(new Map())).toBeUndefined();
    expect(formatBaggage(undefined)).toBeUndefined();
    const many: Baggage = new Map(Array.from({ length: 100 }, (_, i) => [`k${i}`, { value: "v".repeat(200) }]));
    const header = formatBaggage(many)!;
    expect(new TextEncoder().encode(header).length).toBeLessThanOrEqual(8192);
    expect(header.split(",").length).toBeLessThanOrEqual(64);
    expect(parseBaggage(header)).toBeDefined();
  });
});

describe("extract and inject", () => {
  it("reads headers case-insensitively from a record and from Headers", () => {
    const record = { Traceparent: `00-${T}-${S}-01`, TraceState: "a=1" };
    expect(extractFrom(record)).toMatchObject({ traceId: T, spanId: S, traceState: "a=1" });
    const headers = new Headers({ traceparent: `00-${T}-${S}-01`, baggage: "k=v" });
    expect(extractFrom(headers)?.baggage?.get("k")?.value).toBe("v");
  });

  it("joins repeated tracestate headers and rejects repeated traceparent headers", () => {
    expect(extractFrom({ traceparent: `00-${T}-${S}-01`, tracestate: ["a=1", "b=2"] })?.traceState).toBe("a=1,b=2");
    expect(extractFrom({ traceparent: [`00-${T}-${S}-01`, `00-${T}-${S}-01`] })).toBeUndefined();
  });

  it("keeps a valid traceparent when tracestate and baggage are invalid", () => {
    const ctx = extractFrom({ traceparent: `00-${T}-${S}-01`, tracestate: "A=1", baggage: "bad key=1" });
    expect(ctx).toMatchObject({ traceId: T, spanId: S });
    expect(ctx?.traceState).toBeUndefined();
    expect(ctx?.baggage).toBeUndefined();
  });

  it("writes traceparent, tracestate and baggage into a record and into Headers", () => {
    const baggage: Baggage = new Map([["k", { value: "a b" }]]);
    const record = injectInto({} as Record<string, string>, { traceId: T, spanId: S, traceFlags: 1, traceState: "a=1" }, baggage);
    expect(record).toEqual({ traceparent: `00-${T}-${S}-01`, tracestate: `spanwise=${S},a=1`, baggage: "k=a%20b" });
    const headers = injectInto(new Headers(), { traceId: T, spanId: S, traceFlags: 0 }, undefined);
    expect(headers.get("traceparent")).toBe(`00-${T}-${S}-00`);
    expect(headers.get("tracestate")).toBe(`spanwise=${S}`);
    expect(headers.has("baggage")).toBe(false);
  });

  it("does not pass on an invalid tracestate", () => {
    const record = injectInto({} as Record<string, string>, { traceId: T, spanId: S, traceFlags: 1, traceState: "Bad=1" }, undefined);
    expect(record.tracestate).toBe(`spanwise=${S}`);
    const remote = injectInto({} as Record<string, string>, { traceId: T, spanId: S, traceFlags: 1, traceState: "Bad=1", isRemote: true }, undefined);
    expect(remote.tracestate).toBeUndefined();
  });

  it("puts our entry first, replaces an older one of ours and keeps at most 32 members", () => {
    const received = ["a=1", "spanwise=1111111111111111", ...Array.from({ length: 30 }, (_, i) => `k${i}=v`)].join(",");
    const out = tracestateFor(S, received).split(",");
    expect(out[0]).toBe(`spanwise=${S}`);
    expect(out.filter((m) => m.startsWith("spanwise="))).toHaveLength(1);
    expect(out).toHaveLength(32);
    expect(out[1]).toBe("a=1");
    const full = Array.from({ length: 32 }, (_, i) => `k${i}=v`).join(",");
    const capped = tracestateFor(S, full).split(",");
    expect(capped).toHaveLength(32);
    // The rightmost member makes room for ours.
    expect(capped.at(-1)).toBe("k30=v");
  });

  it("trims a long tracestate to 512 characters, members over 128 characters first", () => {
    const long = `big=${"x".repeat(200)}`;
    const small = Array.from({ length: 20 }, (_, i) => `key${i}=${"v".repeat(14)}`);
    const out = tracestateFor(S, [small[0], long, ...small.slice(1)].join(","));
    expect(out.length).toBeLessThanOrEqual(512);
    expect(out).not.toContain("big=");
    expect(out.split(",")).toEqual([`spanwise=${S}`, ...small]);
    const many = Array.from({ length: 31 }, (_, i) => `key${String(i).padStart(2, "0")}=${"v".repeat(20)}`);
    const cut = tracestateFor(S, many.join(",")).split(",");
    expect(cut.join(",").length).toBeLessThanOrEqual(512);
    expect(cut.slice(1)).toEqual(many.slice(0, cut.length - 1));
  });
});
