import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { extract, flush, init, inject, type ReadableSpan, recordLLM, shutdown, span, startSpan, stats } from "spanwise/node";
import { type Collector, attrs, quietLogger, startCollector } from "../helpers/collector.js";
import { sleep, start } from "../core/helpers.js";

const traceId = (): string => randomBytes(16).toString("hex");

/** True when `k` of `n` trials lies within five standard deviations of the mean at probability `p` (a false alarm about once in 1.7 million runs). */
function withinBinomialBounds(k: number, n: number, p: number): boolean {
  return Math.abs(k - n * p) <= 5 * Math.sqrt(n * p * (1 - p));
}

function byTrace(spans: readonly ReadableSpan[]): Map<string, ReadableSpan[]> {
  const out = new Map<string, ReadableSpan[]>();
  for (const s of spans) out.set(s.traceId, [...(out.get(s.traceId) ?? []), s]);
  return out;
}

function dropTotal(): number {
  return Object.values(stats().dropped).reduce((a, b) => a + b, 0);
}

const fixture = fileURLToPath(new URL("./fixtures/service.mjs", import.meta.url));

function runService(collector: Collector, ids: readonly string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, RECEIVER_URL: collector.url, TRACE_IDS: ids.join(","), ...env }, stdio: ["ignore", "inherit", "inherit"] });
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

afterEach(() => shutdown());

describe("head sampling", () => {
  it("keeps a share of 10,000 traces at rate 0.1 within statistical bounds, each kept trace whole", async () => {
    const { memory } = start({ sampleRate: 0.1 });
    for (let i = 0; i < 10_000; i++) span("request", () => span("step", () => span("leaf", () => i)));
    await flush();
    const traces = byTrace(memory.spans);
    expect(withinBinomialBounds(traces.size, 10_000, 0.1)).toBe(true);
    for (const spans of traces.values()) expect(spans.map((s) => s.name).sort()).toEqual(["leaf", "request", "step"]);
    const s = stats();
    expect(s.ended).toBe(30_000);
    expect(s.exported).toBe(traces.size * 3);
    expect(s.dropped.notSampled).toBe(30_000 - traces.size * 3);
    expect(s.exported + dropTotal()).toBe(s.ended);
  });

  it("makes the same decision in two services given the same incoming trace ids", async () => {
    const collector = await startCollector();
    try {
      const ids = Array.from({ length: 2000 }, traceId);
      const sampler = { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.3" };
      expect(await runService(collector, ids, { ...sampler, OTEL_SERVICE_NAME: "checkout" })).toBe(0);
      expect(await runService(collector, ids, { ...sampler, OTEL_SERVICE_NAME: "billing" })).toBe(0);
      const kept = new Map<string, Set<string>>();
      for (const request of collector.requests) {
        for (const rs of request.body?.resourceSpans ?? []) {
          const service = attrs(rs.resource.attributes)["service.name"]?.stringValue ?? "?";
          const set = kept.get(service) ?? new Set<string>();
          for (const ss of rs.scopeSpans) for (const sp of ss.spans) set.add(sp.traceId);
          kept.set(service, set);
        }
      }
      const checkout = [...(kept.get("checkout") ?? [])].sort();
      const billing = [...(kept.get("billing") ?? [])].sort();
      expect(withinBinomialBounds(checkout.length, 2000, 0.3)).toBe(true);
      expect(billing).toEqual(checkout);
    } finally {
      await collector.close();
    }
  });

  it("passes its decision downstream, where a parent-based service follows it", async () => {
    const { memory } = start({ sampleRate: 0.5 });
    const sent: string[] = [];
    for (let i = 0; i < 400; i++) {
      span("upstream", () => {
        const headers: Record<string, string> = {};
        inject(headers);
        sent.push(headers.traceparent as string);
      });
    }
    await flush();
    const keptUpstream = new Set(memory.spans.map((s) => s.traceId));
    await shutdown();

    const downstream = start({ sampleRate: 0 , alwaysKeepErrors: false });
    for (const traceparent of sent) span("downstream", { parent: extract({ traceparent }) }, () => 1);
    await flush();
    const keptDownstream = new Set(downstream.memory.spans.map((s) => s.traceId));
    expect(keptDownstream).toEqual(keptUpstream);
    for (const tp of sent) expect(tp.endsWith(keptUpstream.has(tp.slice(3, 35)) ? "-01" : "-00")).toBe(true);
  });

  it("records nothing for a caller's unsampled trace and samples all of a caller's sampled ones", async () => {
    const { memory } = start({ sampleRate: 0 });
    const unsampled = extract({ traceparent: `00-${traceId()}-00f067aa0ba902b7-00` });
    const sampled = extract({ traceparent: `00-${traceId()}-00f067aa0ba902b7-01` });
    expect(() =>
      span("unsampled", { parent: unsampled }, (s) => {
        expect(s.isRecording()).toBe(false);
        throw new Error("not recorded even with an error");
      }),
    ).toThrow("not recorded");
    span("sampled", { parent: sampled }, () => span("child", () => 1));
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["child", "sampled"]);
    expect(memory.spans.every((s) => (s.traceFlags & 1) === 1)).toBe(true);
  });

  it("marks spans of an unsampled trace unsampled in the traceparent it sends on", async () => {
    start({ sampleRate: 0, alwaysKeepErrors: false });
    const headers: Record<string, string> = {};
    span("root", (s) => {
      expect(s.isRecording()).toBe(false);
      inject(headers);
    });
    expect(headers.traceparent).toMatch(/-00$/);
    await shutdown();
    start({ sampleRate: 1 });
    span("root", () => inject(headers));
    expect(headers.traceparent).toMatch(/-01$/);
  });
});

describe("tail sampling", () => {
  it("keeps every errored and every slow trace at rate 0, each whole, and drops the rest", async () => {
    const { memory } = start({ sampleRate: 0, slowThresholdMs: 1000 });
    const expected = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const kind = i % 3 === 0 ? "errored" : i % 3 === 1 ? "slow" : "fine";
      // Times are given explicitly: "slow" means 5 s long without the test waiting 5 s.
      const t0 = Date.now();
      const root = startSpan(kind, { startTime: kind === "slow" ? t0 - 5000 : t0 });
      const child = startSpan("child", { parent: root });
      const leaf = startSpan("leaf", { parent: child });
      if (kind === "errored") leaf.recordException(new Error("tool failed"));
      leaf.end();
      child.end();
      root.end();
      if (kind !== "fine") expected.add(root.traceId);
    }
    await flush();
    const traces = byTrace(memory.spans);
    expect(new Set(traces.keys())).toEqual(expected);
    for (const spans of traces.values()) expect(spans).toHaveLength(3);
    expect(stats().dropped.notSampled).toBe(300);
  });

  it("keeps traces over the cost or token threshold, or that the predicate keeps", async () => {
    const { memory } = start({ sampleRate: 0, costThresholdUsd: 0.5, tokenThreshold: 10_000, keepTrace: (t) => t.root?.name === "vip" });
    const llm = (name: string, costUsd: number, tokens: number): void =>
      span(name, () => {
        recordLLM({ provider: "openai", model: "gpt-4o", inputTokens: tokens / 2, outputTokens: tokens / 2, costUsd, startedAt: Date.now() - 10, endedAt: Date.now() });
        recordLLM({ provider: "openai", model: "gpt-4o", inputTokens: 1, outputTokens: 1, costUsd, startedAt: Date.now() - 10, endedAt: Date.now() });
      });
    llm("costly", 0.3, 100);
    llm("cheap", 0.1, 100);
    llm("wordy", 0, 12_000);
    llm("vip", 0, 10);
    llm("plain", 0, 10);
    await flush();
    expect([...new Set(memory.spans.filter((s) => s.type === "span").map((s) => s.name))].sort()).toEqual(["costly", "vip", "wordy"]);
    expect(memory.spans).toHaveLength(9);
  });

  it("keeps a trace whole when the error comes from a span that ends after its siblings", async () => {
    const { memory } = start({ sampleRate: 0 });
    await span("agent", { kind: "agent" }, async () => {
      await span("plan", async () => sleep(1));
      await span("search", { kind: "tool" }, async () => "ok");
      await span("answer", { kind: "llm" }, async () => {
        throw new Error("model overloaded");
      }).catch(() => undefined);
    });
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["agent", "answer", "plan", "search"]);
  });

  it("keeps spans that end after their kept trace was exported, and drops those of a dropped trace", async () => {
    const { memory } = start({ sampleRate: 0 });
    let keptRoot: ReturnType<typeof startSpan> | undefined;
    let droppedRoot: ReturnType<typeof startSpan> | undefined;
    span("kept", (s) => {
      keptRoot = s;
      s.setStatus("error", "boom");
    });
    span("dropped", (s) => {
      droppedRoot = s;
    });
    await flush();
    expect(memory.spans.map((s) => s.name)).toEqual(["kept"]);
    startSpan("late work", { parent: keptRoot }).end();
    startSpan("late work", { parent: droppedRoot }).end();
    await flush();
    expect(memory.spans.map((s) => `${s.name}:${s.traceId === keptRoot?.traceId}`)).toEqual(["kept:true", "late work:true"]);
    expect(stats().dropped.notSampled).toBe(2);
  });

  it("counts a predicate that throws and falls back to the head decision", async () => {
    const { memory } = start({
      sampleRate: 0,
      keepTrace: () => {
        throw new Error("predicate bug");
      },
    });
    span("root", () => 1);
    await flush();
    expect(memory.spans).toHaveLength(0);
    expect(stats().processorErrors).toBe(1);
    expect(stats().dropped.notSampled).toBe(1);
  });

  it("drops, and counts once, a trace whose predicate throws something that cannot be turned into a string", async () => {
    const { memory } = start({
      sampleRate: 0,
      alwaysKeepErrors: false,
      keepTrace: (t) => {
        if (t.root?.name === "b") throw Object.create(null);
        return false;
      },
    });
    for (const name of ["a", "b", "c"]) span(name, () => span(`${name}.child`, () => 1));
    await flush();
    const s = stats();
    expect(memory.spans).toHaveLength(0);
    expect(s.processorErrors).toBe(1);
    expect(s.dropped.notSampled).toBe(6);
    expect(s.exported + Object.values(s.dropped).reduce((a, b) => a + b, 0)).toBe(s.ended);
  });

  it("lets a predicate edit only its own copy of the spans list", async () => {
    const { memory } = start({
      sampleRate: 0,
      keepTrace: (t) => {
        (t.spans as unknown[]).splice(0, 1);
        (t.spans as unknown[]).push({ bogus: true });
        return true;
      },
    });
    span("root", () => span("child", () => 1));
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["child", "root"]);
    expect(stats().exported).toBe(2);
  });

  it("exports the spans of a trace a tail rule or the predicate kept with the sampled flag on the wire", async () => {
    // An exported span whose flags say "not sampled" is dropped by some OTLP consumers: what
    // tail sampling keeps is sampled, whatever the head decided.
    const collector = await startCollector();
    try {
      init({ endpoint: collector.url, sampleRate: 0, parentBased: false, keepTrace: (t) => t.root?.name === "vip", flushOnExit: false, scheduleDelayMs: 60_000, logger: quietLogger() });
      // A caller's random flag (W3C Level 2) is kept next to it.
      const random = extract({ traceparent: `00-${traceId()}-00f067aa0ba902b7-02` });
      const sent: Record<string, string> = {};
      let errored: ReturnType<typeof startSpan> | undefined;
      span("errored", { parent: random }, (s) => {
        errored = s;
        s.setStatus("error", "boom");
        span("child", () => inject(sent));
      });
      span("vip", () => 1);
      span("dropped", () => 1);
      await flush();
      // What the trace sent on before the decision stays the head's.
      expect(sent.traceparent).toMatch(/-02$/);
      const flags = Object.fromEntries(collector.spans().map((s) => [s.name, (s.flags ?? 0) & 0xff]));
      expect(flags).toEqual({ errored: 3, child: 3, vip: 1 });
      expect(stats().dropped.notSampled).toBe(1);
      // Once kept, the trace says so to whatever it calls next.
      const later: Record<string, string> = {};
      inject(later, errored);
      expect(later.traceparent).toMatch(/-03$/);
    } finally {
      await shutdown();
      await collector.close();
    }
  });
});

describe("holding traces in a long-lived process", () => {
  it("holds spans until their root ends, but flush() sends whatever has ended", async () => {
    const { memory } = start({ scheduleDelayMs: 0 });
    const root = startSpan("root");
    startSpan("child", { parent: root }).end();
    await sleep(20);
    expect(memory.spans).toHaveLength(0);
    expect(stats().queued).toBe(1);
    await flush();
    expect(memory.spans.map((s) => s.name)).toEqual(["child"]);
    root.end();
    await flush();
    expect(memory.spans.map((s) => s.name)).toEqual(["child", "root"]);
  });

  it("lets a trace go after maxTraceWaitMs when its root never ends", async () => {
    const { memory } = start({ scheduleDelayMs: 0, maxTraceWaitMs: 30 });
    const root = startSpan("forgotten root");
    startSpan("child", { parent: root }).end();
    for (let i = 0; i < 200 && memory.spans.length === 0; i++) await sleep(10);
    expect(memory.spans.map((s) => s.name)).toEqual(["child"]);
  });

  it("holds at most maxQueueSize spans, letting the oldest trace go first", async () => {
    const { memory } = start({ maxQueueSize: 10, maxExportBatchSize: 5 });
    const old = startSpan("old root");
    for (let i = 0; i < 6; i++) startSpan("old child", { parent: old }).end();
    const young = startSpan("young root");
    for (let i = 0; i < 6; i++) startSpan("young child", { parent: young }).end();
    await sleep(0);
    expect(memory.spans.length).toBeGreaterThanOrEqual(5);
    expect(memory.spans.every((s) => s.name === "old child")).toBe(true);
    expect(stats().queued).toBe(6);
  });

  it("sends spans at once with maxTraceWaitMs: 0", async () => {
    const { memory } = start({ maxTraceWaitMs: 0, maxExportBatchSize: 1, maxQueueSize: 10 });
    const root = startSpan("root");
    startSpan("child", { parent: root }).end();
    await sleep(0);
    expect(memory.spans.map((s) => s.name)).toEqual(["child"]);
    root.end();
  });
});
