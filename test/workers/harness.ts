import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundleWorker } from "../helpers/bundle-worker.js";
import { type Collector, type OtlpSpan, type ReceivedRequest, type Reply, startCollector } from "../helpers/collector.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const bundles = new Map<string, Promise<string>>();

/** A Worker entry (a fixture's file name, or an absolute path), bundled once per test file. */
function bundled(file: string): Promise<string> {
  let code = bundles.get(file);
  if (code === undefined) {
    code = bundleWorker(file.startsWith("/") ? file : `${FIXTURES}${file}`);
    bundles.set(file, code);
  }
  return code;
}

/**
 * A Node server the Worker calls: /gate answers only once released, /sized-sse is an event stream
 * with a Content-Length, /big-sse 50 events of `bigEvent` without one, anything else (/echo)
 * returns what it got.
 */
export interface Helper {
  readonly url: string;
  /** Headers of every request, in arrival order. */
  readonly requests: { path: string; traceparent: string | undefined }[];
  /** Lets every /gate request (waiting or later) through. */
  release(): void;
  /** Resolves once a /gate request is waiting. */
  gateReached(): Promise<void>;
  close(): Promise<void>;
}

/** The i-th event of /big-sse: ~2 KB each. */
export const bigEvent = (i: number): string => `data: ${String(i).padStart(4, "0").repeat(500)}\n\n`;

async function startHelper(): Promise<Helper> {
  const requests: Helper["requests"] = [];
  const held: ServerResponse[] = [];
  let released = false;
  let reached: () => void = () => {};
  const reachedOnce = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://helper");
    const traceparent = typeof req.headers.traceparent === "string" ? req.headers.traceparent : undefined;
    requests.push({ path: url.pathname, traceparent });
    if (url.pathname === "/gate") {
      if (released) res.end("open");
      else held.push(res);
      reached();
      return;
    }
    if (url.pathname === "/big-sse") {
      // ~100 KB of events without a length, written in pieces: a body the Worker's spans follow.
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < 50; i++) res.write(bigEvent(i));
      res.end();
      return;
    }
    if (url.pathname === "/sized-sse") {
      res.writeHead(200, { "content-type": "text/event-stream", "content-length": "13" });
      res.end("data: sized\n\n");
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ traceparent: traceparent ?? null, i: url.searchParams.get("i") }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    release() {
      released = true;
      for (const res of held.splice(0)) res.end("open");
    },
    gateReached: () => reachedOnce,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Options of `startWorker`. */
export interface StartWorkerOptions {
  /** Compatibility flags. Default: nodejs_als. */
  flags?: string[];
  /** The OTLP endpoint binding; default: the test's collector. */
  endpoint?: string;
  /** More bindings: a string is a text binding, anything else a JSON one (wrangler's non-string `[vars]`). */
  bindings?: Record<string, string | number | boolean | object>;
  /** Fixture file name, or an absolute path to another Worker. Default worker.ts. */
  fixture?: string;
  /** Bind the fixtures' COUNTER Durable Object. Default true. */
  durableObjects?: boolean;
  /** Keep the Worker's console output out of the test log (`output()` has it). Default false. */
  quiet?: boolean;
  /** How the collector answers. Default: 200. */
  reply?: (index: number, request: ReceivedRequest) => Reply;
}

/** A running fixture Worker in workerd, with the servers around it. */
export interface RunningWorker {
  readonly mf: Miniflare;
  /** The Worker's URL on 127.0.0.1. */
  readonly url: URL;
  readonly collector: Collector;
  readonly helper: Helper;
  readonly allowed: Helper;
  /** GET a path of the Worker with a real HTTP client. */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** Spanwise's counters and warnings inside the Worker. */
  debug(): Promise<{ optionsCalls: number; warnings: string[]; stats: { enabled: boolean; started: number; exported: number; exportErrors: number; ended: number; dropped: Record<string, number>; lastError?: string; internalErrors: number } }>;
  /** What the Worker wrote to its console so far, when started `quiet`. */
  output(): string;
  /** Resolves with the collector's spans once `done(spans)` holds. */
  spansWhen(done: (spans: OtlpSpan[]) => boolean): Promise<OtlpSpan[]>;
  close(): Promise<void>;
}

/**
 * Runs the fixture Worker in workerd (Miniflare), exporting to an OTLP receiver on 127.0.0.1.
 *
 * @example
 * const w = await startWorker();
 * await w.get("/basic");
 */
export async function startWorker(options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const [collector, helper, allowed, code] = await Promise.all([startCollector(options.reply), startHelper(), startHelper(), bundled(options.fixture ?? "worker.ts")]);
  const output: string[] = [];
  const mf = new Miniflare({
    modulesRoot: FIXTURES,
    modules: [{ type: "ESModule", path: `${FIXTURES}bundle.mjs`, contents: code }],
    compatibilityDate: "2025-04-01",
    compatibilityFlags: options.flags ?? ["nodejs_als"],
    bindings: {
      SPANWISE_ENDPOINT: options.endpoint ?? collector.url,
      SPANWISE_SERVICE_NAME: "workers-suite",
      HELPER_URL: helper.url,
      ALLOWED_URL: allowed.url,
      ...options.bindings,
    },
    ...(options.durableObjects === false ? {} : { durableObjects: { COUNTER: "Counter" } }),
    ...(options.quiet ? { handleRuntimeStdio: (out: NodeJS.ReadableStream, err: NodeJS.ReadableStream) => void [out, err].forEach((s) => s.on("data", (chunk: Buffer | string) => void output.push(String(chunk)))) } : {}),
  });
  const url = await mf.ready;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, url), init);
  let closed = false;
  return {
    mf,
    url,
    output: () => output.join(""),
    collector,
    helper,
    allowed,
    get,
    debug: async () => (await (await get("/debug")).json()) as Awaited<ReturnType<RunningWorker["debug"]>>,
    async spansWhen(done) {
      // Bounded by the test's own timeout; stops when the Worker is closed.
      while (!closed) {
        const spans = collector.spans();
        if (done(spans)) return spans;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("the Worker was closed before the spans arrived");
    },
    async close() {
      closed = true;
      await mf.dispose();
      await Promise.all([collector.close(), helper.close(), allowed.close()]);
    },
  };
}

/** The string value of a span attribute. */
export function attr(span: OtlpSpan | undefined, key: string): string | number | boolean | undefined {
  const v = span?.attributes.find((a) => a.key === key)?.value;
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  return undefined;
}

/** Span duration in ms. */
export function durationMs(span: OtlpSpan): number {
  return Number((BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1000n) / 1000;
}
