/**
 * Worker cold start: what loading each bundled Worker costs workerd. Code inside a Worker cannot
 * time itself (workerd's clocks stand still while JavaScript runs), so this times from outside:
 * Miniflare starts workerd with COPIES copies of a Worker, and `ready` resolves once workerd has
 * compiled and evaluated every module. The difference to the same number of copies of an empty
 * Worker started in the same run, divided by COPIES, is the per-isolate cost of parsing,
 * compiling and evaluating the bundle (median over the runs).
 *
 * @module
 */
import { Miniflare } from "miniflare";
import { median } from "./measure.js";
import type { WorkerBundles } from "./worker-bundle.js";

const COPIES = 10;
const RUNS = 15;

async function startupMs(code: string): Promise<number> {
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
  const took = performance.now() - started;
  await mf.dispose();
  return took;
}

/** Milliseconds of module compile + evaluation per Worker, over an empty Worker. */
export interface ColdStart {
  readonly spanwiseMs: number;
  readonly otelMs: number;
}

/**
 * Measures the spanwise and OpenTelemetry Workers against the empty one in workerd.
 *
 * @example
 * const { spanwiseMs, otelMs } = await coldStart(await workerBundles());
 */
export async function coldStart(bundles: WorkerBundles): Promise<ColdStart> {
  const ours: number[] = [];
  const theirs: number[] = [];
  await startupMs(bundles.baseline.code);
  for (let r = 0; r < RUNS; r++) {
    // Each run's empty Worker is its baseline: the machine's state drifts between runs by more
    // than the difference being measured, so differences are taken within a run, in rotating order.
    const order = [0, 1, 2].map((i) => (i + r) % 3);
    const took: number[] = [];
    for (const i of order) took[i] = await startupMs([bundles.baseline, bundles.spanwise, bundles.otel][i]!.code);
    ours.push(((took[1] as number) - (took[0] as number)) / COPIES);
    theirs.push(((took[2] as number) - (took[0] as number)) / COPIES);
  }
  return { spanwiseMs: Math.max(0, median(ours)), otelMs: Math.max(0, median(theirs)) };
}
