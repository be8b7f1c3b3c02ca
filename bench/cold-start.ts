/**
 * Worker cold start: what loading each bundled Worker costs workerd. Code inside a Worker cannot
 * time itself (workerd's clocks stand still while JavaScript runs), so this measures from outside:
 * Miniflare starts workerd with COPIES copies of a Worker, and `ready` resolves once workerd has
 * compiled and evaluated every module. What workerd's threads have used of the CPU by then
 * (`workerdCpuMs`, from Linux's scheduler accounting), less the same for as many copies of an
 * empty Worker started in the same run, divided by COPIES, is the per-isolate cost of parsing,
 * compiling and evaluating the bundle (median over the runs). The time until `ready` is reported
 * too, but it also holds Miniflare's own work in Node, which grows with the bytes of the code it
 * hands workerd (in a probe, 75 KB of comment cost about as much there as the 75 KB bundle, and
 * nothing in workerd); where workerd's CPU cannot be read, it is all there is. The spanwise bundle
 * is also measured never run (see `unrun`): what its size alone costs, the floor under its cold
 * start. An isolate's first request is where its handlers compile and spanwise sets itself up from
 * `env`, so each start of the traced Workers is followed by a first and a second request to every
 * copy: workerd's CPU until every copy has answered and its export has reached a loopback
 * collector (and 20 ms more), less the same for requests to the empty Worker. It runs in a process
 * of its own (`coldStartApart`): Miniflare's share of the time grows with the heap the other rows
 * leave behind.
 *
 * @module
 */
import { Miniflare } from "miniflare";
import { type Collector, startCollector } from "../test/helpers/collector.js";
import { isMain, runApart } from "./apart.js";
import { median } from "./measure.js";
import { workerdCpuMs } from "./workerd-cpu.js";
import { type WorkerBundles, workerBundles } from "./worker-bundle.js";

/** Copies of each Worker per start. */
export const COPIES = 10;
const RUNS = 15;

/**
 * One start of COPIES copies of a Worker: the time until `ready`, and workerd's CPU time at
 * `ready` and, when asked for, after a first and then a second request to every copy.
 */
interface Startup {
  readonly wallMs: number;
  /** Readings of workerdCpuMs: at `ready`, then after each round of requests. */
  readonly cpu: readonly (number | undefined)[];
}

/** How a start is followed: no requests, requests, or requests whose export must reach `collector`. */
type Follow = "none" | "requests" | Collector;

async function startup(code: string, endpoint: string, follow: Follow = "none"): Promise<Startup> {
  const started = performance.now();
  const mf = new Miniflare({
    workers: Array.from({ length: COPIES }, (_, i) => ({
      name: `w${i}`,
      modulesRoot: "/",
      modules: [{ type: "ESModule" as const, path: `/w${i}.mjs`, contents: code }],
      compatibilityDate: "2025-04-01",
      compatibilityFlags: ["nodejs_als"],
      // Each copy exports to its own URL, so each copy's export is counted (see requestEach).
      bindings: { OTLP_ENDPOINT: `${endpoint}?copy=${i}` },
    })),
  });
  try {
    await mf.ready;
    const wallMs = performance.now() - started;
    const cpu = [workerdCpuMs()];
    if (follow === "none") return { wallMs, cpu };
    // workerd does nothing after `ready` on its own (probes read the same CPU 300 and 600 ms
    // later), so the first request is measured from here.
    cpu.push(await requestEach(mf, follow, "first"));
    cpu.push(await requestEach(mf, follow, "second"));
    return { wallMs, cpu };
  } finally {
    await mf.dispose();
  }
}

/**
 * Sends one request to every copy, each checked for its answer, and for a traced Worker waits
 * until each copy's export has reached the collector (the export runs in `waitUntil` after the
 * response, and its CPU is the request's too); returns workerd's CPU time then. Throws when a
 * request fails or answers otherwise, or when the round takes over 10 s, or when a copy exports
 * other than once: the figures would then not be of one traced request per copy.
 */
async function requestEach(mf: Miniflare, follow: Exclude<Follow, "none">, round: string): Promise<number | undefined> {
  const exported = follow === "requests" ? undefined : follow;
  const before = exported?.requests.length ?? 0;
  const deadline = Date.now() + 10_000;
  const within = async <T>(work: Promise<T>, what: string | (() => string)): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cold start: ${typeof what === "string" ? what : what()} did not finish within 10 s of the ${round} round`)), Math.max(0, deadline - Date.now()));
    });
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  };
  for (let i = 0; i < COPIES; i++) {
    // Miniflare types a Worker's fetcher with @cloudflare/workers-types' Fetcher, which is not
    // installed here; `fetch` is there at run time.
    const worker = (await mf.getWorker(`w${i}`)) as unknown as { fetch(url: string): Promise<{ status: number; text(): Promise<string> }> };
    const res = await within(worker.fetch("http://localhost/"), `w${i}'s ${round} request`);
    const body = await within(res.text(), `w${i}'s ${round} answer`);
    if (res.status !== 200 || body !== "ok") throw new Error(`cold start: w${i} answered its ${round} request with ${res.status} ${JSON.stringify(body.slice(0, 80))}`);
  }
  if (exported !== undefined) {
    const missing = (): number[] => {
      const seen = new Set(exported.requests.slice(before).map((r) => r.url));
      return Array.from({ length: COPIES }, (_, i) => i).filter((i) => !seen.has(`/v1/traces?copy=${i}`));
    };
    await within(exported.waitForRequests(before + COPIES), () => `the exports of ${missing().map((i) => `w${i}`).join(", ")}`);
    if (missing().length > 0) throw new Error(`cold start: no ${round} export from ${missing().map((i) => `w${i}`).join(", ")} (another copy exported more than once)`);
  }
  // What the isolates do after the collector has the body (reading its answer) is theirs too.
  await new Promise((resolve) => setTimeout(resolve, 20));
  if (exported !== undefined && exported.requests.length !== before + COPIES) {
    throw new Error(`cold start: ${exported.requests.length - before} exports for ${COPIES} ${round} requests`);
  }
  return workerdCpuMs();
}

/** Milliseconds per isolate for each Worker, over an empty Worker. */
export interface Cost {
  readonly spanwiseMs: number;
  readonly otelMs: number;
  /** The spanwise bundle's code never run (`unrun`): the cost of its bytes alone. */
  readonly unrunMs: number;
}

/** Milliseconds of workerd's CPU per request for each traced Worker, over an empty Worker's request. */
export interface RequestCost {
  readonly spanwiseMs: number;
  readonly otelMs: number;
}

/** The cold start of the spanwise and OpenTelemetry Workers, and of spanwise's code never run. */
export interface ColdStart {
  /** workerd's CPU time for compiling and evaluating the module; `undefined` where it could not be read (see workerdCpuMs). */
  readonly cpu: Cost | undefined;
  /** The time until Miniflare's `ready`: workerd's work and Miniflare's own in Node. */
  readonly wall: Cost;
  /**
   * workerd's CPU time for each copy's first request after the start, its export to a loopback
   * collector included (the first request of an isolate compiles the code it runs, and spanwise
   * sets itself up from `env` there); `undefined` where workerd's CPU cannot be read.
   */
  readonly firstRequest: RequestCost | undefined;
  /** The same for the second request to each copy. */
  readonly secondRequest: RequestCost | undefined;
  /** The exports the collector received: one per copy and request of each traced Worker. */
  readonly exports: number;
}

/**
 * A Worker made of `bundle`'s code that never runs it: the module's body inside a function
 * nothing calls, then `empty` (an empty Worker's bundle) as the module that loads. workerd still
 * reads the bytes and V8 scans and pre-parses them, which is what a bundle's size costs at
 * startup whatever its code does; compiling and running the module's startup path are left out.
 * Throws when `bundle` is not one self-contained ES module ending in its default export.
 *
 * @example
 * const code = unrun(bundles.spanwise.code, bundles.baseline.code);
 */
export function unrun(bundle: string, empty: string): string {
  const at = bundle.lastIndexOf("export{");
  if (at < 0 || !/^export\{[\w$]+ as default\};?\s*$/.test(bundle.slice(at))) throw new Error("unrun: expected a bundle ending in `export{x as default}`");
  const body = bundle.slice(0, at);
  try {
    // Compiled, never called: the body must be valid inside a (strict, like a module) function,
    // which rules out imports, other exports and top-level await.
    new Function(`"use strict";${body}`);
  } catch (err) {
    throw new Error(`unrun: the bundle's body does not fit in a function (imports, other exports or top-level await?): ${(err as Error).message}`);
  }
  return `function unused(){${body}}\n${empty}`;
}

/**
 * Measures the spanwise and OpenTelemetry Workers, and spanwise's never run, against the empty one in workerd:
 * their start, and a first and a second request to each copy of the traced ones.
 *
 * @param bundles - the Workers' bundles
 * @param runs - how many runs to take the medians of
 * @returns CPU and wall figures per isolate
 *
 * @example
 * const { cpu, wall, firstRequest, secondRequest } = await coldStart(await workerBundles());
 */
export async function coldStart(bundles: WorkerBundles, runs = RUNS): Promise<ColdStart> {
  const codes = [bundles.baseline.code, bundles.spanwise.code, bundles.otel.code, unrun(bundles.spanwise.code, bundles.baseline.code)];
  const collector = await startCollector();
  // The empty Worker takes requests too (its own are subtracted); the code never run serves none.
  const follow: Follow[] = ["requests", collector, collector, "none"];
  const wall: number[][] = [[], [], []];
  const cpu: number[][] = [[], [], []];
  const first: number[][] = [[], []];
  const second: number[][] = [[], []];
  const minus = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a - b);
  // workerd's CPU in phase k (0: the start, 1 and 2: the rounds of requests), per copy, over the empty Worker's.
  const spent = (one: Startup, k: number): number | undefined => (k === 0 ? one.cpu[0] : minus(one.cpu[k], one.cpu[k - 1]));
  const perCopy = (one: Startup, empty: Startup, k: number): number | undefined => {
    const over = minus(spent(one, k), spent(empty, k));
    return over === undefined ? undefined : over / COPIES;
  };
  try {
    await startup(bundles.baseline.code, collector.url);
    for (let r = 0; r < runs; r++) {
      // Each run's empty Worker is its baseline: the machine's state drifts between runs by more
      // than the difference being measured, so differences are taken within a run, in rotating order.
      const took: Startup[] = [];
      for (let k = 0; k < codes.length; k++) {
        const i = (k + r) % codes.length;
        took[i] = await startup(codes[i] as string, collector.url, follow[i]);
      }
      const empty = took[0] as Startup;
      for (let i = 1; i < codes.length; i++) {
        const one = took[i] as Startup;
        (wall[i - 1] as number[]).push((one.wallMs - empty.wallMs) / COPIES);
        // A start without a reading (see workerdCpuMs) leaves that run out of the CPU figures only.
        const started = perCopy(one, empty, 0);
        if (started !== undefined) (cpu[i - 1] as number[]).push(started);
        if (i > 2) continue;
        const once = perCopy(one, empty, 1);
        const twice = perCopy(one, empty, 2);
        if (once !== undefined) (first[i - 1] as number[]).push(once);
        if (twice !== undefined) (second[i - 1] as number[]).push(twice);
      }
    }
  } finally {
    await collector.close();
  }
  const exports = collector.requests.length;
  const med = (d: number[]): number => Math.max(0, median(d));
  const cost = (over: number[][]): Cost => {
    const [spanwiseMs, otelMs, unrunMs] = over.map(med) as [number, number, number];
    return { spanwiseMs, otelMs, unrunMs };
  };
  // Not clamped at 0: a traced Worker's request costing less than an empty one's would mean the
  // measurement is broken, and should show.
  const requestCost = (over: number[][]): RequestCost | undefined => (over.some((d) => d.length === 0) ? undefined : { spanwiseMs: median(over[0] as number[]), otelMs: median(over[1] as number[]) });
  const readings = Math.min(...cpu.map((d) => d.length));
  if (readings < runs) console.error(`cold start: workerd's CPU time was read in ${readings} of ${runs} runs${readings === 0 ? "; the row falls back to the time until ready" : ""}`);
  const requestReadings = Math.min(...[...first, ...second].map((d) => d.length));
  if (requestReadings < runs) console.error(`cold start: workerd's CPU time around the requests was read in ${requestReadings} of ${runs} runs${requestReadings === 0 ? "; the request rows are left out" : ""}`);
  return { cpu: readings > 0 ? cost(cpu) : undefined, wall: cost(wall), firstRequest: requestCost(first), secondRequest: requestCost(second), exports };
}

/**
 * `coldStart` in a process of its own, on bundles it builds there.
 *
 * @example
 * const { cpu, wall } = await coldStartApart();
 */
export async function coldStartApart(): Promise<ColdStart> {
  return JSON.parse(await runApart(import.meta.url, [])) as ColdStart;
}

// Run as a script by coldStartApart.
if (isMain(import.meta.url)) console.log(JSON.stringify(await coldStart(await workerBundles())));
