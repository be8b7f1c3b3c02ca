import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import {
  currentSpan,
  extract,
  flush,
  inject,
  observe,
  recordLLM,
  type ReadableSpan,
  shutdown,
  type Span,
  span,
  startSpan,
  stats,
  updateCurrentSpan,
  updateCurrentTrace,
  withAttributes,
} from "spanwise/node";
import { only, sleep, start } from "./helpers.js";
import { readByob } from "../helpers/read-byob.js";

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;
const REMOTE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const REMOTE_SPAN = "00f067aa0ba902b7";

afterEach(async () => {
  await shutdown();
});

/** Reads a stream to the end, returning its chunks. */
async function drain<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const r = await reader.read();
    if (r.done) return out;
    out.push(r.value);
  }
}

function bytesStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
      else controller.close();
    },
  });
}

function exceptionEvent(s: ReadableSpan) {
  const event = s.events.find((e) => e.name === "exception");
  expect(event, `span "${s.name}" has no exception event`).toBeDefined();
  return event!;
}

describe("observe on plain functions", () => {
  it("traces a sync function and returns its value", async () => {
    const { memory } = start();
    const add = observe(function add(a: number, b: number) {
      return a + b;
    });
    expect(add(2, 3)).toBe(5);
    await flush();
    const s = only(memory, "add");
    expect(s.statusCode).toBe("unset");
    expect(s.attributes["input.value"]).toBe("[2,3]");
    expect(s.attributes["output.value"]).toBe("5");
    expect(s.endTime).toBeGreaterThanOrEqual(s.startTime);
  });

  it("traces an async function and ends the span when the promise settles", async () => {
    const { memory } = start();
    let inside: Span | undefined;
    const fetchAnswer = observe(async (q: string) => {
      inside = currentSpan();
      await sleep(20);
      return `answer to ${q}`;
    }, { name: "fetchAnswer" });
    const pending = fetchAnswer("life");
    expect(inside?.isRecording()).toBe(true);
    expect(await pending).toBe("answer to life");
    expect(inside?.isRecording()).toBe(false);
    await flush();
    const s = only(memory, "fetchAnswer");
    expect(s.attributes["input.value"]).toBe("life");
    expect(s.attributes["input.mime_type"]).toBe("text/plain");
    expect(s.attributes["output.value"]).toBe("answer to life");
    expect(s.endTime - s.startTime).toBeGreaterThanOrEqual(15);
  });

  it("records a thrown error as status error with an exception event and rethrows the same object", async () => {
    const { memory } = start();
    class QuotaError extends Error {
      override name = "QuotaError";
    }
    const boom = new QuotaError("out of tokens");
    const fail = observe(function fail() {
      throw boom;
    });
    let caught: unknown;
    try {
      fail();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(boom);
    await flush();
    const s = only(memory, "fail");
    expect(s.statusCode).toBe("error");
    expect(s.statusMessage).toBe("out of tokens");
    const e = exceptionEvent(s);
    expect(e.attributes["exception.type"]).toBe("QuotaError");
    expect(e.attributes["exception.message"]).toBe("out of tokens");
    expect(String(e.attributes["exception.stacktrace"])).toContain("out of tokens");
  });

  it("records a rejected promise the same way and rejects with the same object", async () => {
    const { memory } = start();
    const boom = new TypeError("bad input");
    const fail = observe(async function failAsync() {
      await sleep(1);
      throw boom;
    });
    await expect(fail()).rejects.toBe(boom);
    await flush();
    const s = only(memory, "failAsync");
    expect(s.statusCode).toBe("error");
    const e = exceptionEvent(s);
    expect(e.attributes["exception.type"]).toBe("TypeError");
    expect(e.attributes["exception.message"]).toBe("bad input");
    expect(typeof e.attributes["exception.stacktrace"]).toBe("string");
  });

  it("records a thrown plain object by what it holds and rethrows the same object", async () => {
    const { memory } = start();
    const status = { code: 14, details: "upstream unavailable" };
    const fail = observe(async function callUpstream() {
      throw status;
    });
    await expect(fail()).rejects.toBe(status);
    await flush();
    const s = only(memory, "callUpstream");
    expect(s.statusCode).toBe("error");
    expect(s.statusMessage).toBe('{"code":14,"details":"upstream unavailable"}');
    expect(exceptionEvent(s).attributes["exception.message"]).toBe('{"code":14,"details":"upstream unavailable"}');
  });

  it("truncates a very long stack trace", async () => {
    const { memory } = start();
    const err = new Error("deep");
    err.stack = `Error: deep\n${"    at frame (file.js:1:1)\n".repeat(10_000)}`;
    const fail = observe(function longStack() {
      throw err;
    });
    expect(() => fail()).toThrow(err);
    await flush();
    const trace = String(exceptionEvent(only(memory, "longStack")).attributes["exception.stacktrace"]);
    expect(trace.length).toBeLessThan(err.stack.length);
    // 4,096 characters of stack plus the ellipsis that marks the cut.
    expect(trace.length).toBe(4_097);
    expect(trace.endsWith("…")).toBe(true);
  });

  it("returns the very object the function returned, sync and async", async () => {
    start();
    const value = { nested: { list: [1, 2, 3] } };
    const sync = observe(() => value);
    const asyncFn = observe(async () => value);
    expect(sync()).toBe(value);
    expect(await asyncFn()).toBe(value);
    const fn = (): void => {};
    expect(observe(() => fn)()).toBe(fn);
  });

  it("never calls then() on a lazy thenable itself, so a query builder runs only when the caller awaits it", async () => {
    const { memory } = start();
    let executions = 0;
    const builder = {
      then(onOk: (v: string) => unknown, onErr?: (e: unknown) => unknown) {
        executions++;
        return Promise.resolve("rows").then(onOk, onErr);
      },
    };
    const query = observe(() => builder, { name: "query" });
    const returned = query();
    expect(returned).toBe(builder);
    await flush();
    expect(executions).toBe(0);
    expect(only(memory, "query").attributes["spanwise.lazy_result"]).toBe(true);
    expect(await returned).toBe("rows");
    expect(executions).toBe(1);
  });

  it("hands back a Promise subclass itself, keeping its extra methods, and ends the span when it settles", async () => {
    const { memory } = start();
    class ApiPromise<T> extends Promise<T> {
      withResponse(): string {
        return "raw response";
      }
    }
    const call = observe(() => new ApiPromise<string>((resolve) => setTimeout(() => resolve("parsed"), 5)), { name: "api" });
    const returned = call();
    expect(returned).toBeInstanceOf(ApiPromise);
    expect(returned.withResponse()).toBe("raw response");
    expect(await returned).toBe("parsed");
    await flush();
    expect(only(memory, "api").attributes["output.value"]).toBe("parsed");
  });

  it("hands back a Response subclass untouched", async () => {
    const { memory } = start();
    class AppResponse extends Response {
      readonly cookies = ["a=1"];
    }
    const handler = observe(() => new AppResponse("body"), { name: "handler" });
    const res = handler();
    expect(res).toBeInstanceOf(AppResponse);
    expect(res.cookies).toEqual(["a=1"]);
    expect(await res.text()).toBe("body");
    await flush();
    expect(only(memory, "handler").endTime).toBeGreaterThan(0);
  });

  it("hands back as it was a Response subclass that makes its own body from its arguments, and keeps properties set on a Response", async () => {
    const { memory } = start();
    class JsonResponse extends Response {
      constructor(data: unknown, init?: ResponseInit) {
        super(JSON.stringify(data), { ...init, headers: { "content-type": "application/json" } });
      }
    }
    const original = new JsonResponse({ answer: 42 });
    const json = await observe(() => original, { name: "json" })();
    expect(json).toBe(original);
    expect(await json.json()).toEqual({ answer: 42 });
    const tagged = Object.assign(new Response("tagged"), { cacheKey: "k-1" });
    const copy = observe(() => tagged, { name: "tagged" })();
    expect(copy.cacheKey).toBe("k-1");
    expect(await copy.text()).toBe("tagged");
    await flush();
    expect(memory.spans.map((s) => s.name).sort()).toEqual(["json", "tagged"]);
  });

  it("makes nested observed calls children of the caller's span", async () => {
    const { memory } = start();
    const inner = observe(async function inner() {
      return 1;
    });
    const middle = observe(async function middle() {
      return (await inner()) + 1;
    });
    const outer = observe(async function outer() {
      return (await middle()) + (await inner());
    });
    expect(await outer()).toBe(3);
    await flush();
    const o = only(memory, "outer");
    const m = only(memory, "middle");
    const inners = memory.spans.filter((s) => s.name === "inner");
    expect(o.parentSpanId).toBeUndefined();
    expect(m.parentSpanId).toBe(o.spanId);
    expect(inners.map((s) => s.parentSpanId).sort()).toEqual([m.spanId, o.spanId].sort());
    expect(new Set(memory.spans.map((s) => s.traceId)).size).toBe(1);
  });
});

describe("observe options", () => {
  it("uses name, kind, spanKind and attributes", async () => {
    const { memory } = start();
    const fn = observe(() => 1, { name: "route", kind: "agent", spanKind: "server", attributes: { "app.route": "/chat", "app.retries": 2 } });
    fn();
    await flush();
    const s = only(memory, "route");
    expect(s.type).toBe("agent");
    expect(s.kind).toBe("server");
    expect(s.attributes["app.route"]).toBe("/chat");
    expect(s.attributes["app.retries"]).toBe(2);
    expect(s.attributes["openinference.span.kind"]).toBe("AGENT");
  });

  it("defaults llm and embedding kinds to the client span kind and others to internal", async () => {
    const { memory } = start();
    observe(() => 1, { name: "llm", kind: "llm" })();
    observe(() => 1, { name: "embed", kind: "embedding" })();
    observe(() => 1, { name: "tool", kind: "tool" })();
    observe(() => 1, { name: "plain" })();
    await flush();
    expect(only(memory, "llm").kind).toBe("client");
    expect(only(memory, "embed").kind).toBe("client");
    expect(only(memory, "tool").kind).toBe("internal");
    expect(only(memory, "plain").type).toBe("span");
  });

  it("puts tags, metadata, sessionId and userId on the span and its descendants", async () => {
    const { memory } = start();
    const child = observe(() => 1, { name: "child" });
    const parent = observe(() => child(), { name: "parent", tags: ["beta", "eu"], metadata: { plan: "pro", seats: 3 }, sessionId: "s-9", userId: "u-1" });
    parent();
    await flush();
    for (const name of ["parent", "child"]) {
      const s = only(memory, name);
      expect(s.attributes["tag.tags"]).toEqual(["beta", "eu"]);
      expect(JSON.parse(String(s.attributes.metadata))).toEqual({ plan: "pro", seats: 3 });
      expect(s.attributes["session.id"]).toBe("s-9");
      expect(s.attributes["user.id"]).toBe("u-1");
    }
  });

  it("names the session a GenAI conversation on GenAI spans, and gives each kind its GenAI operation", async () => {
    const { memory } = start();
    const kinds = ["agent", "llm", "tool", "retrieval", "embedding", "workflow", "span"] as const;
    const run = observe(() => {
      for (const kind of kinds) observe(() => 1, { name: `a ${kind}`, kind })();
    }, { name: "turn", kind: "span", sessionId: "thread-7" });
    run();
    await flush();
    const seen = kinds.map((kind) => {
      const a = only(memory, `a ${kind}`).attributes;
      return [kind, a["gen_ai.operation.name"], a["gen_ai.conversation.id"], a["session.id"]];
    });
    expect(seen).toEqual([
      ["agent", "invoke_agent", "thread-7", "thread-7"],
      ["llm", "chat", "thread-7", "thread-7"],
      ["tool", "execute_tool", "thread-7", "thread-7"],
      ["retrieval", "retrieval", "thread-7", "thread-7"],
      ["embedding", "embeddings", "thread-7", "thread-7"],
      ["workflow", "invoke_workflow", "thread-7", "thread-7"],
      ["span", undefined, undefined, "thread-7"],
    ]);
    expect(only(memory, "a tool").attributes).toMatchObject({ "gen_ai.tool.name": "a tool", "tool.name": "a tool" });
  });

  it("names a tool alike under gen_ai.tool.name and tool.name: the name the span set under either key", async () => {
    const { memory } = start();
    observe(() => 1, { name: "genai", kind: "tool", attributes: { "gen_ai.tool.name": "search_web" } })();
    observe(() => 1, { name: "openinference", kind: "tool", attributes: { "tool.name": "lookup_order" } })();
    await flush();
    expect(only(memory, "genai").attributes).toMatchObject({ "gen_ai.tool.name": "search_web", "tool.name": "search_web" });
    expect(only(memory, "openinference").attributes).toMatchObject({ "gen_ai.tool.name": "lookup_order", "tool.name": "lookup_order" });
  });

  it("leaves out input with captureInput false and output with captureOutput false", async () => {
    const { memory } = start();
    observe((x: number) => x * 2, { name: "noInput", captureInput: false })(21);
    observe((x: number) => x * 2, { name: "noOutput", captureOutput: false })(21);
    await flush();
    expect(only(memory, "noInput").attributes["input.value"]).toBeUndefined();
    expect(only(memory, "noInput").attributes["output.value"]).toBe("42");
    expect(only(memory, "noOutput").attributes["input.value"]).toBe("21");
    expect(only(memory, "noOutput").attributes["output.value"]).toBeUndefined();
  });

  it("follows the captureInput and captureOutput init options by default", async () => {
    const { memory } = start({ captureInput: false, captureOutput: false });
    observe((x: number) => x, { name: "quiet" })(1);
    observe((x: number) => x, { name: "loud", captureInput: true, captureOutput: true })(1);
    await flush();
    expect(only(memory, "quiet").attributes["input.value"]).toBeUndefined();
    expect(only(memory, "quiet").attributes["output.value"]).toBeUndefined();
    expect(only(memory, "loud").attributes["input.value"]).toBe("1");
    expect(only(memory, "loud").attributes["output.value"]).toBe("1");
  });

  it("skips the argument positions in skipArgs", async () => {
    const { memory } = start();
    const client = { secret: "sk-123" };
    observe((_client: object, q: string, n: number) => `${q}${n}`, { name: "skip", skipArgs: [0] })(client, "q", 1);
    observe((_client: object, q: string) => q, { name: "skipToOne", skipArgs: [0] })(client, "only");
    observe((_client: object) => 1, { name: "skipAll", skipArgs: [0] })(client);
    await flush();
    expect(only(memory, "skip").attributes["input.value"]).toBe('["q",1]');
    expect(only(memory, "skipToOne").attributes["input.value"]).toBe("only");
    expect(only(memory, "skipAll").attributes["input.value"]).toBeUndefined();
  });

  it("records one argument as itself and several as an array", async () => {
    const { memory } = start();
    observe((o: object) => o, { name: "one" })({ q: "hi" });
    observe((a: string, b: object) => [a, b], { name: "two" })("a", { b: 1 });
    observe(() => 1, { name: "none" })();
    await flush();
    expect(only(memory, "one").attributes["input.value"]).toBe('{"q":"hi"}');
    expect(only(memory, "one").attributes["input.mime_type"]).toBe("application/json");
    expect(only(memory, "two").attributes["input.value"]).toBe('["a",{"b":1}]');
    expect(only(memory, "none").attributes["input.value"]).toBeUndefined();
  });
});

describe("observe on generators", () => {
  it("ends a generator's span only when the iteration completes", async () => {
    const { memory } = start();
    let genSpan: Span | undefined;
    const gen = observe(function* countdown(n: number) {
      genSpan = currentSpan();
      for (let i = n; i > 0; i--) yield i;
    });
    const it = gen(3);
    expect(it.next()).toEqual({ value: 3, done: false });
    expect(genSpan?.isRecording()).toBe(true);
    expect([...it]).toEqual([2, 1]);
    expect(genSpan?.isRecording()).toBe(false);
    await flush();
    const s = only(memory, "countdown");
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(s.attributes["output.value"]).toBe("[3,2,1]");
    expect(s.statusCode).toBe("unset");
  });

  it("ends a generator's span with spanwise.cancelled when the loop breaks off", async () => {
    const { memory } = start();
    let cleanedUp = false;
    const gen = observe(function* numbers() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        cleanedUp = true;
      }
    });
    const seen: number[] = [];
    for (const n of gen()) {
      if (n === 2) break;
      seen.push(n);
    }
    expect(seen).toEqual([0, 1]);
    expect(cleanedUp).toBe(true);
    await flush();
    const s = only(memory, "numbers");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.statusCode).toBe("unset");
  });

  it("ends a generator's span with the error when the generator throws, rethrowing the same error", async () => {
    const { memory } = start();
    const boom = new RangeError("no more");
    const gen = observe(function* failing() {
      yield 1;
      throw boom;
    });
    const it = gen();
    expect(it.next().value).toBe(1);
    expect(() => it.next()).toThrow(boom);
    await flush();
    const s = only(memory, "failing");
    expect(s.statusCode).toBe("error");
    expect(exceptionEvent(s).attributes["exception.type"]).toBe("RangeError");
  });

  it("makes spans created inside a generator's body children of the generator's span", async () => {
    const { memory } = start();
    const gen = observe(function* steps() {
      yield span("step-1", () => 1);
      yield span("step-2", () => 2);
    });
    const outer = span("outside", () => [...gen()]);
    expect(outer).toEqual([1, 2]);
    await flush();
    const g = only(memory, "steps");
    expect(g.parentSpanId).toBe(only(memory, "outside").spanId);
    expect(only(memory, "step-1").parentSpanId).toBe(g.spanId);
    expect(only(memory, "step-2").parentSpanId).toBe(g.spanId);
  });

  it("ends an async generator's span only when the iteration completes", async () => {
    const { memory } = start();
    let genSpan: Span | undefined;
    const gen = observe(async function* tokens() {
      genSpan = currentSpan();
      for (const t of ["a", "b", "c"]) {
        await sleep(2);
        yield t;
      }
    });
    const it = gen();
    expect((await it.next()).value).toBe("a");
    expect(genSpan?.isRecording()).toBe(true);
    const rest: string[] = [];
    for await (const t of it) rest.push(t);
    expect(rest).toEqual(["b", "c"]);
    expect(genSpan?.isRecording()).toBe(false);
    await flush();
    const s = only(memory, "tokens");
    expect(s.attributes["output.value"]).toBe('["a","b","c"]');
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("hands back generators that inherit what every generator does (iterator helpers, Symbol.dispose)", async () => {
    start();
    const iteratorProto = Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()))) as object;
    const asyncIteratorProto = Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()))) as object;
    const sync = observe(function* numbers() {
      yield 1;
    })();
    const later = observe(async function* letters() {
      yield "a";
    })();
    expect(iteratorProto.isPrototypeOf(sync)).toBe(true);
    expect(asyncIteratorProto.isPrototypeOf(later)).toBe(true);
    expect([...sync]).toEqual([1]);
    for await (const _ of later);
  });

  it("ends an async generator's span with spanwise.cancelled when the loop breaks off", async () => {
    const { memory } = start();
    const gen = observe(async function* endless() {
      for (let i = 0; ; i++) {
        await sleep(1);
        yield i;
      }
    });
    for await (const n of gen()) if (n === 2) break;
    await flush();
    expect(only(memory, "endless").attributes["spanwise.cancelled"]).toBe(true);
  });

  it("ends an async generator's span with the error when it throws, rejecting with the same error", async () => {
    const { memory } = start();
    const boom = new Error("stream broke");
    const gen = observe(async function* brittle() {
      yield 1;
      await sleep(1);
      throw boom;
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of gen()) seen.push(n);
      })(),
    ).rejects.toBe(boom);
    expect(seen).toEqual([1]);
    await flush();
    const s = only(memory, "brittle");
    expect(s.statusCode).toBe("error");
    expect(exceptionEvent(s).attributes["exception.message"]).toBe("stream broke");
  });

  it("makes spans created between yields of an async generator children of its span", async () => {
    const { memory } = start();
    const fetchDoc = observe(async (id: number) => {
      await sleep(1);
      return `doc-${id}`;
    }, { name: "fetchDoc", kind: "retrieval" });
    const gen = observe(async function* retrieve() {
      yield await fetchDoc(1);
      await sleep(2);
      yield await span("rerank", async () => {
        await sleep(1);
        return "ranked";
      });
      yield await new Promise((resolve) => setTimeout(() => resolve(fetchDoc(2)), 1));
    });
    const results: unknown[] = [];
    await span("caller", async () => {
      for await (const r of gen()) {
        results.push(r);
        await sleep(1);
      }
    });
    expect(results).toEqual(["doc-1", "ranked", "doc-2"]);
    await flush();
    const g = only(memory, "retrieve");
    expect(g.parentSpanId).toBe(only(memory, "caller").spanId);
    expect(only(memory, "rerank").parentSpanId).toBe(g.spanId);
    const docs = memory.spans.filter((s) => s.name === "fetchDoc");
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(d.parentSpanId).toBe(g.spanId);
  });
});

describe("observe on streams and Responses", () => {
  const encoder = new TextEncoder();

  it("keeps a ReadableStream's span open until the stream is read to the end", async () => {
    const { memory } = start();
    let streamSpan: Span | undefined;
    const streamText = observe(function streamText() {
      streamSpan = currentSpan();
      return bytesStream([encoder.encode("hello "), encoder.encode("world")]);
    });
    const stream = streamText();
    expect(stream).toBeInstanceOf(ReadableStream);
    await flush();
    expect(memory.spans).toHaveLength(0);
    expect(streamSpan?.isRecording()).toBe(true);

    const reader = stream.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("hello ");
    await flush();
    expect(memory.spans).toHaveLength(0);

    expect(new TextDecoder().decode((await reader.read()).value)).toBe("world");
    expect((await reader.read()).done).toBe(true);
    expect(streamSpan?.isRecording()).toBe(false);
    await flush();
    const s = only(memory, "streamText");
    expect(s.attributes["spanwise.stream.chunks"]).toBe(2);
    expect(s.attributes["spanwise.stream.bytes"]).toBe(11);
    expect(s.attributes["output.value"]).toBe("hello world");
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("ends a ReadableStream's span with spanwise.cancelled when the reader cancels", async () => {
    const { memory } = start();
    let sourceCancelled: unknown;
    const source = new ReadableStream<string>({
      pull(controller) {
        controller.enqueue("tick");
      },
      cancel(reason) {
        sourceCancelled = reason;
      },
    });
    const stream = observe(() => source, { name: "ticks" })();
    const reader = stream.getReader();
    expect((await reader.read()).value).toBe("tick");
    await reader.cancel("user left");
    expect(sourceCancelled).toBe("user left");
    await flush();
    const s = only(memory, "ticks");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["spanwise.stream.chunks"]).toBe(1);
  });

  it("ends a stream's span with the error when the source errors", async () => {
    const { memory } = start();
    const boom = new Error("upstream reset");
    let n = 0;
    const source = new ReadableStream<string>({
      pull(controller) {
        if (n++ === 0) controller.enqueue("a");
        else controller.error(boom);
      },
    });
    const stream = observe(() => source, { name: "flaky" })();
    await expect(drain(stream)).rejects.toBe(boom);
    await flush();
    expect(only(memory, "flaky").statusCode).toBe("error");
  });

  it("keeps a streamed Response's status, headers and bytes, and ends its span when the body is read", async () => {
    const { memory } = start();
    const chunks = [new Uint8Array([0, 1, 2, 255]), encoder.encode("data: hi\n\n"), new Uint8Array([0xc3, 0x28])];
    const expected = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    chunks.reduce((at, c) => (expected.set(c, at), at + c.byteLength), 0);
    let responseSpan: Span | undefined;
    const handler = observe(async function handler() {
      responseSpan = currentSpan();
      await sleep(1);
      return new Response(bytesStream(chunks), { status: 201, statusText: "Created", headers: { "content-type": "text/event-stream", "x-request-id": "r-1" } });
    });
    const res = await handler();
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(201);
    expect(res.statusText).toBe("Created");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("x-request-id")).toBe("r-1");
    await flush();
    expect(memory.spans).toHaveLength(0);
    expect(responseSpan?.isRecording()).toBe(true);

    const body = new Uint8Array(await res.arrayBuffer());
    expect(body).toEqual(expected);
    expect(responseSpan?.isRecording()).toBe(false);
    await flush();
    const s = only(memory, "handler");
    expect(s.attributes["http.response.status_code"]).toBe(201);
    expect(s.attributes["spanwise.stream.bytes"]).toBe(expected.byteLength);
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("keeps a fetched Response's url, redirected and type when it follows its body", async () => {
    const { memory } = start();
    const server = createServer((req, res) => {
      if (req.url === "/old") res.writeHead(302, { location: "/new" }).end();
      // An event stream, without a length: a body the span follows.
      else res.writeHead(200, { "content-type": "text/event-stream" }).end("moved here");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const plain = await fetch(`${base}/old`);
      await plain.text();
      const res = await observe(() => fetch(`${base}/old`), { name: "fetch moved" })();
      expect([res.url, res.redirected, res.type]).toEqual([plain.url, plain.redirected, plain.type]);
      expect(res.url).toBe(`${base}/new`);
      expect(res.redirected).toBe(true);
      expect(await res.text()).toBe("moved here");
      await flush();
      expect(only(memory, "fetch moved").attributes["spanwise.stream.bytes"]).toBe(10);
    } finally {
      server.close();
    }
  });

  it("hands back a sized Response as it is and ends its span at once, read or not", async () => {
    const { memory } = start();
    const server = createServer((_req, res) => res.end(JSON.stringify({ ok: true })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      let fetched: Response | undefined;
      const res = await observe(async () => (fetched = await fetch(base)), { name: "fetch json" })();
      expect(res).toBe(fetched);
      expect(res.ok).toBe(true); // the body is never read
      const made = new Response("hello world", { status: 201 });
      expect(observe(() => made, { name: "made" })()).toBe(made);
      await flush();
      expect(only(memory, "fetch json").attributes["spanwise.stream.bytes"]).toBeUndefined();
      expect(only(memory, "made").attributes["spanwise.stream.bytes"]).toBeUndefined();
      // Its status is what it says; as JSON a Response is an empty "{}", not worth an output.value.
      expect(only(memory, "fetch json").attributes).toMatchObject({ "http.response.status_code": 200 });
      expect(only(memory, "made").attributes).toMatchObject({ "http.response.status_code": 201 });
      expect(only(memory, "made").attributes["output.value"]).toBeUndefined();
      expect(stats().ended).toBe(stats().started);
      expect(await made.text()).toBe("hello world");
    } finally {
      server.close();
    }
  });

  it("says at shutdown how many spans never ended, and says nothing when all did", async () => {
    const first = start();
    const stream = observe(() => new ReadableStream({ pull: (c) => c.enqueue("tick") }), { name: "never read" });
    stream();
    const gen = observe(function* numbers() {
      yield 1;
    });
    gen();
    await shutdown();
    expect(first.warnings.filter((w) => w.includes("never ended"))).toEqual([
      "[spanwise] 2 spans were started and never ended, so not exported: a streamed body or a generator never read to its end, or a startSpan() without end()?",
    ]);
    const second = start();
    await observe(async () => new Response("sized"), { name: "sized" })();
    await shutdown();
    expect(second.warnings).toEqual([]);
  });

  it("ends a streamed Response's span with spanwise.cancelled when the body is cancelled", async () => {
    const { memory } = start();
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode("chunk"));
      },
    });
    const res = observe(() => new Response(source, { status: 200 }), { name: "sse" })();
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    await flush();
    const s = only(memory, "sse");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["http.response.status_code"]).toBe(200);
  });

  it("ends a bodiless Response's span at once and returns it untouched", async () => {
    const { memory } = start();
    const original = new Response(null, { status: 204 });
    const res = await observe(async () => original, { name: "empty" })();
    expect(res).toBe(original);
    await flush();
    expect(only(memory, "empty").endTime).toBeGreaterThan(0);
  });
});

describe("observe on byte streams", () => {
  const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

  /** A byte stream (type "bytes", as a fetched body is) that gives `chunks` one per pull. */
  function byteSource(chunks: string[], onCancel?: (reason: unknown) => void): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      type: "bytes",
      pull(controller) {
        if (i < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[i++]));
        else controller.close();
      },
      cancel: onCancel,
    });
  }

  it("keeps a byte stream one, so a BYOB reader reads it in pieces of its own size, and counts the source's chunks and bytes", async () => {
    const { memory } = start();
    const stream = observe(() => byteSource(["hello", " world"]), { name: "bytes" })();
    expect(await readByob(stream, 4)).toEqual(["hell", "o", " wor", "ld"]);
    await flush();
    const s = only(memory, "bytes");
    expect(s.attributes["spanwise.stream.chunks"]).toBe(2);
    expect(s.attributes["spanwise.stream.bytes"]).toBe(11);
    expect(s.attributes["output.value"]).toBe("hello world");
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("still gives a default reader of a byte stream the source's chunks as they came", async () => {
    const { memory } = start();
    const stream = observe(() => byteSource(["hello", " world"]), { name: "bytes" })();
    expect((await drain(stream)).map(text)).toEqual(["hello", " world"]);
    await flush();
    expect(only(memory, "bytes").attributes["spanwise.stream.chunks"]).toBe(2);
  });

  it("reads nothing from a byte source before the BYOB reader asks", async () => {
    start();
    let pulls = 0;
    const source = new ReadableStream({
      type: "bytes",
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array([pulls]));
      },
    });
    const reader = observe(() => source, { name: "bytes" })().getReader({ mode: "byob" });
    await sleep(5);
    expect(pulls).toBe(0);
    expect(Array.from((await reader.read(new Uint8Array(8))).value ?? [])).toEqual([1]);
    await sleep(5);
    expect(pulls).toBe(1);
    await reader.cancel();
  });

  it("ends a byte stream's span with spanwise.cancelled when a BYOB reader cancels, and passes the reason to the source", async () => {
    const { memory } = start();
    let reason: unknown;
    const stream = observe(() => byteSource(["tick", "tock", "tick"], (r) => (reason = r)), { name: "ticks" })();
    const reader = stream.getReader({ mode: "byob" });
    expect(text((await reader.read(new Uint8Array(2))).value as Uint8Array)).toBe("ti");
    await reader.cancel("user left");
    expect(reason).toBe("user left");
    await flush();
    const s = only(memory, "ticks");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["spanwise.stream.chunks"]).toBe(1);
  });

  it("rejects a BYOB read with the byte source's own error and ends the span with it", async () => {
    const { memory } = start();
    const boom = new Error("upstream reset");
    let n = 0;
    const source = new ReadableStream({
      type: "bytes",
      pull(controller) {
        if (n++ === 0) controller.enqueue(new Uint8Array([1, 2, 3]));
        else controller.error(boom);
      },
    });
    const stream = observe(() => source, { name: "flaky" })();
    await expect(readByob(stream, 16)).rejects.toBe(boom);
    await flush();
    expect(only(memory, "flaky").statusCode).toBe("error");
  });

  it("keeps a streamed Response's byte body a byte stream", async () => {
    const { memory } = start();
    const res = await observe(async () => new Response(byteSource(["data: a\n\n", "data: b\n\n"]), { headers: { "content-type": "text/event-stream" } }), { name: "sse" })();
    expect((await readByob(res.body as ReadableStream<Uint8Array>, 64)).join("")).toBe("data: a\n\ndata: b\n\n");
    await flush();
    const s = only(memory, "sse");
    expect(s.attributes["spanwise.stream.bytes"]).toBe(18);
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("asks a Response's own stream once whether it is a byte stream (Node's refusal costs ~15 µs), and follows it", async () => {
    const { memory } = start();
    let byobAsks = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed"));
        controller.close();
      },
    });
    const getReader = body.getReader.bind(body) as (options?: { mode?: "byob" }) => ReadableStreamDefaultReader<Uint8Array>;
    Object.defineProperty(body, "getReader", {
      value: (options?: { mode?: "byob" }) => {
        if (options?.mode === "byob") byobAsks++;
        return getReader(options);
      },
    });
    const res = await observe(async () => new Response(body), { name: "own-stream" })();
    expect(await res.text()).toBe("streamed");
    await flush();
    expect(only(memory, "own-stream").attributes["spanwise.stream.bytes"]).toBe(8);
    expect(byobAsks).toBe(1);
  });

  it("keeps a fetched event stream's body a byte stream", async () => {
    const { memory } = start();
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/event-stream" }).end("fetched bytes"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await observe(() => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), { name: "fetch" })();
      expect((await readByob(res.body as ReadableStream<Uint8Array>, 5)).join("")).toBe("fetched bytes");
      await flush();
      expect(only(memory, "fetch").attributes["spanwise.stream.bytes"]).toBe(13);
    } finally {
      server.close();
    }
  });

  it("leaves a stream that is not a byte stream as it was: a BYOB reader fails on it as on the source, and its chunks (Buffer slices of Node's shared pool) are passed on, not moved", async () => {
    start();
    const refuse = (stream: ReadableStream): unknown => {
      try {
        stream.getReader({ mode: "byob" }).releaseLock();
        return "a BYOB reader";
      } catch (err) {
        return (err as Error).constructor;
      }
    };
    const plain = bytesStream([]);
    expect(refuse(observe(() => bytesStream([]), { name: "plain" })())).toBe(refuse(plain));
    expect(refuse(plain)).toBe(TypeError);

    const pooled = [Buffer.from("pooled "), Buffer.from("bytes")];
    expect(pooled[0]?.buffer).toBe(pooled[1]?.buffer);
    const pool = pooled[0]?.buffer as ArrayBuffer;
    const size = pool.byteLength;
    const chunks = await drain(observe(() => bytesStream(pooled), { name: "pooled" })());
    expect(chunks[0]).toBe(pooled[0]);
    expect(pool.byteLength).toBe(size);
    expect(pooled.map((b) => b.toString()).join("")).toBe("pooled bytes");
  });
});

describe("observe as a TS 5 method decorator", () => {
  // Vitest's transform (oxc) does not lower TC39 decorators and Node 20 cannot run them, so the
  // class is compiled the way a user's `tsc` (TypeScript 5, no experimentalDecorators) would.
  const compile = (source: string, options: ts.CompilerOptions = {}): Record<string, unknown> => {
    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, ...options } }).outputText;
    const exports: Record<string, unknown> = {};
    new Function("exports", "observe", js)(exports, observe);
    return exports;
  };

  const source = `
    declare const observe: any;
    export class SearchAgent {
      prefix: string;
      constructor(prefix: string) { this.prefix = prefix; }
      @observe({ kind: "tool" })
      async search(q: string) { return this.prefix + q; }
      @observe
      plan(step: number) { return [this.prefix, step]; }
      @observe({ name: "custom-name", kind: "agent" })
      run() { return this.plan(1); }
      @observe
      static create(p: string) { return new SearchAgent(p); }
    }
  `;

  it("traces a method decorated with @observe({ kind }) as ClassName.method and keeps this", async () => {
    const { memory } = start();
    const { SearchAgent } = compile(source) as { SearchAgent: new (p: string) => { search(q: string): Promise<string> } };
    const agent = new SearchAgent("found: ");
    expect(await agent.search("cats")).toBe("found: cats");
    await flush();
    const s = only(memory, "SearchAgent.search");
    expect(s.type).toBe("tool");
    expect(s.attributes["input.value"]).toBe("cats");
    expect(s.attributes["output.value"]).toBe("found: cats");
  });

  it("traces a method decorated with bare @observe, and static methods", async () => {
    const { memory } = start();
    const { SearchAgent } = compile(source) as {
      SearchAgent: { new (p: string): { plan(n: number): unknown[]; run(): unknown[] }; create(p: string): { run(): unknown[] } };
    };
    const agent = SearchAgent.create("p");
    expect(agent.run()).toEqual(["p", 1]);
    await flush();
    expect(only(memory, "SearchAgent.create").type).toBe("span");
    const run = only(memory, "custom-name");
    expect(run.type).toBe("agent");
    const plan = only(memory, "SearchAgent.plan");
    expect(plan.parentSpanId).toBe(run.spanId);
    expect(plan.attributes["output.value"]).toBe('["p",1]');
  });

  it("traces getters, and fields holding functions; leaves other fields, and their values, as they were", async () => {
    const { memory } = start();
    const { Profile } = compile(`
      declare const observe: any;
      export class Profile {
        first = "Ada";
        @observe
        get full() { return this.first + " Lovelace"; }
        @observe({ kind: "tool" })
        lookup = async (id: string) => "user " + id;
        @observe
        limit = 5;
        @observe({ name: "never" })
        label = "plain";
      }
    `) as { Profile: new () => { full: string; lookup(id: string): Promise<string>; limit: number; label: string } };
    const p = new Profile();
    expect(p.full).toBe("Ada Lovelace");
    expect(await p.lookup("7")).toBe("user 7");
    expect([p.limit, p.label]).toEqual([5, "plain"]);
    await flush();
    expect(only(memory, "Profile.full").type).toBe("span");
    expect(only(memory, "Profile.full").attributes["output.value"]).toBe("Ada Lovelace");
    expect(only(memory, "Profile.lookup").type).toBe("tool");
    expect(memory.spans.map((x) => x.name).sort()).toEqual(["Profile.full", "Profile.lookup"]);
  });

  // experimentalDecorators, as NestJS and Angular projects compile: (target, key, descriptor).
  const compileLegacy = (source: string, useDefineForClassFields: boolean): Record<string, unknown> => compile(source, { experimentalDecorators: true, useDefineForClassFields });
  const legacy = `
    declare const observe: any;
    export class Cache {
      store = new Map<string, string>([["a", "1"]]);
      @observe({ kind: "tool" })
      get(key: string) { return this.store.get(key); }
      @observe
      async plan(step: number) { return step * 2; }
      @observe
      get size() { return this.store.size; }
      @observe
      static create() { return new Cache(); }
      @observe
      limit = 5;
      @observe({ kind: "tool" })
      lookup = (id: string) => "user " + id;
      @observe
      static shared: unknown;
    }
  `;

  for (const useDefineForClassFields of [true, false]) {
    it(`traces methods, getters and static methods with experimentalDecorators (useDefineForClassFields ${useDefineForClassFields}), leaving fields as they were`, async () => {
      const { memory } = start();
      const { Cache } = compileLegacy(legacy, useDefineForClassFields) as {
        Cache: { shared: unknown; create(): { get(key: string): string | undefined; plan(n: number): Promise<number>; size: number; limit: number; lookup(id: string): string } };
      };
      // A static field without an initializer stays writable.
      Cache.shared = "set later";
      expect(Cache.shared).toBe("set later");
      const cache = Cache.create();
      expect(cache.get("a")).toBe("1");
      expect(await cache.plan(3)).toBe(6);
      expect(cache.size).toBe(1);
      expect([cache.limit, cache.lookup("7")]).toEqual([5, "user 7"]);
      // A method named `get` stays a method (not turned into an accessor).
      expect(typeof Object.getOwnPropertyDescriptor(Object.getPrototypeOf(cache), "get")?.value).toBe("function");
      await flush();
      expect(memory.spans.map((x) => x.name).sort()).toEqual(["Cache.create", "Cache.get", "Cache.plan", "Cache.size"]);
      expect(only(memory, "Cache.get").type).toBe("tool");
      expect(only(memory, "Cache.get").attributes["output.value"]).toBe("1");
      expect(only(memory, "Cache.plan").attributes["output.value"]).toBe("6");
    });
  }

  it("type-checks as a decorator with experimentalDecorators", { timeout: 30_000 }, () => {
    const file = fileURLToPath(new URL("../types/legacy-decorators.ts", import.meta.url));
    const program = ts.createProgram([file], { experimentalDecorators: true, strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: ["node"] });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });
});

describe("observe keeps what callers rely on", () => {
  it("keeps a function's own properties and prototype, and constructs with new as the function would", async () => {
    const { memory } = start();
    const describeTool = Object.assign(async (q: string) => q.length, { description: "Counts letters", parameters: { q: "string" } });
    const traced = observe(describeTool, { name: "count" });
    expect([traced.description, traced.parameters, traced.name, traced.length]).toEqual(["Counts letters", { q: "string" }, describeTool.name, 1]);
    class Person {
      constructor(readonly name: string) {}
    }
    const Traced = observe(Person as unknown as (name: string) => Person) as unknown as new (name: string) => Person;
    const ada = new Traced("Ada");
    expect(ada).toBeInstanceOf(Person);
    expect(ada).toBeInstanceOf(Traced);
    expect(ada.name).toBe("Ada");
    expect(await traced("abc")).toBe(3);
    // The properties are the function's own, live: written through the wrapper or on the function.
    describeTool.description = "Counts characters";
    expect(traced.description).toBe("Counts characters");
    (traced as { parameters: unknown }).parameters = { text: "string" };
    expect(describeTool.parameters).toEqual({ text: "string" });
    // A static getter keeps its class as `this`, private fields included.
    class Config {
      static #level = 3;
      static get level(): number {
        return Config.#level + (this === Config ? 0 : 100);
      }
    }
    expect((observe(Config as unknown as () => void) as unknown as { level: number }).level).toBe(3);
    await flush();
    expect(memory.spans.map((x) => x.name).sort()).toEqual(["Person", "count"]);
  });

  it("hands back a promise's own properties (promisify(exec).child) on the promise it returns", async () => {
    start();
    const run = observe((cmd: string) => Object.assign(Promise.resolve(cmd.toUpperCase()), { child: { pid: 42 } }), { name: "exec" });
    const p = run("ls");
    expect((p as Promise<string> & { child?: { pid: number } }).child).toEqual({ pid: 42 });
    expect(await p).toBe("LS");
  });

  it("runs the function and returns its value when an option's getter throws", () => {
    start();
    let calls = 0;
    const hostile = Object.defineProperty({}, "captureOutput", {
      enumerable: true,
      get: () => {
        throw new Error("getter");
      },
    });
    const f = observe(() => ++calls, hostile);
    expect(f()).toBe(1);
    const throwingProxy = new Proxy({}, { get: () => { throw new Error("proxy"); } });
    expect(() => observe(() => ++calls, throwingProxy)).not.toThrow();
    expect(calls).toBe(1);
  });
});

describe("span and startSpan", () => {
  it("runs span(name, options, fn) with the span, makes it current and ends it with the result", async () => {
    const { memory } = start();
    const result = await span("plan", { kind: "workflow", attributes: { step: 1 } }, async (s) => {
      expect(currentSpan()).toBe(s);
      s.setAttribute("k", "v");
      await sleep(1);
      return "planned";
    });
    expect(result).toBe("planned");
    await flush();
    const s = only(memory, "plan");
    expect(s.type).toBe("workflow");
    expect(s.attributes).toMatchObject({ step: 1, k: "v", "openinference.span.kind": "CHAIN" });
  });

  it("takes a parent span, a traceparent string or null in span() and startSpan()", async () => {
    const { memory } = start();
    const parent = startSpan("parent");
    await span("ambient", async () => {
      span("child-of-span", { parent: parent.spanContext() }, () => undefined);
      startSpan("started-child-of-span", { parent: parent as never }).end();
      span("child-of-traceparent", { parent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01` }, () => undefined);
      startSpan("started-child-of-traceparent", { parent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01` }).end();
      span("new-trace", { parent: null }, () => undefined);
      startSpan("started-new-trace", { parent: null }).end();
      startSpan("started-child-of-ambient").end();
    });
    parent.end();
    await flush();
    const p = only(memory, "parent");
    const ambient = only(memory, "ambient");
    for (const name of ["child-of-span", "started-child-of-span"]) {
      expect(only(memory, name).traceId).toBe(p.traceId);
      expect(only(memory, name).parentSpanId).toBe(p.spanId);
    }
    for (const name of ["child-of-traceparent", "started-child-of-traceparent"]) {
      const s = only(memory, name);
      expect(s.traceId).toBe(REMOTE_TRACE);
      expect(s.parentSpanId).toBe(REMOTE_SPAN);
      expect(s.parentIsRemote).toBe(true);
    }
    for (const name of ["new-trace", "started-new-trace"]) {
      const s = only(memory, name);
      expect(s.parentSpanId).toBeUndefined();
      expect([p.traceId, ambient.traceId, REMOTE_TRACE]).not.toContain(s.traceId);
    }
    expect(only(memory, "started-child-of-ambient").parentSpanId).toBe(ambient.spanId);
  });

  it("does not make a startSpan span current", async () => {
    start();
    await span("outer", async (outer) => {
      const s = startSpan("side");
      expect(currentSpan()).toBe(outer);
      s.end();
    });
  });

  it("uses the given start time and links in startSpan", async () => {
    const { memory } = start();
    const linked = startSpan("linked");
    const startedAt = Date.now() - 5_000;
    const s = startSpan("batch", { startTime: startedAt, kind: "workflow", spanKind: "consumer", attributes: { n: 3 }, links: [{ context: linked.spanContext(), attributes: { why: "batch" } }] });
    s.end(startedAt + 100);
    linked.end();
    await flush();
    const b = only(memory, "batch");
    expect(b.startTime).toBe(startedAt);
    expect(b.endTime).toBe(startedAt + 100);
    expect(b.kind).toBe("consumer");
    expect(b.links).toHaveLength(1);
    expect(b.links[0]).toMatchObject({ spanId: linked.spanId, traceId: linked.traceId, attributes: { why: "batch" } });
  });
});

describe("withAttributes", () => {
  it("puts user, session, tags and metadata on every span started inside", async () => {
    const { memory } = start();
    const result = await withAttributes({ userId: "u-1", sessionId: "s-9", tags: ["beta"], metadata: { plan: "pro" }, attributes: { "app.tenant": "acme" } }, async () => {
      await span("outer", async () => {
        await sleep(1);
        await span("inner", () => undefined);
      });
      return "ok";
    });
    expect(result).toBe("ok");
    span("outside", () => undefined);
    await flush();
    for (const name of ["outer", "inner"]) {
      const s = only(memory, name);
      expect(s.attributes["user.id"]).toBe("u-1");
      expect(s.attributes["session.id"]).toBe("s-9");
      expect(s.attributes["tag.tags"]).toEqual(["beta"]);
      expect(JSON.parse(String(s.attributes.metadata))).toEqual({ plan: "pro" });
      expect(s.attributes["app.tenant"]).toBe("acme");
    }
    const outside = only(memory, "outside");
    expect(outside.attributes["user.id"]).toBeUndefined();
    expect(outside.attributes["tag.tags"]).toBeUndefined();
  });

  it("merges nested scopes: ids replace, tags add up, metadata merges", async () => {
    const { memory } = start();
    withAttributes({ userId: "u-1", sessionId: "s-1", tags: ["a"], metadata: { plan: "pro", region: "eu" } }, () =>
      withAttributes({ userId: "u-2", tags: ["b", "a"], metadata: { region: "us", tier: 2 } }, () => span("deep", () => undefined)),
    );
    await flush();
    const s = only(memory, "deep");
    expect(s.attributes["user.id"]).toBe("u-2");
    expect(s.attributes["session.id"]).toBe("s-1");
    expect(s.attributes["tag.tags"]).toEqual(["a", "b"]);
    expect(JSON.parse(String(s.attributes.metadata))).toEqual({ plan: "pro", region: "us", tier: 2 });
  });

  it("lets what a span sets itself win over its scope", async () => {
    const { memory } = start();
    withAttributes({ userId: "u-1", attributes: { "app.x": "scope" } }, () =>
      span("own", (s) => {
        s.setAttribute("app.x", "span");
        s.setAttribute("user.id", "u-own");
      }),
    );
    await flush();
    expect(only(memory, "own").attributes["app.x"]).toBe("span");
    expect(only(memory, "own").attributes["user.id"]).toBe("u-own");
  });
});

describe("updateCurrentSpan and updateCurrentTrace", () => {
  it("writes model, usage, input, output and cost in both conventions", async () => {
    const { memory } = start();
    observe(
      () => {
        updateCurrentSpan({ model: "gpt-4o", provider: "azure.ai.openai", usage: { inputTokens: 10, outputTokens: 3 }, input: [{ role: "user", content: "hi" }], output: "hello", costUsd: 0.0042 });
      },
      { name: "call", kind: "llm", captureInput: false, captureOutput: false },
    )();
    await flush();
    const a = only(memory, "call").attributes;
    expect(a["gen_ai.request.model"]).toBe("gpt-4o");
    expect(a["llm.model_name"]).toBe("gpt-4o");
    // The provider as given, in both conventions (recordLLM and the integrations spell it
    // OpenInference's way; the table that does it stays out of a Worker's bundle here).
    expect([a["gen_ai.provider.name"], a["llm.provider"]]).toEqual(["azure.ai.openai", "azure.ai.openai"]);
    expect(a["gen_ai.usage.input_tokens"]).toBe(10);
    expect(a["gen_ai.usage.output_tokens"]).toBe(3);
    expect(a["llm.token_count.prompt"]).toBe(10);
    expect(a["llm.token_count.completion"]).toBe(3);
    expect(a["llm.token_count.total"]).toBe(13);
    expect(a["llm.cost.total"]).toBe(0.0042);
    expect(a["input.value"]).toBe('[{"role":"user","content":"hi"}]');
    expect(a["input.mime_type"]).toBe("application/json");
    expect(a["output.value"]).toBe("hello");
  });

  it("lets a later update overwrite metadata keys an earlier one set, while scope metadata only fills gaps", async () => {
    const { memory } = start();
    await withAttributes({ metadata: { step: "scope", plan: "pro" } }, () =>
      span("steps", () => {
        updateCurrentSpan({ metadata: { step: 1, a: "x" } });
        updateCurrentSpan({ metadata: { step: 2 } });
        updateCurrentSpan({ metadata: { step: 3 } });
      }),
    );
    await flush();
    expect(JSON.parse(only(memory, "steps").attributes.metadata as string)).toEqual({ step: 3, a: "x", plan: "pro" });
  });

  it("reaches every span of the trace with updateCurrentTrace, and only that trace", async () => {
    const { memory } = start();
    await span("root", async () => {
      await span("early-child", () => sleep(1));
      await span("updater", async () => {
        await span("grandchild", () => undefined);
        updateCurrentTrace({ userId: "u-7", sessionId: "chat-42", tags: ["vip"], metadata: { source: "web" }, name: "support chat", input: "question", output: "answer" });
      });
      await span("late-child", () => undefined);
    });
    span("other-trace", () => undefined);
    await flush();
    for (const name of ["root", "early-child", "updater", "grandchild", "late-child"]) {
      const a = only(memory, name).attributes;
      expect(a["user.id"], name).toBe("u-7");
      expect(a["session.id"], name).toBe("chat-42");
      expect(a["tag.tags"], name).toEqual(["vip"]);
      expect(JSON.parse(String(a.metadata)), name).toEqual({ source: "web" });
    }
    const root = only(memory, "root").attributes;
    expect(root["spanwise.trace.name"]).toBe("support chat");
    expect(root["spanwise.trace.input"]).toBe("question");
    expect(root["spanwise.trace.output"]).toBe("answer");
    expect(only(memory, "updater").attributes["spanwise.trace.name"]).toBeUndefined();
    expect(only(memory, "other-trace").attributes["user.id"]).toBeUndefined();
  });
});

describe("recordLLM", () => {
  it("records a finished call as a client span under the current span with the given times", async () => {
    const { memory } = start();
    const startedAt = Date.now() - 2_000;
    const endedAt = new Date(startedAt + 750);
    let ctx: ReturnType<typeof recordLLM>;
    span("agent", () => {
      ctx = recordLLM({
        provider: "openai",
        model: "gpt-4o-mini",
        inputTokens: 120,
        outputTokens: 45,
        startedAt,
        endedAt,
        input: "prompt",
        output: "completion",
        responseModel: "gpt-4o-mini-2024-07-18",
        finishReasons: ["stop"],
        costUsd: 0.001,
        attributes: { "app.attempt": 1 },
      });
    });
    await flush();
    const s = only(memory, "chat gpt-4o-mini");
    expect(ctx!.spanId).toBe(s.spanId);
    expect(s.kind).toBe("client");
    expect(s.type).toBe("llm");
    expect(s.parentSpanId).toBe(only(memory, "agent").spanId);
    expect(s.startTime).toBe(startedAt);
    expect(s.endTime).toBe(startedAt + 750);
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 120,
      "gen_ai.usage.output_tokens": 45,
      "llm.token_count.total": 165,
      "gen_ai.response.finish_reasons": ["stop"],
      "llm.cost.total": 0.001,
      "input.value": "prompt",
      "output.value": "completion",
      "app.attempt": 1,
    });
  });

  it("prices a call from the table, or the pricing option, when no costUsd is given; a given costUsd wins", async () => {
    const { memory, warnings } = start({ pricing: { "my-ft-*": { input: 2, output: 4 } } });
    const startedAt = Date.now() - 10;
    recordLLM({ provider: "openai", model: "gpt-4o-mini", inputTokens: 1_000, outputTokens: 1_000, startedAt, name: "table" });
    recordLLM({ provider: "acme", model: "my-ft-7", inputTokens: 500_000, outputTokens: 250_000, startedAt, name: "option" });
    recordLLM({ provider: "openai", model: "gpt-4o-mini", inputTokens: 1_000, outputTokens: 1_000, startedAt, costUsd: 0.5, name: "given" });
    recordLLM({ provider: "acme", model: "unknown-model", inputTokens: 10, outputTokens: 10, startedAt, name: "unpriced" });
    await flush();
    const cost = (name: string) => {
      const a = only(memory, name).attributes;
      return [a["llm.cost.prompt"], a["llm.cost.completion"], a["llm.cost.total"]];
    };
    expect(cost("table")).toEqual([0.00015, 0.0006, 0.00075]);
    expect(cost("option")).toEqual([1, 1, 2]);
    expect(cost("given")).toEqual([undefined, undefined, 0.5]);
    expect(cost("unpriced")).toEqual([undefined, undefined, undefined]);
    expect(warnings.filter((w) => w.includes('no price for model "unknown-model"'))).toHaveLength(1);
  });

  it("takes cached, reasoning and total token counts at the top level of a call as well as in usage", async () => {
    const { memory } = start();
    const startedAt = Date.now() - 10;
    recordLLM({ provider: "openai", model: "gpt-4o", inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 400_000, reasoningTokens: 7, startedAt, name: "top level" });
    recordLLM({ provider: "openai", model: "gpt-4o", inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 1, usage: { cacheReadTokens: 400_000 }, startedAt, name: "usage wins" });
    await flush();
    for (const name of ["top level", "usage wins"]) {
      const a = only(memory, name).attributes;
      expect(a["gen_ai.usage.cache_read.input_tokens"]).toBe(400_000);
      // gpt-4o: 600,000 uncached input tokens at $2.50 a million, 400,000 cached at $1.25.
      expect(a["llm.cost.total"]).toBeCloseTo(2, 12);
    }
    expect(only(memory, "top level").attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(7);
  });

  it("warns about at most 100 models without a price, then says once that it stops, and still records every call", async () => {
    const { memory, warnings } = start();
    // A gateway passing its callers' model names through: each name is new.
    for (let i = 0; i < 250; i++) recordLLM({ provider: "acme", model: `tenant-${i}-ft`, inputTokens: 1, outputTokens: 1, startedAt: Date.now() - 1, name: "call" });
    await flush();
    expect(memory.spans.filter((s) => s.name === "call")).toHaveLength(250);
    const unpriced = warnings.filter((w) => w.includes("no price for model"));
    expect(unpriced).toHaveLength(100);
    expect(unpriced[99]).toContain('"tenant-99-ft"');
    expect(warnings.filter((w) => w.includes("100 models without a price were warned about; further ones are not"))).toHaveLength(1);

  });

  it("records an errored call with status error", async () => {
    const { memory } = start();
    recordLLM({ provider: "anthropic", model: "claude", startedAt: new Date(Date.now() - 10), error: new Error("overloaded"), operation: "chat", name: "llm-fail" });
    await flush();
    const s = only(memory, "llm-fail");
    expect(s.statusCode).toBe("error");
    expect(exceptionEvent(s).attributes["exception.message"]).toBe("overloaded");
    // error.type is what the GenAI conventions require of a failed call.
    expect(s.attributes["error.type"]).toBe("Error");
  });

  it("names an embedding call's model as OpenInference does, and its provider in both conventions' spelling", async () => {
    const { memory } = start();
    recordLLM({ provider: "gcp.vertex_ai", model: "text-embedding-005", operation: "embeddings", inputTokens: 8, startedAt: Date.now() - 5, name: "embed" });
    await flush();
    const s = only(memory, "embed");
    expect(s.type).toBe("embedding");
    expect(s.attributes).toMatchObject({ "gen_ai.provider.name": "gcp.vertex_ai", "llm.provider": "google", "llm.system": "vertexai", "gen_ai.request.model": "text-embedding-005", "embedding.model_name": "text-embedding-005" });
    expect(s.attributes["llm.model_name"]).toBeUndefined();
  });
});

describe("inject and extract", () => {
  it("round-trips the trace context so the callee continues the caller's trace", async () => {
    const { memory } = start();
    const headers: Record<string, string> = {};
    let caller: Span | undefined;
    await span("client call", { spanKind: "client" }, async (s) => {
      caller = s;
      expect(inject(headers)).toBe(headers);
    });
    expect(headers.traceparent).toMatch(TRACEPARENT);
    expect(headers.traceparent).toBe(`00-${caller!.traceId}-${caller!.spanId}-01`);

    const parent = extract(headers);
    expect(parent).toMatchObject({ traceId: caller!.traceId, spanId: caller!.spanId, traceFlags: 1, isRemote: true });
    await span("server handle", { parent, spanKind: "server" }, async () => {
      await span("server work", () => undefined);
    });
    startSpan("server started", { parent }).end();
    await flush();
    const handle = only(memory, "server handle");
    expect(handle.traceId).toBe(caller!.traceId);
    expect(handle.parentSpanId).toBe(caller!.spanId);
    expect(handle.parentIsRemote).toBe(true);
    expect(handle.kind).toBe("server");
    expect(only(memory, "server work").parentSpanId).toBe(handle.spanId);
    expect(only(memory, "server started").parentSpanId).toBe(caller!.spanId);
  });

  it("injects into a Headers object and extracts from one", async () => {
    start();
    const headers = new Headers({ "content-type": "application/json" });
    let traceId = "";
    span("call", (s) => {
      traceId = s.traceId;
      inject(headers);
    });
    expect(headers.get("traceparent")).toMatch(TRACEPARENT);
    expect(headers.get("content-type")).toBe("application/json");
    expect(extract(headers)?.traceId).toBe(traceId);
  });

  it("injects from an explicit span outside any active span", async () => {
    start();
    const s = startSpan("explicit");
    const headers = inject({} as Record<string, string>, s);
    expect(headers.traceparent).toBe(`00-${s.traceId}-${s.spanId}-01`);
    s.end();
    expect(inject({})).toEqual({});
  });

  it("passes tracestate received with the parent on to the next call", async () => {
    start();
    const parent = extract({
      traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01`,
      tracestate: "vendor=abc,other@tenant=x",
      baggage: "user.tier=gold,note=hello%20world;prop=1",
    });
    expect(parent?.traceState).toBe("vendor=abc,other@tenant=x");
    expect(parent?.baggage?.get("note")).toEqual({ value: "hello world", metadata: "prop=1" });
    const outgoing: Record<string, string> = {};
    const handle = span("handle", { parent }, (s) => (inject(outgoing), s));
    expect(outgoing.traceparent).toBe(`00-${REMOTE_TRACE}-${handle.spanId}-01`);
    // W3C Trace Context §3.3.1.4: the participant that sends the request puts its entry first.
    expect(outgoing.tracestate).toBe(`spanwise=${handle.spanId},vendor=abc,other@tenant=x`);
  });

  it("passes baggage received with an explicit parent on to the next call", async () => {
    start();
    const parent = extract({ traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01`, baggage: "user.tier=gold,note=hello%20world" });
    const outgoing: Record<string, string> = {};
    await span("handle", { parent }, async () => {
      await span("downstream call", () => inject(outgoing));
    });
    expect(outgoing.baggage).toBe("user.tier=gold,note=hello%20world");
  });

  it("forwards an extracted context's baggage when injecting from it, as a proxy does", () => {
    start();
    const incoming = extract({ traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01`, baggage: "user.tier=gold" });
    const outgoing = inject({} as Record<string, string>, incoming);
    expect(outgoing).toEqual({ traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01`, baggage: "user.tier=gold" });
  });

  it("never passes on reserved trace flags, in traceparent or in the exported spans", async () => {
    const { memory } = start();
    const parent = extract({ traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-ff` });
    const outgoing: Record<string, string> = {};
    const forwarded = inject({} as Record<string, string>, parent);
    const handle = span("handle", { parent }, (s) => (inject(outgoing), s));
    // Sampled, and Trace Context Level 2's random flag; the other six bits are reserved.
    expect(forwarded.traceparent).toBe(`00-${REMOTE_TRACE}-${REMOTE_SPAN}-03`);
    expect(outgoing.traceparent).toBe(`00-${REMOTE_TRACE}-${handle.spanId}-03`);
    await flush();
    expect(only(memory, "handle").traceFlags).toBe(3);
  });

  it("makes spans under an unsampled parent (flags 00) non-recording, exports none and counts them", async () => {
    const { memory } = start();
    const parent = extract({ traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-00` });
    expect(parent?.traceFlags).toBe(0);
    const outgoing: Record<string, string> = {};
    const result = await span("unsampled", { parent }, async (s) => {
      expect(s.isRecording()).toBe(false);
      await span("unsampled child", (c) => {
        expect(c.isRecording()).toBe(false);
        inject(outgoing);
      });
      return 42;
    });
    expect(result).toBe(42);
    expect(outgoing.traceparent).toMatch(new RegExp(`^00-${REMOTE_TRACE}-[0-9a-f]{16}-00$`));
    await flush();
    expect(memory.spans).toHaveLength(0);
    const st = stats();
    expect(st.exported).toBe(0);
    expect(st.dropped.notSampled).toBe(2);
    expect(st.ended).toBe(st.started);
  });
});
