import { afterEach, describe, expect, it } from "vitest";
import { type FinishedTrace, type ReadableSpan, flush, removeGlobalAttribute, setGlobalAttribute, shutdown, span, startSpan, stats, withAttributes } from "spanwise/node";
import { only, sleep, start } from "../core/helpers.js";

afterEach(() => shutdown());

describe("global attributes", () => {
  it("puts globalAttributes on every span, below what withAttributes and the span set", async () => {
    const { memory } = start({ globalAttributes: { tier: "global", region: "eu-west-1", shards: [1, 2] } });
    await withAttributes({ attributes: { tier: "scope", team: "search" } }, async () => {
      span("scoped", () => 1);
      span("own", (s) => s.setAttribute("tier", "span"));
    });
    span("plain", () => 1);
    await flush();
    expect(only(memory, "plain").attributes).toMatchObject({ tier: "global", region: "eu-west-1", shards: [1, 2] });
    expect(only(memory, "scoped").attributes).toMatchObject({ tier: "scope", team: "search", region: "eu-west-1" });
    expect(only(memory, "own").attributes).toMatchObject({ tier: "span", team: "search", region: "eu-west-1" });
  });

  it("applies setGlobalAttribute and removeGlobalAttribute to spans started afterwards", async () => {
    const { memory } = start({ globalAttributes: { "deployment.region": "eu" } });
    const before = startSpan("started before");
    setGlobalAttribute("feature.flag", "new-checkout");
    setGlobalAttribute("deployment.region", "us");
    span("after set", () => 1);
    removeGlobalAttribute("feature.flag");
    setGlobalAttribute("build", { sha: "abc123" });
    span("after remove", () => 1);
    before.end();
    await flush();
    expect(only(memory, "started before").attributes).toMatchObject({ "deployment.region": "eu" });
    expect(only(memory, "started before").attributes["feature.flag"]).toBeUndefined();
    expect(only(memory, "after set").attributes).toMatchObject({ "deployment.region": "us", "feature.flag": "new-checkout" });
    expect(only(memory, "after remove").attributes["feature.flag"]).toBeUndefined();
    expect(only(memory, "after remove").attributes.build).toBe('{"sha":"abc123"}');
  });

  it("gives each span of one trace the globals current when that span started", async () => {
    const { memory } = start({ globalAttributes: { "deployment.region": "eu" } });
    span("root", () => {
      span("first child", () => 1);
      setGlobalAttribute("feature.flag", "on");
      span("second child", () => 1);
      removeGlobalAttribute("feature.flag");
      removeGlobalAttribute("deployment.region");
      span("third child", () => 1);
    });
    await flush();
    expect(only(memory, "root").attributes).toMatchObject({ "deployment.region": "eu" });
    expect(only(memory, "first child").attributes["feature.flag"]).toBeUndefined();
    expect(only(memory, "second child").attributes).toMatchObject({ "deployment.region": "eu", "feature.flag": "on" });
    expect(only(memory, "third child").attributes["deployment.region"]).toBeUndefined();
    expect(only(memory, "third child").attributes["feature.flag"]).toBeUndefined();
  });

  it("ignores bad keys and is a no-op before init", async () => {
    expect(() => setGlobalAttribute("before.init", 1)).not.toThrow();
    const { memory, warnings } = start({ maxAttributeKeyLength: 8 });
    setGlobalAttribute("", 1);
    setGlobalAttribute(42 as unknown as string, 1);
    setGlobalAttribute("much.too.long", 1);
    setGlobalAttribute("ok", 1);
    span("s", () => 1);
    await flush();
    expect(only(memory, "s").attributes).toMatchObject({ ok: 1 });
    expect(Object.keys(only(memory, "s").attributes)).not.toContain("before.init");
    expect(Object.keys(only(memory, "s").attributes)).not.toContain("much.too.long");
    expect(warnings.some((w) => w.includes("maxAttributeKeyLength"))).toBe(true);
  });
});

describe("what a span's kind implies", () => {
  it("adds the OpenInference kind and GenAI operation for known kinds, nothing for others, even names Object.prototype has", async () => {
    const { memory } = start();
    for (const kind of ["agent", "tool", "my-kind", "constructor", "__proto__", "toString"]) {
      // From plain JavaScript any string can arrive as a kind.
      span(`k ${kind}`, { kind: kind as "agent" }, () => {});
    }
    await flush();
    const implied = (kind: string) => {
      const a = only(memory, `k ${kind}`).attributes;
      return [a["openinference.span.kind"], a["gen_ai.operation.name"]];
    };
    expect(implied("agent")).toEqual(["AGENT", "invoke_agent"]);
    expect(implied("tool")).toEqual(["TOOL", "execute_tool"]);
    for (const kind of ["my-kind", "constructor", "__proto__", "toString"]) expect(implied(kind)).toEqual([undefined, undefined]);
    expect(only(memory, "k constructor").type).toBe("constructor");
  });
});

describe("processors", () => {
  it("runs sync and async processors over whole traces, in order, and exports their edits", async () => {
    const seen: string[][] = [];
    const { memory } = start({
      processors: [
        (trace) => {
          seen.push(trace.spans.map((s) => s.name).sort());
          for (const s of trace.spans) s.attributes.team = "search";
        },
        async (trace: FinishedTrace) => {
          await sleep(1);
          if (trace.root) trace.root.attributes["trace.span_count"] = trace.spans.length;
        },
      ],
    });
    span("root", () => span("child", () => span("grandchild", () => 1)));
    await flush();
    expect(seen).toEqual([["child", "grandchild", "root"]]);
    expect(memory.spans.every((s) => s.attributes.team === "search")).toBe(true);
    expect(only(memory, "root").attributes["trace.span_count"]).toBe(3);
  });

  it("converts what a processor wrote even into attributes it froze, and counts a write it cannot take without losing the batch", async () => {
    const { memory } = start({
      processors: [
        (trace) => {
          for (const s of trace.spans) {
            Object.assign(s.attributes, { "app.meta": { plan: "pro" }, "app.gone": null });
            Object.freeze(s.attributes);
          }
          if (trace.root) (trace.root as { attributes: unknown }).attributes = "not an object";
        },
      ],
    });
    span("root", () => span("child", () => 1));
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["child", "root"]);
    expect(only(memory, "child").attributes["app.meta"]).toBe('{"plan":"pro"}');
    expect("app.gone" in only(memory, "child").attributes).toBe(false);
    expect(only(memory, "root").attributes).toEqual({});
    expect(stats().processorErrors).toBe(1);
  });

  it("gives processors spans whose toJSON() is a plain copy, as the README tells them to copy one", async () => {
    const copies: ReadableSpan[] = [];
    start({ processors: [(trace) => void copies.push(...trace.spans.map((s) => s.toJSON()), trace.root!.toJSON())] });
    span("root", (s) => {
      s.setAttribute("k", "v");
      span("child", () => 1);
    });
    await flush();
    expect(copies.map((c) => c.name).sort()).toEqual(["child", "root", "root"]);
    const root = copies.find((c) => c.name === "root")!;
    expect(Object.keys({ ...root })).toEqual(expect.arrayContaining(["traceId", "spanId", "startTime", "endTime", "kind", "statusCode"]));
    expect(root.attributes.k).toBe("v");
  });

  it("drops a trace a processor returns false for, and its spans that end later, counting them as filtered", async () => {
    const { memory } = start({ processors: [(trace) => trace.root?.name !== "GET /health"] });
    const health = span("GET /health", (root) => {
      span("db ping", () => 1);
      return root;
    });
    span("GET /orders", () => 1);
    await flush();
    startSpan("late cache refresh", { parent: health }).end();
    await flush();
    expect(memory.spans.map((s) => s.name)).toEqual(["GET /orders"]);
    const s = stats();
    expect(s.dropped.filtered).toBe(3);
    expect(s.exported + s.dropped.filtered).toBe(s.ended);
  });

  it("lets processors edit only their own copy of the spans list: what is exported is the trace's spans", async () => {
    const { memory } = start({
      processors: [
        (trace) => void (trace.spans as unknown[]).splice(0, 1),
        (trace) => {
          (trace.spans as unknown[]).length = 0;
          (trace.spans as unknown[]).push({ bogus: true });
        },
      ],
    });
    for (const name of ["a", "b"]) span(name, () => span(`${name}.child`, () => 1));
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["a", "a.child", "b", "b.child"]);
    expect(stats().exported).toBe(4);
  });

  it("finishes every trace's processors before exporting, even when another trace's processor throws a value that is not an Error", async () => {
    const { memory } = start({
      processors: [
        (trace) => {
          if (trace.root?.name === "weird") throw Object.create(null);
        },
        async (trace) => {
          await sleep(5);
          for (const s of trace.spans) if (s.attributes.email) s.attributes.email = "[scrubbed]";
        },
      ],
    });
    span("checkout", (s) => s.setAttribute("email", "ada@example.com"));
    span("weird", () => 1);
    await flush();
    expect(only(memory, "checkout").attributes.email).toBe("[scrubbed]");
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["checkout", "weird"]);
    expect(stats().processorErrors).toBe(1);
    expect(typeof stats().lastError).toBe("string");
  });

  it("sends nothing of a batch whose pipeline failed, and counts each span once", async () => {
    const scrubbed: string[] = [];
    const { memory } = start({
      sampleRate: 0,
      processors: [
        async (trace) => {
          await sleep(5);
          scrubbed.push(trace.root?.name ?? "");
        },
      ],
    });
    span("unsampled", () => 1);
    // A sampled trace whose llm span's attributes were swapped for something that throws on
    // every read: describing the trace for the processors fails inside the SDK.
    const hostile = startSpan("hostile", { kind: "llm", parent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
    (hostile as unknown as { attributes: unknown }).attributes = new Proxy({}, { get: () => { throw new Error("hostile read"); } });
    hostile.end();
    startSpan("calm", { parent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }).end();
    await flush();
    const s = stats();
    expect(memory.spans.map((x) => x.name)).not.toContain("unsampled");
    expect(s.exported + Object.values(s.dropped).reduce((a, b) => a + b, 0)).toBe(s.ended);
    expect(s.dropped.notSampled).toBe(1);
    expect(s.dropped.exportFailed).toBe(2);
    expect(s.internalErrors).toBeGreaterThan(0);
  });

  it("isolates a processor that throws, rejects or hangs, counts it and exports the trace all the same", async () => {
    const after: string[] = [];
    const { memory, warnings } = start({
      exportTimeoutMs: 50,
      processors: [
        () => {
          throw new Error("processor bug");
        },
        async () => {
          throw new Error("async processor bug");
        },
        () => new Promise<void>(() => undefined),
        (trace) => void after.push(trace.traceId),
      ],
    });
    const result = span("root", () => "user value");
    await flush();
    expect(result).toBe("user value");
    expect(memory.spans.map((s) => s.name)).toEqual(["root"]);
    expect(after).toHaveLength(1);
    const s = stats();
    expect(s.processorErrors).toBe(3);
    expect(s.internalErrors).toBe(0);
    expect(s.lastError).toContain("did not finish within 50 ms");
    expect(warnings.some((w) => w.includes("processor bug"))).toBe(true);
  });
});
