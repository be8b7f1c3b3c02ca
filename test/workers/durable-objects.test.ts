import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OtlpSpan } from "../helpers/collector.js";
import { type RunningWorker, attr, startWorker } from "./harness.js";

describe("Durable Objects: instrumentDurableObject and tracedStub", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(() => w.close());

  const traceOf = (spans: OtlpSpan[], path: string): OtlpSpan[] => {
    const root = spans.find((s) => s.kind === 2 && attr(s, "url.path") === path);
    return root === undefined ? [] : spans.filter((s) => s.traceId === root.traceId);
  };

  it("continues the Worker's trace into the object through fetch, with one trace id end to end", async () => {
    const answer = (await (await w.get("/do-fetch")).json()) as { total: number; traceId: string; traceparent: string };
    expect(answer.total).toBe(2);
    // Worker root, the stub's CLIENT span, the object's fetch and the "add" span inside it.
    const spans = await w.spansWhen((s) => traceOf(s, "/do-fetch").length === 4);
    const trace = traceOf(spans, "/do-fetch");
    const workerRoot = trace.find((s) => attr(s, "url.path") === "/do-fetch");
    const client = trace.find((s) => s.kind === 3);
    const objectRoot = trace.find((s) => s.name === "CounterObject.fetch");
    const add = trace.find((s) => s.name === "add");
    expect(answer.traceId).toBe(workerRoot?.traceId);
    expect(client?.parentSpanId).toBe(workerRoot?.spanId);
    expect(objectRoot?.parentSpanId).toBe(client?.spanId);
    expect(objectRoot?.kind).toBe(2);
    expect(attr(objectRoot, "cloudflare.durable_object.class")).toBe("CounterObject");
    expect(String(attr(objectRoot, "cloudflare.durable_object.id"))).toMatch(/^[0-9a-f]{64}$/);
    // The object's fetch calls this.increment(): part of the event, not a new root.
    expect(add?.parentSpanId).toBe(objectRoot?.spanId);
    expect(trace.some((s) => s.name === "CounterObject.increment")).toBe(false);
    expect(answer.traceparent).toBe(`00-${client?.traceId}-${client?.spanId}-01`);
  });

  it("continues the trace through an RPC call, and the method never sees the context argument", async () => {
    const answer = (await (await w.get("/do-rpc")).json()) as { total: number; traceId: string };
    // The method got exactly its one argument: 3 was added, not an object.
    expect(answer.total).toBe(3);
    const spans = await w.spansWhen((s) => traceOf(s, "/do-rpc").length === 4);
    const trace = traceOf(spans, "/do-rpc");
    const workerRoot = trace.find((s) => attr(s, "url.path") === "/do-rpc");
    const client = trace.find((s) => s.kind === 3);
    const objectRoot = trace.find((s) => s.name === "CounterObject.increment");
    expect(answer.traceId).toBe(workerRoot?.traceId);
    expect(client?.name).toBe("increment");
    expect(client?.parentSpanId).toBe(workerRoot?.spanId);
    expect(objectRoot?.parentSpanId).toBe(client?.spanId);
    expect(attr(objectRoot, "rpc.method")).toBe("increment");
    expect(trace.find((s) => s.name === "add")?.parentSpanId).toBe(objectRoot?.spanId);
  });

  it("reads properties and getters, and pipelines calls through them, as the raw stub does, tracing only method calls", async () => {
    const res = await w.get("/do-members");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ count: 2, plusOne: 3, doubled: 42 });
    const spans = await w.spansWhen((s) => traceOf(s, "/do-members").some((x) => x.name === "add"));
    expect(traceOf(spans, "/do-members").filter((s) => s.kind === 3).map((s) => s.name)).toEqual(["increment"]);
  });

  it("traces the object's alarm", async () => {
    expect(await (await w.get("/do-alarm")).text()).toBe("armed");
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "alarm-work"));
    const alarm = spans.find((s) => s.name === "CounterObject.alarm");
    expect(alarm?.kind).toBe(2);
    expect(attr(alarm, "faas.trigger")).toBe("timer");
    expect(spans.find((s) => s.name === "alarm-work")?.parentSpanId).toBe(alarm?.spanId);
  });

  it("traces the object's webSocketMessage", async () => {
    const res = await w.mf.dispatchFetch(new URL("/do-ws", w.url), { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(101);
    const ws = res.webSocket;
    if (!ws) throw new Error("no WebSocket in the 101 response");
    ws.accept();
    const echoed = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
    ws.send("hi");
    expect(await echoed).toBe("echo:hi");
    ws.close();
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "ws-message"));
    const message = spans.find((s) => s.name === "CounterObject.webSocketMessage");
    expect(message?.kind).toBe(2);
    expect(spans.find((s) => s.name === "ws-message")?.parentSpanId).toBe(message?.spanId);
    // The upgrade itself: the Worker's request, continued into the object's fetch.
    const upgrade = spans.find((s) => s.name === "CounterObject.fetch" && attr(s, "http.response.status_code") === 101);
    const workerRoot = spans.find((s) => attr(s, "url.path") === "/do-ws" && s.kind === 2 && s.name === "GET");
    expect(upgrade?.traceId).toBe(workerRoot?.traceId);
  });
});

describe("a Durable Object whose options ask for more privacy than the isolate's tracer gives", () => {
  it("runs its events untraced, with tracing suppressed inside them, and says why", async () => {
    const w = await startWorker({ fixture: "mixed-options-worker.ts" });
    try {
      // The fetch handler's event comes first: its options (no redaction) start the isolate's tracer.
      await (await w.get("/plain")).text();
      const answer = (await (await w.get("/do-fetch")).json()) as { total: number };
      expect(answer.total).toBe(2);
      const spans = await w.spansWhen((s) => s.some((x) => attr(x, "url.path") === "/do-fetch" && x.kind === 2));
      // Give an export from the object's own event time to arrive, were there one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(spans.some((s) => s.kind === 3)).toBe(true);
      expect(w.collector.spans().filter((s) => s.name === "CounterObject.fetch" || s.name === "add")).toEqual([]);
      expect((await w.debug()).warnings.some((m) => m.includes("asks for redaction or less content capture than the wrapper that started spanwise"))).toBe(true);
    } finally {
      await w.close();
    }
  });
});

describe("a Durable Object whose first event sets spanwise up", () => {
  it("runs a synchronous method called while setup is under way synchronously, and traces its events", async () => {
    const w = await startWorker({ fixture: "do-only-worker.ts" });
    try {
      // The constructor's blockConcurrencyWhile calls double() while AsyncLocalStorage is still
      // being imported: a synchronous method must still return its value, not a Promise.
      expect(await (await w.get("/first")).json()).toEqual({ initial: "42", now: "2" });
      const spans = await w.spansWhen((s) => s.some((x) => x.name === "InitObject.fetch"));
      expect(spans.filter((s) => s.name === "InitObject.fetch")).toHaveLength(1);
    } finally {
      await w.close();
    }
  });
});

describe("a Worker and its Durable Object given the same options function", () => {
  it("agree even when the function makes new functions each time, so both are traced without a warning", async () => {
    const w = await startWorker({ fixture: "same-options-worker.ts" });
    try {
      await (await w.get("/plain")).text();
      const answer = (await (await w.get("/do-fetch")).json()) as { total: number };
      expect(answer.total).toBe(2);
      const spans = await w.spansWhen((s) => s.some((x) => x.name === "CounterObject.fetch"));
      const workerRoot = spans.find((s) => attr(s, "url.path") === "/do-fetch" && s.kind === 2 && s.name === "GET");
      expect(spans.find((s) => s.name === "CounterObject.fetch")?.traceId).toBe(workerRoot?.traceId);
      expect((await w.debug()).warnings.filter((m) => m.includes("other options"))).toEqual([]);
    } finally {
      await w.close();
    }
  });
});
