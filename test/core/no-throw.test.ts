import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createMemoryExporter,
  currentSpan,
  extract,
  flush,
  init,
  inject,
  observe,
  recordLLM,
  type SpanExporter,
  shutdown,
  type Span,
  span,
  startSpan,
  stats,
  updateCurrentSpan,
  updateCurrentTrace,
  withAttributes,
} from "spanwise/node";
import { type Harness, start } from "./helpers.js";

// Hostile values a user (or a user's data) can hand to the SDK.
const throwingGetters = (): Record<string, unknown> =>
  Object.defineProperty({ ok: 1 }, "bad", { enumerable: true, get: () => { throw new Error("getter"); } }) as Record<string, unknown>;
const circular = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
};
const revoked = (): Record<string, unknown> => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingToString = (): object => ({ toString: () => { throw new Error("toString"); }, [Symbol.toPrimitive]: () => { throw new Error("toPrimitive"); } });
const garbageParents: [string, () => unknown][] = [
  ["a number", () => 42],
  ["an empty object", () => ({})],
  ["a garbage string", () => "garbage"],
  ["an all-zero traceparent", () => "00-00000000000000000000000000000000-0000000000000000-01"],
  ["a context with bad ids", () => ({ traceId: "zz", spanId: "yy", traceFlags: 1 })],
  ["a context with throwing getters", () => Object.defineProperty({}, "traceId", { get: () => { throw new Error("traceId"); } })],
  ["a revoked proxy", revoked],
  ["an array", () => ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]],
  ["a function", () => () => undefined],
];

const RESULT = { sentinel: true };
const ERROR = new Error("user error");
const logger = { warn: () => {}, debug: () => {} };

afterEach(async () => {
  await shutdown();
});

describe("before init", () => {
  beforeEach(async () => {
    await shutdown();
  });

  it("reports tracing as disabled", () => {
    expect(stats().enabled).toBe(false);
    expect(currentSpan()).toBeUndefined();
  });

  it("runs observed functions and returns their value or error untouched", async () => {
    const fn = observe((a: number, b: number) => ({ sum: a + b, RESULT }));
    expect(fn(1, 2)).toEqual({ sum: 3, RESULT });
    expect(observe(() => RESULT)()).toBe(RESULT);
    expect(await observe(async () => RESULT)()).toBe(RESULT);
    expect(() => observe(() => { throw ERROR; })()).toThrow(ERROR);
    await expect(observe(async () => { throw ERROR; })()).rejects.toBe(ERROR);
    const gen = observe(function* () { yield 1; yield 2; });
    expect([...gen()]).toEqual([1, 2]);
  });

  it("runs span() and withAttributes() and returns what fn returned", async () => {
    let given: Span | undefined;
    expect(span("x", (s) => { given = s; return RESULT; })).toBe(RESULT);
    expect(span("x", { kind: "tool" }, () => RESULT)).toBe(RESULT);
    expect(await span("x", async () => RESULT)).toBe(RESULT);
    expect(given?.isRecording()).toBe(false);
    expect(() => given?.setAttribute("k", "v").addEvent("e").setStatus("error").recordException(ERROR).update({ model: "m" }).end()).not.toThrow();
    expect(withAttributes({ userId: "u" }, () => RESULT)).toBe(RESULT);
    expect(() => span("x", () => { throw ERROR; })).toThrow(ERROR);
    expect(() => withAttributes({}, () => { throw ERROR; })).toThrow(ERROR);
  });

  it("hands out a no-op span from startSpan", () => {
    const s = startSpan("x", { parent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    expect(s.isRecording()).toBe(false);
    expect(s.setAttribute("k", 1)).toBe(s);
    expect(() => { s.end(); s.end(); }).not.toThrow();
    expect(s.spanContext().traceFlags).toBe(0);
  });

  it("makes the other calls harmless no-ops", async () => {
    expect(() => updateCurrentSpan({ model: "m" })).not.toThrow();
    expect(() => updateCurrentTrace({ userId: "u" })).not.toThrow();
    expect(recordLLM({ provider: "p", model: "m", startedAt: Date.now() })).toBeUndefined();
    expect(inject({ a: "1" })).toEqual({ a: "1" });
    expect(extract({ traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" })?.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    await expect(flush()).resolves.toBeUndefined();
    await expect(shutdown()).resolves.toBeUndefined();
  });

  it("stays a no-op when init is called with enabled false", () => {
    expect(init({ enabled: false, exporters: [createMemoryExporter()], flushOnExit: false })).toBe(false);
    expect(stats().enabled).toBe(false);
    expect(observe(() => RESULT)()).toBe(RESULT);
    expect(startSpan("x").isRecording()).toBe(false);
  });
});

describe("after init, hostile input", () => {
  let h: Harness;
  beforeEach(() => {
    h = start();
  });

  /** Runs a traced call with `opts`, checking the user's value and error pass through. */
  const passesThrough = async (opts: unknown): Promise<void> => {
    expect(observe(() => RESULT, opts as never)()).toBe(RESULT);
    expect(await observe(async () => RESULT, opts as never)()).toBe(RESULT);
    expect(() => observe(() => { throw ERROR; }, opts as never)()).toThrow(ERROR);
    expect(span("s", opts as never, () => RESULT)).toBe(RESULT);
  };

  it.each([
    ["null", null],
    ["a number", 42],
    ["a string", "options"],
    ["wrongly typed fields", { name: 42, kind: "bogus", spanKind: "bogus", attributes: 5, tags: "abc", metadata: 5, skipArgs: "x", captureInput: "yes", sessionId: 5, userId: {} }],
    ["attributes with throwing getters", { attributes: throwingGetters() }],
    ["circular attributes", { attributes: { c: circular() } }],
    ["a revoked proxy as attributes", { attributes: revoked() }],
    ["circular metadata", { metadata: circular() }],
    ["tags that are not strings", { tags: [1, null, {}, "ok"] }],
    ["tags that are a number", { tags: 5 }],
  ])("observe and span take options that are %s without touching the user's result", async (_label, opts) => {
    await passesThrough(opts);
    await expect(flush()).resolves.toBeUndefined();
  });

  it.each(garbageParents)("observe, span and startSpan take %s as parent and start a fresh trace", async (_label, make) => {
    await passesThrough({ parent: make() });
    let s: Span | undefined;
    expect(() => { s = startSpan("started", { parent: make() as never }); }).not.toThrow();
    expect(() => s!.end()).not.toThrow();
    await flush();
    for (const exported of h.memory.spans) {
      expect(exported.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(exported.traceId).not.toBe("00000000000000000000000000000000");
    }
  });

  it("contains what a user's getter throws even when it cannot be turned into a string, and runs the user's function", async () => {
    // A null-prototype object has no toString: `${err}` itself throws on it.
    const unprintable = () => Object.create(null) as object;
    const hostile = <T extends object>(base: T, key: string): T =>
      Object.defineProperty(base, key, {
        enumerable: true,
        get: () => {
          throw unprintable();
        },
      });
    let ran = 0;
    expect(() => withAttributes(hostile({}, "userId"), () => ran++)).not.toThrow();
    expect(() => recordLLM(hostile({ provider: "p", startedAt: Date.now() }, "model") as never)).not.toThrow();
    await span("outer", async () => {
      expect(() => updateCurrentTrace(hostile({}, "name"))).not.toThrow();
      expect(() => updateCurrentSpan(hostile({}, "name"))).not.toThrow();
    });
    const f = observe(() => ++ran, hostile({}, "spanKind") as never);
    expect(f()).toBe(2);
    expect(ran).toBe(2);
    expect(stats().internalErrors).toBeGreaterThan(0);
    expect(stats().lastError).toMatch(/\[unreadable error\]/);
  });

  it("observe names a function whose name throws or is not a string, and runs it", async () => {
    const throwing = Object.defineProperty(() => "a", "name", { get: () => { throw new Error("name"); } });
    const numbered = Object.defineProperty(() => "b", "name", { value: 42 });
    expect(observe(throwing)()).toBe("a");
    expect(observe(numbered)()).toBe("b");
    await flush();
    expect(h.memory.spans.map((s) => s.name)).toEqual(["anonymous", "anonymous"]);
  });

  it("observe tolerates being handed something that is not a function", () => {
    for (const v of [null, undefined, 42, "x", {}]) expect(() => observe(v as never)).not.toThrow();
  });

  it.each([
    ["a null name", () => span(null as never, () => RESULT)],
    ["a numeric name and null options", () => span(42 as never, null as never, () => RESULT)],
    ["an empty name", () => span("", () => RESULT)],
  ])("span takes %s", (_label, call) => {
    expect(call()).toBe(RESULT);
  });

  it.each([
    ["a null name", () => startSpan(null as never)],
    ["null options", () => startSpan("x", null as never)],
    ["numeric options", () => startSpan("x", 42 as never)],
    ["a garbage start time", () => startSpan("x", { startTime: "yesterday" as never })],
    ["links that are not links", () => startSpan("x", { links: [null, 5, { context: null }, { context: { traceId: 5 } }] as never })],
    ["links that are a number", () => startSpan("x", { links: 5 as never })],
    ["attributes with throwing getters", () => startSpan("x", { attributes: throwingGetters() })],
  ])("startSpan takes %s and returns an endable span", (_label, call) => {
    let s: Span | undefined;
    expect(() => { s = call(); }).not.toThrow();
    expect(() => s!.end()).not.toThrow();
  });

  it.each([
    ["null", null],
    ["a number", 42],
    ["wrongly typed fields", { userId: 5, sessionId: {}, tags: "x", metadata: 5 }],
    ["circular metadata", { metadata: circular() }],
    ["attributes with throwing getters", { attributes: throwingGetters() }],
    ["a revoked proxy", revoked()],
  ])("withAttributes takes %s and returns fn's value", async (_label, attrs) => {
    expect(withAttributes(attrs as never, () => span("inside", () => RESULT))).toBe(RESULT);
    expect(() => withAttributes(attrs as never, () => { throw ERROR; })).toThrow(ERROR);
    await expect(flush()).resolves.toBeUndefined();
  });

  it.each([
    ["null", null],
    ["a number", 42],
    ["a string", "update"],
    ["wrongly typed fields", { model: 5, provider: {}, usage: 5, costUsd: "x", tags: "x", metadata: 5, status: "bogus", name: 5 }],
    ["a usage with garbage counts", { usage: { inputTokens: -1, outputTokens: Number.NaN, totalTokens: "9" } }],
    ["circular input and output", { input: circular(), output: circular() }],
    ["attributes with throwing getters", { attributes: throwingGetters() }],
    ["throwing getters", throwingGetters()],
    ["a revoked proxy", revoked()],
  ])("updateCurrentSpan and updateCurrentTrace take %s", async (_label, fields) => {
    const result = span("target", () => {
      updateCurrentSpan(fields as never);
      updateCurrentTrace(fields as never);
      return RESULT;
    });
    expect(result).toBe(RESULT);
    expect(() => updateCurrentSpan(fields as never)).not.toThrow();
    await expect(flush()).resolves.toBeUndefined();
  });

  it("updateCurrentTrace with non-array tags does not lose the trace's spans", async () => {
    span("root", () => {
      updateCurrentTrace({ tags: 5 as never, metadata: 5 as never });
      span("child", () => undefined);
    });
    await flush();
    expect(h.memory.spans.map((s) => s.name).sort()).toEqual(["child", "root"]);
  });

  it.each([
    ["null", null],
    ["a number", 42],
    ["an empty object", {}],
    ["a garbage start time", { provider: "p", model: "m", startedAt: "yesterday" }],
    ["a null start time", { provider: "p", model: "m", startedAt: null }],
    ["wrongly typed fields", { provider: 5, model: null, startedAt: Date.now(), usage: 5, finishReasons: 5, inputTokens: "x", costUsd: "y" }],
    ["throwing getters", Object.defineProperty({ provider: "p", startedAt: Date.now() }, "model", { get: () => { throw new Error("model"); } })],
    ["a garbage parent", { provider: "p", model: "m", startedAt: Date.now(), parent: 42 }],
  ])("recordLLM takes %s", (_label, call) => {
    expect(() => recordLLM(call as never)).not.toThrow();
  });

  it.each([
    ["null", () => inject(null as never)],
    ["a number", () => inject(42 as never)],
    ["a frozen record", () => inject(Object.freeze({}))],
    ["a null source", () => inject({}, null as never)],
    ["a garbage string source", () => inject({}, "garbage" as never)],
    ["a source with throwing getters", () => inject({}, Object.defineProperty({}, "traceId", { get: () => { throw new Error("x"); } }) as never)],
    ["a Headers whose set throws", () => inject({ set: () => { throw new Error("set"); } })],
  ])("inject takes %s inside a span", (_label, call) => {
    span("caller", () => {
      expect(call).not.toThrow();
    });
  });

  it.each([
    ["bad ids", { traceId: "zz", spanId: "yy", traceFlags: 1 }],
    ["all-zero ids", { traceId: "0".repeat(32), spanId: "0".repeat(16), traceFlags: 1 }],
    ["a garbage string", "garbage"],
  ])("inject never writes an invalid traceparent from a source with %s", (_label, from) => {
    const carrier: Record<string, string> = {};
    expect(() => inject(carrier, from as never)).not.toThrow();
    if (carrier.traceparent !== undefined) expect(carrier.traceparent).toMatch(/^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["a string", "traceparent"],
    ["a numeric traceparent", { traceparent: 42 }],
    ["an array with a non-string", { traceparent: ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 5] }],
    ["a throwing getter", Object.defineProperty({}, "traceparent", { enumerable: true, get: () => { throw new Error("x"); } })],
    ["a get() that throws", { get: () => { throw new Error("x"); } }],
    ["a get() returning an object", { get: () => ({}) }],
    ["Headers with garbage", new Headers({ traceparent: "garbage", tracestate: "===", baggage: "%%%" })],
    ["a revoked proxy", revoked()],
    ["a 1 MB traceparent", { traceparent: `00-${"a".repeat(1_000_000)}` }],
    ["a 1 MB baggage", { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", baggage: "k=v,".repeat(250_000) }],
  ])("extract takes %s without throwing", (_label, carrier) => {
    expect(() => extract(carrier as never)).not.toThrow();
  });

  describe("span methods", () => {
    const calls: [string, (s: Span) => unknown][] = [
      ["setAttribute with an undefined key", (s) => s.setAttribute(undefined as never, 1)],
      ["setAttribute with an empty key", (s) => s.setAttribute("", 1)],
      ["setAttribute with a symbol key", (s) => s.setAttribute(Symbol("k") as never, 1)],
      ["setAttribute with a __proto__ key", (s) => s.setAttribute("__proto__", { polluted: true })],
      ["setAttribute with a constructor key", (s) => s.setAttribute("constructor", 1)],
      ["setAttribute with a symbol value", (s) => s.setAttribute("k", Symbol("v"))],
      ["setAttribute with a function value", (s) => s.setAttribute("k", () => 1)],
      ["setAttribute with a circular value", (s) => s.setAttribute("k", circular())],
      ["setAttribute with a revoked proxy", (s) => s.setAttribute("k", revoked())],
      ["setAttribute with a throwing toJSON", (s) => s.setAttribute("k", { toJSON: () => { throw new Error("x"); } })],
      ["setAttribute with a huge BigInt", (s) => s.setAttribute("k", 10n ** 40n)],
      ["setAttribute with NaN", (s) => s.setAttribute("k", Number.NaN)],
      ["setAttribute with a mixed array", (s) => s.setAttribute("k", [1, "a", null, {}])],
      ["setAttribute with a huge array", (s) => s.setAttribute("k", new Array(1_000_000).fill("x"))],
      ["setAttributes with null", (s) => s.setAttributes(null as never)],
      ["setAttributes with a number", (s) => s.setAttributes(42 as never)],
      ["setAttributes with throwing getters", (s) => s.setAttributes(throwingGetters())],
      ["setAttributes with a revoked proxy", (s) => s.setAttributes(revoked())],
      ["addEvent with a null name", (s) => s.addEvent(null as never)],
      ["addEvent with a name that cannot become a string", (s) => s.addEvent(throwingToString() as never)],
      ["addEvent with throwing attribute getters", (s) => s.addEvent("e", throwingGetters())],
      ["addEvent with a garbage time", (s) => s.addEvent("e", {}, "yesterday" as never)],
      ["addEvent with a null time", (s) => s.addEvent("e", {}, null as never)],
      ["addLink with null", (s) => s.addLink(null as never)],
      ["addLink with a garbage context", (s) => s.addLink({ context: { traceId: 5 } } as never)],
      ["addLink with a throwing context", (s) => s.addLink({ context: Object.defineProperty({}, "traceId", { get: () => { throw new Error("x"); } }) } as never)],
      ["setStatus with a bogus code", (s) => s.setStatus("bogus" as never)],
      ["setStatus with a message that cannot become a string", (s) => s.setStatus("error", throwingToString() as never)],
      ["recordException with null", (s) => s.recordException(null)],
      ["recordException with a string", (s) => s.recordException("oops")],
      ["recordException with a throwing message getter", (s) => s.recordException(Object.defineProperty(new Error(), "message", { get: () => { throw new Error("x"); } }))],
      ["recordException with a revoked proxy", (s) => s.recordException(revoked())],
      ["recordException with throwing attribute getters", (s) => s.recordException(ERROR, throwingGetters())],
      ["recordException with a number as attributes", (s) => s.recordException(ERROR, 42 as never)],
      ["update with null", (s) => s.update(null as never)],
      ["update with throwing getters", (s) => s.update(throwingGetters() as never)],
      ["updateName with a number", (s) => s.updateName(42 as never)],
      ["end with a garbage time", (s) => s.end("yesterday" as never)],
      ["end with null", (s) => s.end(null as never)],
      ["end with NaN", (s) => s.end(Number.NaN)],
      ["end with an invalid Date", (s) => s.end(new Date("nope"))],
      ["end twice", (s) => { s.end(); s.end(); }],
    ];

    it.each(calls)("%s does not throw on a live span", async (_label, call) => {
      const s = startSpan("target");
      expect(() => call(s)).not.toThrow();
      expect(() => s.end()).not.toThrow();
      await flush();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each(calls)("%s does not throw on an ended span", (_label, call) => {
      const s = startSpan("target");
      s.end();
      expect(() => call(s)).not.toThrow();
    });

    it("ignores changes to a span after it ended", async () => {
      const s = startSpan("ended");
      s.setAttribute("before", 1);
      s.end();
      const endTime = (s as unknown as { endTime: number }).endTime;
      s.setAttribute("after", 1);
      s.addEvent("late");
      s.setStatus("error", "late");
      s.updateName("renamed");
      s.update({ model: "late" });
      s.end(Date.now() + 60_000);
      await flush();
      const exported = h.memory.spans[0]!;
      expect(exported.name).toBe("ended");
      expect(exported.attributes.before).toBe(1);
      expect(exported.attributes.after).toBeUndefined();
      expect(exported.attributes["gen_ai.request.model"]).toBeUndefined();
      expect(exported.events).toHaveLength(0);
      expect(exported.statusCode).toBe("unset");
      expect(exported.endTime).toBe(endTime);
      expect(stats().ended).toBe(1);
    });

    it("keeps the attribute limit even for keys Object.prototype already has", async () => {
      await shutdown();
      const { memory } = start({ maxAttributes: 2 });
      const s = startSpan("limited");
      for (const key of ["constructor", "toString", "valueOf", "hasOwnProperty", "a", "b"]) s.setAttribute(key, 1);
      s.end();
      await flush();
      const exported = memory.spans[0]!;
      expect(Object.keys(exported.attributes).filter((k) => !["openinference.span.kind", "gen_ai.operation.name"].includes(k)).length).toBeLessThanOrEqual(2);
      expect(exported.droppedAttributesCount).toBe(4);
    });
  });
});

describe("exporters that misbehave", () => {
  const exporterInit = (exporter: SpanExporter, extra: Record<string, unknown> = {}) =>
    init({ exporters: [exporter], flushOnExit: false, logger, exportTimeoutMs: 50, scheduleDelayMs: 60_000, ...extra });

  const traceSome = async (): Promise<void> => {
    expect(observe(() => RESULT, { name: "a" })()).toBe(RESULT);
    expect(await span("b", async () => RESULT)).toBe(RESULT);
    expect(() => span("c", () => { throw ERROR; })).toThrow(ERROR);
  };

  it.each<[string, SpanExporter["export"]]>([
    ["throws synchronously", () => { throw new Error("sync boom"); }],
    ["rejects", async () => { throw new Error("async boom"); }],
    ["resolves with ok false", async () => ({ ok: false, error: "refused" })],
  ])("an exporter that %s is counted and never reaches user code", async (_label, exportFn) => {
    exporterInit({ name: "bad", export: exportFn });
    await traceSome();
    await expect(flush()).resolves.toBeUndefined();
    const st = stats();
    expect(st.exportErrors).toBe(1);
    expect(st.dropped.exportFailed).toBe(3);
    expect(st.exported).toBe(0);
    expect(st.lastError).toBeTruthy();
  });

  it.each<[string, SpanExporter["export"]]>([
    ["throws a null-prototype object", () => { throw Object.create(null); }],
    ["rejects with a null-prototype object", async () => { throw Object.create(null); }],
    ["rejects with an Error whose message getter throws", async () => { throw Object.defineProperty(new Error("x"), "message", { get: () => { throw Object.create(null); } }); }],
    ["resolves with a result whose ok getter throws", async () => ({ get ok(): true { throw Object.create(null); } })],
  ])("an exporter that %s is counted as a failed export, with a readable lastError", async (_label, exportFn) => {
    exporterInit({ name: "hostile", export: exportFn });
    await traceSome();
    await expect(flush()).resolves.toBeUndefined();
    const st = stats();
    expect(st.exportErrors).toBe(1);
    expect(st.dropped.exportFailed).toBe(3);
    expect(st.exported).toBe(0);
    expect(typeof st.lastError).toBe("string");
    expect(st.lastError).toContain("hostile");
  });

  it.each<[string, unknown, number]>([
    ["NaN", Number.NaN, 0],
    ["a string", "3", 0],
    ["a negative number", -5, 0],
    ["Infinity", Number.POSITIVE_INFINITY, 0],
    ["more than the batch", 99, 3],
  ])("an exporter that reports %s rejected spans keeps the counters exact", async (_label, rejected, expected) => {
    exporterInit({ name: "partial", export: async () => ({ ok: true, rejected }) as never });
    await traceSome();
    await flush();
    const st = stats();
    expect(st.dropped.rejected).toBe(expected);
    expect(st.exported).toBe(3 - expected);
  });

  it.each<[string, unknown, string]>([
    ["an Error", new Error("collector down"), "collector down"],
    ["a null-prototype object", Object.create(null), ""],
    // A gRPC-style status object reads as what it holds, not "[object Object]".
    ["a plain object", { code: 8, details: "quota exhausted" }, '{"code":8,"details":"quota exhausted"}'],
    ["an object with a cycle", (() => { const o: Record<string, unknown> = { code: 8 }; o.self = o; return o; })(), '{"code":8,"self":"[object]"}'],
    // Shallow: what it holds deeper (a user record, a large payload) stays out.
    ["an object holding a user record", { code: 7, user: { email: "ada@example.com" }, rows: new Array(100_000).fill(1) }, '{"code":7,"user":"[object]","rows":"[object]"}'],
  ])("an exporter that fails with %s as its error leaves a string in lastError", async (_label, error, expected) => {
    exporterInit({ name: "failing", export: async () => ({ ok: false, error }) as never });
    await traceSome();
    await flush();
    const { lastError } = stats();
    expect(typeof lastError).toBe("string");
    expect(lastError).toContain(expected);
  });

  it("an exporter that resolves with garbage is counted as a failed export", async () => {
    exporterInit({ name: "garbage", export: async () => undefined as never });
    await traceSome();
    await expect(flush()).resolves.toBeUndefined();
    const st = stats();
    expect(st.exportErrors + st.internalErrors).toBeGreaterThan(0);
    expect(st.exported + st.dropped.exportFailed).toBe(3);
  });

  it("an exporter that never resolves does not hold flush past the export timeout", async () => {
    exporterInit({ name: "hung", export: () => new Promise(() => {}) });
    await traceSome();
    // A hang would never resolve: resolving proves the export timeout bounded it.
    await expect(flush()).resolves.toBeUndefined();
    const st = stats();
    expect(st.exportErrors).toBe(1);
    expect(st.dropped.exportFailed).toBe(3);
    expect(st.lastError).toMatch(/hung/);
  });

  it("an exporter whose shutdown throws does not break shutdown", async () => {
    exporterInit({ name: "bad-shutdown", export: async () => ({ ok: true }), shutdown: () => { throw new Error("no"); } });
    await traceSome();
    await expect(shutdown()).resolves.toBeUndefined();
    expect(stats().exported).toBe(3);
  });

  it("an exporter whose shutdown throws synchronously does not skip the other exporters' shutdown or the open-spans warning", async () => {
    const warnings: string[] = [];
    let secondShutdown = 0;
    init({
      exporters: [
        { name: "a", export: async () => ({ ok: true }), shutdown: () => { throw new Error("sync shutdown bug"); } },
        { name: "b", export: async () => ({ ok: true }), shutdown: async () => void secondShutdown++ },
      ],
      flushOnExit: false,
      logger: { warn: (m: string) => warnings.push(m) },
    });
    startSpan("never ended");
    await traceSome();
    await expect(shutdown()).resolves.toBeUndefined();
    expect(secondShutdown).toBe(1);
    expect(warnings.some((w) => w.includes("never ended"))).toBe(true);
  });

  it("flush() and shutdown() called from inside an exporter resolve without waiting for that export", async () => {
    for (const call of [flush, shutdown]) {
      let calls = 0;
      exporterInit({ name: "reentrant", export: async () => { if (calls++ === 0) await call(); return { ok: true }; } }, { exportTimeoutMs: 5_000 });
      await traceSome();
      const t0 = Date.now();
      await flush();
      // A deadlock would end only at exportTimeoutMs + 1 s, with the spans counted as failed.
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(stats().exported).toBe(3);
      await shutdown();
    }
  });

  it("an OTLP endpoint nobody listens on is counted, not thrown", async () => {
    init({ endpoint: "http://127.0.0.1:9/v1/traces", flushOnExit: false, logger, exportTimeoutMs: 500, scheduleDelayMs: 60_000 });
    await traceSome();
    await expect(flush()).resolves.toBeUndefined();
    expect(stats().exportErrors).toBe(1);
    expect(stats().lastError).toMatch(/127\.0\.0\.1:9/);
  });

  it("a logger that throws does not break tracing", async () => {
    init({ exporters: [{ name: "bad", export: async () => { throw new Error("x"); } }], flushOnExit: false, logger: { warn: () => { throw new Error("logger"); } }, scheduleDelayMs: 60_000 });
    await traceSome();
    await expect(flush()).resolves.toBeUndefined();
    expect(init({})).toBe(false);
  });

  it("a second init while running returns false and keeps the first configuration", async () => {
    const memory = createMemoryExporter();
    expect(init({ exporters: [memory], flushOnExit: false, logger })).toBe(true);
    expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(false);
    span("kept", () => undefined);
    await flush();
    expect(memory.spans.map((s) => s.name)).toEqual(["kept"]);
  });
});
