// The behaviour Deno and Bun must both show, written once with node:assert and the shared OTLP
// receiver (both work in both runtimes). test/deno and test/bun register these scenarios with
// their own runner and their own way of starting a process. Each scenario starts the runtime's
// fixture app as a real process that serves on 127.0.0.1 and exports to a receiver on 127.0.0.1.
import assert from "node:assert/strict";
import process from "node:process";
import { type Collector, type OtlpSpan, attrs, startCollector } from "../helpers/collector.ts";

/** How a process ended: `code` when it exited, `signal` when a signal killed it. */
export interface Exit {
  code: number | null;
  signal: string | null;
}

/** A started process, however the runtime starts one. */
export interface Spawned {
  readonly pid: number;
  readonly exited: Promise<Exit>;
  /** Calls `listener` with each piece of standard output. */
  onStdout(listener: (text: string) => void): void;
  /** What the process wrote to stderr so far, for failure messages. */
  stderr(): string;
}

/** How a runtime runs its fixtures. */
export interface RuntimeUnderTest {
  readonly name: "deno" | "bun";
  /** Runs `file` with the runtime's binary and these extra environment variables. */
  spawn(file: string, env: Record<string, string>): Spawned;
  /** The app: serves `createAgentHandler` through `withTracing`, `/shutdown` stops the server. */
  readonly app: string;
  /** A script that makes nested spans and ends on its own. */
  readonly script: string;
  /** Whether the runtime lets spanwise tell a response the client cut short from a finished one. */
  readonly reportsCancel: boolean;
}

/** A behaviour to show, run against one runtime. */
export interface Scenario {
  readonly name: string;
  run(rt: RuntimeUnderTest): Promise<void>;
}

/** The names of the spans one `/agent/:id` request makes under its SERVER span, by parent. */
export const AGENT_TREE = (id: string): Record<string, string> => ({
  [`agent ${id}`]: "SERVER",
  [`plan ${id}`]: `agent ${id}`,
  [`chat ${id}`]: `plan ${id}`,
  [`search ${id}`]: `agent ${id}`,
  [`lookup ${id}`]: `agent ${id}`,
  [`timer ${id}`]: `agent ${id}`,
});

const SERVER = 2;
const STATUS_ERROR = 2;

interface App {
  readonly proc: Spawned;
  readonly port: number;
  get(path: string, init?: RequestInit): Promise<Response>;
}

async function startApp(rt: RuntimeUnderTest, collector: Collector, env: Record<string, string>): Promise<App> {
  const proc = rt.spawn(rt.app, { SPANWISE_ENDPOINT: collector.url, SPANWISE_SERVICE_NAME: `${rt.name}-app`, ...env });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    proc.onStdout((text) => {
      out += text;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void proc.exited.then((e) => reject(new Error(`${rt.name} app exited (${e.code ?? e.signal}) before listening: ${proc.stderr()}`)));
  });
  return { proc, port, get: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init) };
}

/** Starts a receiver and the app, runs `body`, and always stops both. */
async function withApp(rt: RuntimeUnderTest, env: Record<string, string>, body: (app: App, collector: Collector) => Promise<void>): Promise<void> {
  const collector = await startCollector();
  let app: App | undefined;
  let ended = false;
  try {
    app = await startApp(rt, collector, env);
    void app.proc.exited.then(() => (ended = true));
    await body(app, collector);
  } finally {
    if (app && !ended) {
      process.kill(app.proc.pid, "SIGKILL");
      await app.proc.exited;
    }
    await collector.close();
  }
}

const hex = (bytes: number): string => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

function serverSpan(spans: OtlpSpan[], path: string): OtlpSpan {
  const found = spans.filter((s) => s.kind === SERVER && attrs(s.attributes)["url.path"]?.stringValue === path);
  assert.equal(found.length, 1, `one SERVER span for ${path}, got ${found.length} among ${spans.map((s) => s.name).join(", ")}`);
  return found[0] as OtlpSpan;
}

function byName(spans: OtlpSpan[], name: string): OtlpSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one span "${name}", got ${found.length}`);
  return found[0] as OtlpSpan;
}

const nanos = (s: string): bigint => BigInt(s);

/** Asserts the complete tree of one `/agent/:id` request and returns its SERVER span. */
function assertAgentTree(spans: OtlpSpan[], id: string): OtlpSpan {
  const server = serverSpan(spans, `/agent/${id}`);
  const tree = AGENT_TREE(id);
  const inTrace = spans.filter((s) => s.traceId === server.traceId);
  assert.deepEqual(inTrace.map((s) => s.name).sort(), [server.name, ...Object.keys(tree)].sort(), `trace of request ${id} holds exactly its own spans`);
  for (const [name, parent] of Object.entries(tree)) {
    const s = byName(spans, name);
    const expected = parent === "SERVER" ? server.spanId : byName(spans, parent).spanId;
    assert.equal(s.parentSpanId, expected, `${name} is a child of ${parent}`);
    // recordLLM takes Date.now() times, whole milliseconds: allow that much rounding.
    const slack = name.startsWith("chat ") ? 1_000_000n : 0n;
    assert.ok(nanos(s.startTimeUnixNano) + slack >= nanos(server.startTimeUnixNano) && nanos(s.endTimeUnixNano) <= nanos(server.endTimeUnixNano) + slack, `${name} lies within the SERVER span`);
  }
  return server;
}

const until = async (what: string, check: () => Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`gave up waiting for ${what}`);
};

export const scenarios: Scenario[] = [
  {
    name: "exports a served request as one tree under a SERVER span that continues the caller's trace",
    run: (rt) =>
      withApp(rt, {}, async (app, collector) => {
        const traceId = hex(16);
        const callerSpanId = hex(8);
        const res = await app.get("/agent/7", { headers: { traceparent: `00-${traceId}-${callerSpanId}-01`, "user-agent": "serve-suite" } });
        assert.equal(res.status, 200);
        const body = (await res.json()) as { traceparent: string };
        assert.equal(body.traceparent.split("-")[1], traceId, "inject() inside the handler sees the caller's trace");
        await (await app.get("/flush")).text();

        const spans = collector.spans();
        const server = assertAgentTree(spans, "7");
        assert.equal(server.traceId, traceId);
        assert.equal(server.parentSpanId, callerSpanId);
        assert.equal(server.name, "GET");
        const a = attrs(server.attributes);
        assert.equal(a["http.request.method"]?.stringValue, "GET");
        assert.equal(a["http.response.status_code"]?.intValue, "200");
        assert.equal(a["server.address"]?.stringValue, "127.0.0.1");
        assert.equal(a["server.port"]?.intValue, String(app.port));
        assert.equal(a["user_agent.original"]?.stringValue, "serve-suite");
        assert.match(a["client.address"]?.stringValue ?? "", /127\.0\.0\.1$/);
        assert.equal(attrs(byName(spans, "chat 7").attributes)["gen_ai.usage.input_tokens"]?.intValue, "3");

        const resource = attrs(collector.requests[0]?.body?.resourceSpans[0]?.resource.attributes);
        assert.equal(resource["service.name"]?.stringValue, `${rt.name}-app`, "configuration came from the environment");
        assert.equal(resource["process.runtime.name"]?.stringValue, rt.name);
      }),
  },
  {
    name: "keeps 100 concurrent requests in their own traces",
    run: (rt) =>
      withApp(rt, {}, async (app, collector) => {
        const ids = Array.from({ length: 100 }, (_, i) => String(i));
        const answers = await Promise.all(ids.map(async (id) => ((await (await app.get(`/agent/${id}`)).json()) as { id: string; traceparent: string })));
        await (await app.get("/flush")).text();

        const spans = collector.spans();
        assert.equal(spans.length, 700, "seven spans per request, nothing lost");
        const traces = new Set<string>();
        for (const [i, id] of ids.entries()) {
          const server = assertAgentTree(spans, id);
          assert.equal(server.parentSpanId ?? "", "", "no traceparent sent: a new trace");
          assert.equal(answers[i]?.traceparent.split("-")[1], server.traceId, `request ${id} saw its own trace inside the handler`);
          traces.add(server.traceId);
        }
        assert.equal(traces.size, 100);
      }),
  },
  {
    name: "keeps a streamed response's SERVER span open until the last chunk has been sent",
    run: (rt) =>
      withApp(rt, {}, async (app, collector) => {
        const text = await (await app.get("/stream/1")).text();
        assert.equal(text, "chunk 0\nchunk 1\nchunk 2\n");
        await (await app.get("/flush")).text();

        const spans = collector.spans();
        const server = serverSpan(spans, "/stream/1");
        const returned = byName(spans, "handler returns 1");
        const last = byName(spans, "last chunk 1");
        assert.equal(last.parentSpanId, server.spanId);
        assert.equal(returned.parentSpanId, server.spanId);
        assert.ok(nanos(returned.endTimeUnixNano) <= nanos(last.startTimeUnixNano), "the handler returned before the body was produced");
        assert.ok(nanos(server.endTimeUnixNano) >= nanos(last.endTimeUnixNano), "the SERVER span ended after the last chunk");
        assert.equal(attrs(server.attributes)["spanwise.cancelled"], undefined);
      }),
  },
  {
    name: "ends the SERVER span of an endless stream when the client goes away",
    run: (rt) =>
      withApp(rt, {}, async (app, collector) => {
        const abort = new AbortController();
        const res = await app.get("/endless/2", { signal: abort.signal });
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        abort.abort();
        await reader.read().catch(() => undefined);
        await until("the cancelled SERVER span", async () => {
          await (await app.get("/flush")).text();
          return collector.spans().some((s) => s.kind === SERVER && attrs(s.attributes)["url.path"]?.stringValue === "/endless/2");
        });
        const cancelled = attrs(serverSpan(collector.spans(), "/endless/2").attributes)["spanwise.cancelled"]?.boolValue;
        if (rt.reportsCancel) assert.equal(cancelled, true);
      }),
  },
  {
    name: "records a handler's error on its SERVER span and leaves the response to the runtime",
    run: (rt) =>
      withApp(rt, {}, async (app, collector) => {
        const res = await app.get("/fail");
        await res.text();
        assert.equal(res.status, 500);
        await (await app.get("/flush")).text();

        const spans = collector.spans();
        const server = serverSpan(spans, "/fail");
        assert.equal(server.status.code, STATUS_ERROR);
        const event = server.events?.find((e) => e.name === "exception");
        assert.equal(attrs(event?.attributes)["exception.message"]?.stringValue, "boom");
        assert.equal(byName(spans, "failing step").parentSpanId, server.spanId);
      }),
  },
  {
    name: "flushes every span when the server shuts down and the process ends on its own",
    run: (rt) =>
      withApp(rt, {}, async (app, collector) => {
        await (await app.get("/agent/3")).text();
        await (await app.get("/shutdown")).text();
        assert.deepEqual(await app.proc.exited, { code: 0, signal: null }, app.proc.stderr());
        const spans = collector.spans();
        assertAgentTree(spans, "3");
        serverSpan(spans, "/shutdown");
      }),
  },
  {
    name: "flushes every span when a script ends on its own",
    run: async (rt) => {
      const collector = await startCollector();
      try {
        const script = rt.spawn(rt.script, { SPANWISE_ENDPOINT: collector.url });
        let out = "";
        script.onStdout((text) => (out += text));
        assert.deepEqual(await script.exited, { code: 0, signal: null }, script.stderr());
        assert.match(out, /exported before the end: 0\b/, "the batch timer did not hold the program open");
        const spans = collector.spans();
        assert.deepEqual(spans.map((s) => s.name).sort(), ["child-1", "child-2", "root"]);
        const root = byName(spans, "root");
        assert.equal(byName(spans, "child-1").parentSpanId, root.spanId);
        assert.equal(byName(spans, "child-2").parentSpanId, root.spanId);
      } finally {
        await collector.close();
      }
    },
  },
  ...(["SIGTERM", "SIGINT"] as const).map(
    (signal): Scenario => ({
      name: `flushes every span on ${signal} and then dies by the signal`,
      run: (rt) =>
        withApp(rt, {}, async (app, collector) => {
          await (await app.get("/agent/4")).text();
          assert.equal(collector.spans().length, 0, "nothing exported before the signal");
          process.kill(app.proc.pid, signal);
          assert.deepEqual(await app.proc.exited, { code: null, signal }, app.proc.stderr());
          assertAgentTree(collector.spans(), "4");
        }),
    }),
  ),
  {
    name: "leaves the app's own SIGTERM handler in charge of the exit code",
    run: (rt) =>
      withApp(rt, { HANDLER: "exit7" }, async (app, collector) => {
        await (await app.get("/agent/5")).text();
        process.kill(app.proc.pid, "SIGTERM");
        assert.deepEqual(await app.proc.exited, { code: 7, signal: null }, app.proc.stderr());
        assertAgentTree(collector.spans(), "5");
      }),
  },
  {
    name: "does not kill an app whose own SIGTERM handler shuts the server down gracefully",
    run: (rt) =>
      withApp(rt, { HANDLER: "graceful" }, async (app, collector) => {
        let out = "";
        app.proc.onStdout((text) => (out += text));
        await (await app.get("/agent/6")).text();
        process.kill(app.proc.pid, "SIGTERM");
        assert.deepEqual(await app.proc.exited, { code: 0, signal: null }, app.proc.stderr());
        assert.match(out, /SIGTERM handled 1 time\(s\)/, "spanwise did not send the signal again");
        assertAgentTree(collector.spans(), "6");
      }),
  },
];
