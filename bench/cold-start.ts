/**
 * Worker cold start: what loading each bundled Worker costs workerd. Code inside a Worker cannot
 * time itself (workerd's clocks stand still while JavaScript runs), so this times from outside:
 * Miniflare starts workerd with COPIES copies of a Worker, and `ready` resolves once workerd has
 * compiled and evaluated every module. The difference to the same number of copies of an empty
 * Worker, divided by COPIES, is the per-isolate cost of parsing, compiling and evaluating the
 * bundle (median over alternating runs).
 *
 * @module
 */
import { Miniflare } from "miniflare";
import { median } from "./measure.js";
import type { WorkerBundles } from "./worker-bundle.js";

const COPIES = 10;
const RUNS = 7;

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
  const empty: number[] = [];
  await startupMs(bundles.baseline.code);
  for (let r = 0; r < RUNS; r++) {
    ours.push(await startupMs(bundles.spanwise.code));
    theirs.push(await startupMs(bundles.otel.code));
    empty.push(await startupMs(bundles.baseline.code));
  }
  const base = median(empty);
  return { spanwiseMs: Math.max(0, (median(ours) - base) / COPIES), otelMs: Math.max(0, (median(theirs) - base) / COPIES) };
}
