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
 * nothing in workerd); where workerd's CPU cannot be read, it is all there is. Neither counts the
 * first request, where handlers compile and spanwise sets itself up from `env`. The spanwise
 * bundle is also measured never run (see `unrun`): what its size alone costs, the floor under its
 * cold start. It runs in a process of its own (`coldStartApart`): Miniflare's share of the time
 * grows with the heap the other rows leave behind.
 *
 * @module
 */
import { Miniflare } from "miniflare";
import { isMain, runApart } from "./apart.js";
import { median } from "./measure.js";
import { workerdCpuMs } from "./workerd-cpu.js";
import { type WorkerBundles, workerBundles } from "./worker-bundle.js";

const COPIES = 10;
const RUNS = 15;

/** One start of COPIES copies of a Worker: the time until `ready` and workerd's CPU time by then. */
interface Startup {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

async function startup(code: string): Promise<Startup> {
  const started = performance.now();
  const mf = new Miniflare({
    workers: Array.from({ length: COPIES }, (_, i) => ({
      name: `w${i}`,
      modulesRoot: "/",
      modules: [{ type: "ESModule" as const, path: `/w${i}.mjs`, contents: code }],
      compatibilityDate: "2025-04-01",
      compatibilityFlags: ["nodejs_als"],
      bindings: { OTLP_ENDPOINT: "http://127.0.0.1:9/v1/traces" },
    })),
  });
  await mf.ready;
  const wallMs = performance.now() - started;
  const cpuMs = workerdCpuMs();
  await mf.dispose();
  return { wallMs, cpuMs };
}

/** Milliseconds per isolate for each Worker, over an empty Worker. */
export interface Cost {
  readonly spanwiseMs: number;
  readonly otelMs: number;
  /** The spanwise bundle's code never run (`unrun`): the cost of its bytes alone. */
  readonly unrunMs: number;
}

/** The cold start of the spanwise and OpenTelemetry Workers, and of spanwise's code never run. */
export interface ColdStart {
  /** workerd's CPU time for compiling and evaluating the module; `undefined` where it could not be read (see workerdCpuMs). */
  readonly cpu: Cost | undefined;
  /** The time until Miniflare's `ready`: workerd's work and Miniflare's own in Node. */
  readonly wall: Cost;
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
 * Measures the spanwise and OpenTelemetry Workers, and spanwise's never run, against the empty one in workerd.
 *
 * @example
 * const { cpu, wall } = await coldStart(await workerBundles());
 */
export async function coldStart(bundles: WorkerBundles): Promise<ColdStart> {
  const codes = [bundles.baseline.code, bundles.spanwise.code, bundles.otel.code, unrun(bundles.spanwise.code, bundles.baseline.code)];
  const wall: number[][] = [[], [], []];
  const cpu: number[][] = [[], [], []];
  await startup(bundles.baseline.code);
  for (let r = 0; r < RUNS; r++) {
    // Each run's empty Worker is its baseline: the machine's state drifts between runs by more
    // than the difference being measured, so differences are taken within a run, in rotating order.
    const took: Startup[] = [];
    for (let k = 0; k < codes.length; k++) {
      const i = (k + r) % codes.length;
      took[i] = await startup(codes[i] as string);
    }
    const empty = took[0] as Startup;
    for (let i = 1; i < codes.length; i++) {
      const one = took[i] as Startup;
      (wall[i - 1] as number[]).push((one.wallMs - empty.wallMs) / COPIES);
      // A start without a reading (see workerdCpuMs) leaves that run out of the CPU figure only.
      if (one.cpuMs !== undefined && empty.cpuMs !== undefined) (cpu[i - 1] as number[]).push((one.cpuMs - empty.cpuMs) / COPIES);
    }
  }
  const cost = (over: number[][]): Cost => {
    const [spanwiseMs, otelMs, unrunMs] = over.map((d) => Math.max(0, median(d))) as [number, number, number];
    return { spanwiseMs, otelMs, unrunMs };
  };
  const readings = Math.min(...cpu.map((d) => d.length));
  if (readings < RUNS) console.error(`cold start: workerd's CPU time was read in ${readings} of ${RUNS} runs${readings === 0 ? "; the row falls back to the time until ready" : ""}`);
  return { cpu: readings > 0 ? cost(cpu) : undefined, wall: cost(wall) };
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
