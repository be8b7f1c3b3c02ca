import { Session } from "node:inspector/promises";
import type { BenchCase } from "./measure.js";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a benchmark case's timed rounds spent their time, per function, from V8's CPU profiler. */
export interface CpuProfile {
  /** Microseconds of samples, by `function file`. */
  readonly selfUs: ReadonlyMap<string, number>;
  /** Microseconds of all samples. */
  readonly totalUs: number;
  /** Units (spans) the profiled rounds produced. */
  readonly units: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Profiles exactly the timed part of a case as `measure` times it: the profiler starts after the
 * forced collection and stops before `settle`, each round, and the rounds' samples are summed.
 * Sampling costs some speed, so these are shares of the time, not figures for the budget table.
 *
 * @example
 * const p = await profileRounds(spanwiseHotPath(), 20);
 */
export async function profileRounds(c: BenchCase, rounds: number, collectFirst = true): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    for (let r = 0; r < rounds; r++) {
      if (collectFirst) gc?.();
      await session.post("Profiler.start");
      c.run(c.iterations);
      const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
      totalUs += addSelfTimes(profile, selfUs);
      await c.settle?.();
    }
  } finally {
    session.disconnect();
  }
  return { selfUs, totalUs, units: rounds * c.iterations * c.unitsPerIteration };
}

/** Adds each sample's interval to the function it landed in; returns the profile's total. */
function addSelfTimes(profile: Profile, into: Map<string, number>): number {
  const keys = new Map<number, string>();
  // Files only: under tsx, line numbers are those of the transformed code.
  for (const n of profile.nodes) keys.set(n.id, `${n.callFrame.functionName || "(anonymous)"} ${shortUrl(n.callFrame.url)}`.trimEnd());
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const key = keys.get(profile.samples[i] as number) as string;
    // The inspector's own start and stop, and time the thread was not running JavaScript's work.
    if (key === "dispatch" || key === "(idle)" || key.endsWith(" node:inspector")) continue;
    into.set(key, (into.get(key) ?? 0) + dt);
    total += dt;
  }
  return total;
}

function shortUrl(url: string): string {
  const at = url.indexOf("/src/");
  if (at >= 0) return url.slice(at + 1);
  const bench = url.indexOf("/bench/");
  return bench >= 0 ? url.slice(bench + 1) : url.replace(/^node:/, "node:");
}

/** Groups of functions, first match wins: what each part of the SDK costs. */
const AREAS: readonly (readonly [string, RegExp])[] = [
  ["garbage collection", /^\(garbage collector\)/],
  ["V8 outside JavaScript (compiling, runtime calls)", /^\(program\)/],
  ["clock (performance.now, time conversion)", /^now$|^hrtime|core\/clock\.ts/],
  ["AsyncLocalStorage", /async_hooks|als-storage|async_local_storage/],
  ["span record (create, attributes, end)", /core\/span\.ts|core\/attribute/],
  ["ids (random pool, hex)", /core\/ids\.ts|RandomBytesJob|node:internal\/crypto/],
  ["tracer, trace data, sampling", /core\/tracer\.ts|admit-trace|trace-data|head-sampler|rate-limiter/],
  ["span() / observe wrapper, settle", /core\/observe\.ts|core\/settle\.ts|core\/api\.ts/],
  ["trace assembler and queue, export timer", /hold-traces|core\/buffer\.ts|^(push|delete|add|values)$|node:internal\/timers|^setTimeout |linkedlist|toggleTimerRef/],
  ["protobuf encoder", /otlp-proto/],
  ["JSON encoder", /otlp-json|export\/byte-writer|export\/json-attributes|^encodeInto /],
  ["the bare tracer of the floor row", /bench\/floor\.ts/],
  ["the bare JSON encoder of the floor row", /bench\/json-floor\.ts/],
  ["the benchmark's own code", /^[^ ]* bench\//],
  ["other", /./],
];

/** One row of a summary: an area or a function, its share and its time per unit. */
export interface ProfileLine {
  readonly name: string;
  readonly share: number;
  readonly nsPerUnit: number;
}

/**
 * Sums a profile into the areas above and its top functions.
 *
 * @example
 * const { areas, top } = summarize(await profileRounds(c, 20), 8);
 */
export function summarize(p: CpuProfile, topN: number): { areas: ProfileLine[]; top: ProfileLine[] } {
  const line = (name: string, us: number): ProfileLine => ({ name, share: us / p.totalUs, nsPerUnit: (us * 1000) / p.units });
  const byArea = new Map<string, number>();
  for (const [key, us] of p.selfUs) {
    const area = (AREAS.find(([, re]) => re.test(key)) as readonly [string, RegExp])[0];
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const areas = [...byArea].map(([name, us]) => line(name, us)).sort((a, b) => b.share - a.share);
  const top = [...p.selfUs].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([name, us]) => line(name, us));
  return { areas, top };
}
