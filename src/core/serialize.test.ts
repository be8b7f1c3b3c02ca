import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, flush, init, observe, shutdown } from "spanwise/node";
import { safeStringify } from "./serialize.js";

const LIMIT = 1_000;

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function throwingGetter(): object {
  const o: Record<string, unknown> = { ok: 1 };
  Object.defineProperty(o, "bad", { enumerable: true, get: () => { throw new Error("getter"); } });
  return o;
}

function deep(levels: number): object {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < levels; i++) o = { child: o };
  return o;
}

/** Hostile values: none may make safeStringify throw, whatever the limit. */
const hostile: [string, () => unknown][] = [
  ["a circular object", () => { const o: Record<string, unknown> = { a: 1 }; o.self = o; return o; }],
  ["a circular array", () => { const a: unknown[] = [1]; a.push(a); return a; }],
  ["a BigInt", () => 2n ** 100n],
  ["a Map with object keys", () => new Map<unknown, unknown>([["a", 1], [{ k: 1 }, new Set([1])]])],
  ["a Set", () => new Set([1, "x", { y: 2 }])],
  ["an Error with a cause", () => new Error("outer", { cause: new TypeError("inner") })],
  ["a typed array", () => new Float64Array(1_000_000)],
  ["an ArrayBuffer", () => new ArrayBuffer(64)],
  ["a DataView", () => new DataView(new ArrayBuffer(8))],
  ["a function", () => function named() {}],
  ["a symbol", () => Symbol("s")],
  ["a valid Date", () => new Date(0)],
  ["an invalid Date", () => new Date("nope")],
  ["an object with a throwing getter", throwingGetter],
  ["a revoked Proxy", revokedProxy],
  ["an object holding a revoked Proxy", () => ({ a: 1, p: revokedProxy(), b: 2 })],
  ["a Proxy whose ownKeys trap throws", () => new Proxy({}, { ownKeys: () => { throw new Error("keys"); } })],
  ["an object with a throwing toJSON", () => ({ toJSON: () => { throw new Error("toJSON"); } })],
  ["an object with a throwing Symbol.toStringTag", () => ({ get [Symbol.toStringTag]() { throw new Error("tag"); } })],
  ["deep nesting", () => deep(10_000)],
  ["a huge string", () => "x".repeat(5_000_000)],
  ["a huge string of characters JSON escapes", () => '"\n\\'.repeat(1_000_000)],
  ["a huge array", () => new Array(1_000_000).fill({ n: 1 })],
  ["a huge Map", () => new Map(Array.from({ length: 200_000 }, (_, i) => [i, i]))],
  ["NaN and infinities", () => [Number.NaN, Infinity, -Infinity]],
  ["a null-prototype object", () => Object.assign(Object.create(null), { a: 1 })],
  ["a Promise", () => Promise.resolve(1)],
  ["a WeakMap", () => new WeakMap()],
  ["a RegExp", () => /a+b/gi],
];

describe("safeStringify", () => {
  it.each(hostile)("never throws on %s and stays within the limit", (_label, make) => {
    const value = make();
    for (const limit of [16, 64, LIMIT]) {
      const out = safeStringify(value, limit);
      expect(typeof out).toBe("string");
      expect(out!.length).toBeLessThanOrEqual(limit);
    }
  });

  it("keeps even its placeholder for an unserialisable value within a tiny limit", () => {
    for (const limit of [1, 8]) {
      expect(safeStringify(revokedProxy(), limit)!.length).toBeLessThanOrEqual(limit);
      expect(safeStringify("long string", limit)!.length).toBeLessThanOrEqual(limit);
      expect(safeStringify({ a: "long value" }, limit)!.length).toBeLessThanOrEqual(limit);
    }
  });

  it("marks cycles as [Circular] but writes a shared object each time it appears", () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    expect(safeStringify(o, LIMIT)).toBe('{"a":1,"self":"[Circular]"}');
    const shared = { v: 1 };
    expect(safeStringify({ x: shared, y: [shared] }, LIMIT)).toBe('{"x":{"v":1},"y":[{"v":1}]}');
  });

  it("writes BigInt as a decimal string", () => {
    expect(safeStringify({ n: 10n }, LIMIT)).toBe('{"n":"10"}');
    expect(safeStringify(2n ** 70n, LIMIT)).toBe('"1180591620717411303424"');
  });

  it("writes a Map as an object and a Set as an array", () => {
    expect(safeStringify(new Map<unknown, unknown>([["a", 1], [{ k: 1 }, 2]]), LIMIT)).toBe('{"a":1,"{\\"k\\":1}":2}');
    expect(safeStringify(new Set([1, "x"]), LIMIT)).toBe('[1,"x"]');
  });

  it("writes an Error with its name, message, stack, cause and own fields", () => {
    const err = Object.assign(new Error("outer", { cause: new TypeError("inner") }), { code: "E_OUTER" });
    const parsed = JSON.parse(safeStringify(err, 100_000)!);
    expect(parsed.name).toBe("Error");
    expect(parsed.message).toBe("outer");
    expect(parsed.stack).toContain("outer");
    expect(parsed.cause).toMatchObject({ name: "TypeError", message: "inner" });
    expect(parsed.code).toBe("E_OUTER");
  });

  it("describes binary data by type and size instead of dumping it", () => {
    expect(safeStringify(new Uint8Array(3), LIMIT)).toBe('"[Uint8Array(3 bytes)]"');
    expect(safeStringify(new Float64Array(2), LIMIT)).toBe('"[Float64Array(16 bytes)]"');
    expect(safeStringify(new ArrayBuffer(8), LIMIT)).toBe('"[ArrayBuffer(8 bytes)]"');
    expect(safeStringify(new DataView(new ArrayBuffer(4)), LIMIT)).toBe('"[DataView(4 bytes)]"');
  });

  it("describes functions and symbols", () => {
    function search() {}
    const anonymous = (() => () => 1)();
    expect(safeStringify(search, LIMIT)).toBe('"[Function: search]"');
    expect(safeStringify(anonymous, LIMIT)).toBe('"[Function]"');
    expect(safeStringify(Symbol("tok"), LIMIT)).toBe('"Symbol(tok)"');
    expect(safeStringify({ s: Symbol.iterator }, LIMIT)).toBe('{"s":"Symbol(Symbol.iterator)"}');
  });

  it("writes valid dates as ISO strings and invalid ones as Invalid Date", () => {
    expect(safeStringify(new Date("2024-01-02T03:04:05Z"), LIMIT)).toBe('"2024-01-02T03:04:05.000Z"');
    expect(safeStringify({ at: new Date(Number.NaN) }, LIMIT)).toBe('{"at":"Invalid Date"}');
  });

  it("replaces a getter that throws and keeps the other fields", () => {
    expect(safeStringify(throwingGetter(), LIMIT)).toBe('{"ok":1,"bad":"[Throws]"}');
  });

  it("replaces a revoked Proxy and keeps the fields around it", () => {
    const out = safeStringify({ a: 1, p: revokedProxy(), b: 2 }, LIMIT)!;
    expect(out).toMatch(/^\{"a":1,"p":.*,"b":2\}$/);
  });

  it("replaces a throwing toJSON and keeps the fields around it", () => {
    const out = safeStringify({ a: 1, bad: { toJSON: () => { throw new Error("no"); } }, b: 2 }, LIMIT)!;
    expect(out).toMatch(/^\{"a":1,"bad":.*,"b":2\}$/);
  });

  it("uses a working toJSON", () => {
    expect(safeStringify({ money: { toJSON: () => ({ amount: 5, currency: "EUR" }) } }, LIMIT)).toBe('{"money":{"amount":5,"currency":"EUR"}}');
  });

  it("writes Headers with their credentials masked, and FormData and URLSearchParams by type, whatever their toJSON", () => {
    const headers = new Headers({ "content-type": "application/json", authorization: "Bearer sk-live-123", cookie: "sid=abc", "x-api-key": "k-1", "x-request-id": "r-1" });
    expect(JSON.parse(safeStringify({ headers }, LIMIT)!)).toEqual({
      headers: { authorization: "[REDACTED]", "content-type": "application/json", cookie: "[REDACTED]", "x-api-key": "[REDACTED]", "x-request-id": "r-1" },
    });
    // Bun gives these a toJSON that lists every value; Node none. Neither is followed.
    const form = Object.assign(new FormData(), { toJSON: () => ({ password: "hunter2" }) });
    form.append("password", "hunter2");
    const params = Object.assign(new URLSearchParams("token=t-1"), { toJSON: () => ({ token: "t-1" }) });
    const signed = Object.assign(new Headers({ "x-signature": "s-1" }), { toJSON: () => ({ "x-signature": "s-1" }) });
    expect(safeStringify([form, params, signed], LIMIT)).toBe('["[FormData]","[URLSearchParams]",{"x-signature":"[REDACTED]"}]');
  });

  it("stops descending past the depth limit", () => {
    const out = safeStringify(deep(10_000), 100_000)!;
    expect(out).toContain('"[Object]"');
    expect(out.startsWith('{"child":{"child":')).toBe(true);
  });

  it("returns strings as they are and cuts long ones to the limit with an ellipsis", () => {
    expect(safeStringify("plain text", LIMIT)).toBe("plain text");
    const cut = safeStringify("y".repeat(5_000), LIMIT)!;
    expect(cut).toHaveLength(LIMIT);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("keeps JSON too long for the limit valid: its structure whole, its longest strings cut first, each ending in …", () => {
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: `Context:\n${"ré\"sumé ".repeat(3_000)}` },
      { role: "assistant", content: "x".repeat(600) },
      { role: "user", content: "And then?" },
    ];
    const out = safeStringify(messages, LIMIT)!;
    expect(out.length).toBeLessThanOrEqual(LIMIT);
    const parsed = JSON.parse(out) as { role: string; content: string }[];
    expect(parsed.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    // Short strings are untouched; the long ones are cut to one length, as long as the limit lets them be.
    expect(parsed[0]?.content).toBe("Be brief.");
    expect(parsed[3]?.content).toBe("And then?");
    const [long1, long2] = [parsed[1]?.content as string, parsed[2]?.content as string];
    expect(long1.endsWith("…") && long2.endsWith("…")).toBe(true);
    expect(long1.length).toBe(long2.length);
    expect(messages[1]?.content.startsWith(long1.slice(0, -1))).toBe(true);
    expect(out.length).toBeGreaterThan(LIMIT - 20);
    // Keys are never cut, and a structure that cannot fit is cut as text.
    expect(safeStringify({ ["k".repeat(LIMIT)]: 1 }, LIMIT)?.endsWith("…")).toBe(true);
    expect(safeStringify(Array.from({ length: LIMIT }, () => "a"), LIMIT)?.endsWith("…")).toBe(true);
  });

  it("returns undefined for undefined and JSON for other primitives", () => {
    expect(safeStringify(undefined, LIMIT)).toBeUndefined();
    expect(safeStringify(null, LIMIT)).toBe("null");
    expect(safeStringify(42, LIMIT)).toBe("42");
    expect(safeStringify(true, LIMIT)).toBe("true");
    expect(safeStringify({ u: undefined, n: null }, LIMIT)).toBe('{"n":null}');
    expect(safeStringify([undefined], LIMIT)).toBe("[null]");
  });

  it("truncates huge values to the limit quickly", () => {
    // Huge strings are cut inside valid JSON; a structure too big for the limit is cut as text.
    const huge: [string, unknown, "json" | "text"][] = [
      ["a 50 MB string inside an object", { text: "z".repeat(50_000_000) }, "json"],
      ["a 5-million-item array", new Array(5_000_000).fill(7), "text"],
      ["an object with 1e5 keys", Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])), "text"],
      ["a Map with 1e6 entries", new Map(Array.from({ length: 1_000_000 }, (_, i) => [i, i])), "text"],
      ["a 10 MB string of quotes", { q: '"'.repeat(10_000_000) }, "json"],
    ];
    for (const [label, value, kind] of huge) {
      const started = performance.now();
      const out = safeStringify(value, LIMIT)!;
      const took = performance.now() - started;
      expect(out.length, label).toBeLessThanOrEqual(LIMIT);
      if (kind === "text") expect(out.endsWith("…"), label).toBe(true);
      else expect((Object.values(JSON.parse(out) as Record<string, string>)[0] as string).endsWith("…"), label).toBe(true);
      expect(took, `${label} took ${took.toFixed(1)} ms`).toBeLessThan(250);
    }
  });
});

describe("capture through observe", () => {
  afterEach(async () => {
    await shutdown();
  });

  it("captures hostile arguments without throwing, within maxAttributeValueLength", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false, maxAttributeValueLength: 256, scheduleDelayMs: 60_000, logger: { warn: () => {} } });
    const take = observe((_v: unknown) => "taken", { name: "take" });
    for (const [, make] of hostile) expect(take(make())).toBe("taken");
    await flush();
    expect(memory.spans).toHaveLength(hostile.length);
    for (const s of memory.spans) {
      const input = s.attributes["input.value"];
      expect(typeof input).toBe("string");
      expect((input as string).length).toBeLessThanOrEqual(256);
    }
  });

  it.each(hostile.filter(([label]) => label !== "a Promise"))("returns %s untouched from an observed function and still ends the span", async (_label, make) => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false, maxAttributeValueLength: 256, scheduleDelayMs: 60_000, logger: { warn: () => {} } });
    const value = make();
    expect(observe(() => value, { name: "give" })()).toBe(value);
    await flush();
    expect(memory.spans).toHaveLength(1);
    const output = memory.spans[0]!.attributes["output.value"];
    if (output !== undefined) expect(String(output).length).toBeLessThanOrEqual(256);
  });

  it("writes circular and BigInt arguments readably", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], flushOnExit: false, scheduleDelayMs: 60_000, logger: { warn: () => {} } });
    const o: Record<string, unknown> = { id: 1n };
    o.me = o;
    observe((_a: unknown, _b: unknown) => undefined, { name: "args" })(o, new Map([["k", 1]]));
    await flush();
    expect(memory.spans[0]?.attributes["input.value"]).toBe('[{"id":"1","me":"[Circular]"},{"k":1}]');
  });
});
