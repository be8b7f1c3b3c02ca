import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { tracing } from "spanwise/hono";
import { init, instrumentFetch, shutdown } from "spanwise/node";
import { type Collector, type OtlpSpan, attrs, startCollector } from "../helpers/collector.js";
import { type RunningWorker, startWorker } from "../workers/harness.js";

const FIXTURE = fileURLToPath(new URL("./fixture/", import.meta.url));
const CHAIN_WORKER = fileURLToPath(new URL("./fixtures/chain-worker.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NEXT = `${ROOT}node_modules/next/dist/bin/next`;
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Builds the fixture app with `next build` and serves it with `next start` on 127.0.0.1. */
async function startNext(env: Record<string, string>): Promise<{ url: string; stop: () => Promise<void> }> {
  // The fixture imports "spanwise" the way an app does: from node_modules, the package's own build.
  mkdirSync(`${FIXTURE}node_modules`, { recursive: true });
  try {
    symlinkSync("../../../..", `${FIXTURE}node_modules/spanwise`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const quiet = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  await promisify(execFile)(process.execPath, [NEXT, "build"], { cwd: FIXTURE, env: quiet, maxBuffer: 16 * 1024 * 1024 });
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: FIXTURE, env: { ...quiet, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  // Bounded by the hook's timeout.
  while (!/Ready|✓ Ready/.test(output)) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function spansWhen(collector: Collector, done: (spans: OtlpSpan[]) => boolean): Promise<OtlpSpan[]> {
  // Bounded by the test's timeout.
  for (;;) {
    const spans = collector.spans();
    if (done(spans)) return spans;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("spanwise/next in a real next build + next start", () => {
  let collector: Collector;
  let app: { url: string; stop: () => Promise<void> };
  beforeAll(async () => {
    collector = await startCollector();
    app = await startNext({ SPANWISE_ENDPOINT: collector.url });
  }, 300_000);
  afterAll(async () => {
    await app?.stop();
    await collector?.close();
    // Written by next build; left in place, its global types would reach the repository's own typecheck.
    rmSync(`${FIXTURE}next-env.d.ts`, { force: true });
  });

  it("makes middleware and a nodejs route handler one trace that continues the caller's", async () => {
    const res = await fetch(`${app.url}/api/node/42`, { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: string; runtime: string; outgoing: string };
    expect(body).toMatchObject({ id: "42", runtime: "nodejs" });
    const spans = await spansWhen(collector, (s) => s.some((x) => x.name === "GET /api/node/[id]") && s.some((x) => x.name === "middleware GET" && x.traceId === CALLER_TRACE));
    const middleware = spans.find((s) => s.name === "middleware GET" && s.traceId === CALLER_TRACE)!;
    const handler = spans.find((s) => s.name === "GET /api/node/[id]")!;
    expect(middleware).toMatchObject({ kind: 2, parentSpanId: CALLER_SPAN });
    expect(handler).toMatchObject({ kind: 2, traceId: CALLER_TRACE, parentSpanId: middleware.spanId });
    const load = spans.find((s) => s.name === "load")!;
    expect(load).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: handler.spanId });
    expect(body.outgoing).toBe(`00-${CALLER_TRACE}-${load.spanId}-01`);
    expect(handler.attributes.find((a) => a.key === "http.route")?.value.stringValue).toBe("/api/node/[id]");
  });

  it("does the same on the edge runtime, for a new trace and through a rewrite", async () => {
    const direct = (await (await fetch(`${app.url}/api/edge`)).json()) as { runtime: string; outgoing: string };
    expect(direct.runtime).toBe("edge");
    const traceId = direct.outgoing.split("-")[1]!;
    const spans = await spansWhen(collector, (s) => s.some((x) => x.traceId === traceId && x.name === "GET /api/edge") && s.some((x) => x.traceId === traceId && x.name === "middleware GET"));
    const middleware = spans.find((s) => s.traceId === traceId && s.name === "middleware GET")!;
    const handler = spans.find((s) => s.traceId === traceId && s.name === "GET /api/edge")!;
    expect(middleware.parentSpanId ?? "").toBe("");
    expect(handler.parentSpanId).toBe(middleware.spanId);
    expect(direct.outgoing).toBe(`00-${traceId}-${handler.spanId}-01`);

    const rewritten = (await (await fetch(`${app.url}/api/rewritten`)).json()) as { outgoing: string };
    const second = rewritten.outgoing.split("-")[1]!;
    const again = await spansWhen(collector, (s) => s.some((x) => x.traceId === second && x.name === "GET /api/edge"));
    const trace = again.filter((s) => s.traceId === second);
    const ids = new Set(trace.map((s) => s.spanId));
    // Next runs the middleware again for the rewritten path; every span still hangs off the first.
    const roots = trace.filter((s) => s.parentSpanId === undefined || s.parentSpanId === "");
    expect(roots.map((s) => [s.name, s.attributes.find((a) => a.key === "url.path")?.value.stringValue])).toEqual([["middleware GET", "/api/rewritten"]]);
    for (const s of trace) if (s !== roots[0]) expect(ids.has(s.parentSpanId!)).toBe(true);
    const parent = trace.find((s) => s.spanId === trace.find((x) => x.name === "GET /api/edge")!.parentSpanId);
    expect(parent?.name).toBe("middleware GET");
  });

  it("records a route handler's error and answers as Next does", async () => {
    expect((await fetch(`${app.url}/api/fail`)).status).toBe(500);
    const spans = await spansWhen(collector, (s) => s.some((x) => x.name === "GET /api/fail"));
    const failed = spans.find((s) => s.name === "GET /api/fail")!;
    expect(failed.status.code).toBe(2);
    expect(failed.events?.find((e) => e.name === "exception")?.attributes.find((a) => a.key === "exception.message")?.value.stringValue).toBe("route failed");
    expect(attrs(failed.attributes)["error.type"]?.stringValue).toBe("Error");
  });

  it("records notFound() and redirect() as the status Next answers with, not as errors", async () => {
    expect((await fetch(`${app.url}/api/missing`)).status).toBe(404);
    const moved = await fetch(`${app.url}/api/moved`, { redirect: "manual" });
    expect([moved.status, moved.headers.get("location")]).toEqual([307, "/api/node/1"]);
    const spans = await spansWhen(collector, (s) => s.some((x) => x.name === "GET /api/missing") && s.some((x) => x.name === "GET /api/moved"));
    for (const [name, status] of [["GET /api/missing", "404"], ["GET /api/moved", "307"]]) {
      const s = spans.find((x) => x.name === name)!;
      expect([name, s.status.code ?? 0, s.events ?? [], attrs(s.attributes)["http.response.status_code"]?.intValue]).toEqual([name, 0, [], status]);
    }
  });

  it("ends the span of a HEAD request, whose body is never read", async () => {
    const res = await fetch(`${app.url}/api/node/5`, { method: "HEAD" });
    expect(res.status).toBe(200);
    const spans = await spansWhen(collector, (s) => s.some((x) => x.name === "HEAD /api/node/[id]"));
    expect(attrs(spans.find((x) => x.name === "HEAD /api/node/[id]")!.attributes)["http.response.status_code"]?.intValue).toBe("200");
  });

  it("keeps the span of a streamed NextResponse open until its last event has been sent", async () => {
    expect(await (await fetch(`${app.url}/api/stream`)).text()).toBe("data: first\n\ndata: last\n\n");
    const spans = await spansWhen(collector, (s) => s.some((x) => x.name === "GET /api/stream"));
    const streamed = spans.find((x) => x.name === "GET /api/stream")!;
    const ms = Number((BigInt(streamed.endTimeUnixNano) - BigInt(streamed.startTimeUnixNano)) / 1_000_000n);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(attrs(streamed.attributes)["spanwise.stream.chunks"]?.intValue).toBe("2");
  });

  it("makes an async edge middleware the route handler's parent", async () => {
    const body = (await (await fetch(`${app.url}/api/edge?async=1`)).json()) as { outgoing: string };
    const traceId = body.outgoing.split("-")[1]!;
    const spans = await spansWhen(collector, (s) => s.some((x) => x.traceId === traceId && x.name === "middleware GET") && s.some((x) => x.traceId === traceId && x.name === "GET /api/edge"));
    const middleware = spans.find((s) => s.traceId === traceId && s.name === "middleware GET")!;
    expect(spans.find((s) => s.traceId === traceId && s.name === "GET /api/edge")!.parentSpanId).toBe(middleware.spanId);
  });

  it("carries one trace through Hono on Node, a Worker in workerd and a Next route handler", async () => {
    const plainFetch = globalThis.fetch;
    let worker: RunningWorker | undefined;
    let hono: ServerType | undefined;
    let restore = (): void => {};
    try {
      worker = await startWorker({ fixture: CHAIN_WORKER, durableObjects: false, endpoint: collector.url, bindings: { NEXT_URL: app.url } });
      const workerUrl = worker.url.origin;
      init({ serviceName: "chain-hono", endpoint: collector.url, scheduleDelayMs: 50 });
      restore = instrumentFetch({ propagateTo: [workerUrl] });
      const honoApp = new Hono();
      honoApp.use(tracing());
      honoApp.get("/chain/:step", async (c) => c.json(await (await fetch(`${workerUrl}/hop`)).json()));
      hono = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: honoApp.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      });
      const res = await plainFetch(`http://127.0.0.1:${(hono.address() as AddressInfo).port}/chain/1`);
      const body = (await res.json()) as { id: string; outgoing: string };
      expect(body.id).toBe("7");
      const traceId = body.outgoing.split("-")[1]!;
      const names = ["GET /chain/:step", "GET", "middleware GET", "GET /api/node/[id]", "load"];
      const spans = await spansWhen(collector, (s) => {
        const t = s.filter((x) => x.traceId === traceId);
        return t.length >= 7 && names.every((n) => t.some((x) => x.name === n));
      });
      const trace = spans.filter((s) => s.traceId === traceId);
      const byId = new Map(trace.map((s) => [s.spanId, s]));
      const parentOf = (s: OtlpSpan): OtlpSpan | undefined => byId.get(s.parentSpanId ?? "");
      // Walk up from the Next handler's innermost span to the root: every link is in this trace.
      const chain: string[] = [];
      for (let s: OtlpSpan | undefined = trace.find((x) => x.name === "load"); s !== undefined; s = parentOf(s)) {
        chain.push(`${s.name}:${s.kind}`);
        if (parentOf(s) === undefined) expect(s.parentSpanId ?? "").toBe("");
      }
      // load ← Next handler ← middleware ← Worker's fetch to Next ← Worker root ← Hono's fetch to the Worker ← Hono route.
      expect(chain).toEqual(["load:1", "GET /api/node/[id]:2", "middleware GET:2", "GET:3", "GET:2", "GET:3", "GET /chain/:step:2"]);
    } finally {
      restore();
      await shutdown();
      await new Promise<void>((resolve) => (hono ? hono.close(() => resolve()) : resolve()));
      await worker?.close();
    }
  });
});
