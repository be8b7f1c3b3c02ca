import { trace } from "@opentelemetry/api";
import { observe } from "../src/runtimes/node/index.js";
import { median } from "./measure.js";

const CALLS = 2_000_000;
// Results go here so the optimiser cannot drop the calls.
let sink = 0;

function work(x: number): number {
  return (x * 7) ^ 3;
}

function perCall(fn: (x: number) => number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) sink += fn(i);
  return Number(process.hrtime.bigint() - start) / CALLS;
}

/** The same function called directly, through the SDK, and through OpenTelemetry's API. */
export interface DisabledOverhead {
  /** ns per call that `observe` adds before `init()`. */
  readonly spanwiseNs: number;
  /** ns per call that a `startActiveSpan` wrapper adds with no OpenTelemetry SDK registered. */
  readonly otelNs: number;
}

/**
 * The cost of tracing code when tracing is off: a function wrapped with `observe` before
 * `init()` (the same path as `enabled: false`), against OpenTelemetry's API with no SDK
 * registered, each minus the direct call. Must run before anything registers an OpenTelemetry
 * provider or context manager in this process.
 *
 * @example
 * const { spanwiseNs, otelNs } = disabledOverhead();
 */
export function disabledOverhead(): DisabledOverhead {
  const observed = observe(work, { name: "work" });
  const tracer = trace.getTracer("bench");
  const otelWrapped = (x: number): number =>
    tracer.startActiveSpan("work", (s) => {
      try {
        return work(x);
      } finally {
        s.end();
      }
    });
  const ours: number[] = [];
  const theirs: number[] = [];
  // Alternating rounds after a warm-up, so each variant is measured optimised and under the same
  // load. Each round's overhead is taken against the direct calls of the same round, and the
  // median of those differences is reported: drift in machine load between rounds (other
  // processes on a shared machine) then cancels instead of landing in one variant's median.
  for (let r = 0; r < 24; r++) {
    const d = perCall(work);
    const o = perCall(observed);
    const t = perCall(otelWrapped);
    if (r < 3) continue;
    ours.push(o - d);
    theirs.push(t - d);
  }
  if (sink === 42) console.log("");
  return { spanwiseNs: Math.max(0, median(ours)), otelNs: Math.max(0, median(theirs)) };
}
