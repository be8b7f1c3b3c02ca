/** One thing to time: `run(iterations)` does the work synchronously, `settle()` cleans up untimed. */
export interface BenchCase {
  readonly name: string;
  /** Iterations per timed round. */
  readonly iterations: number;
  /** Units (spans) each iteration produces; results are per unit. */
  readonly unitsPerIteration: number;
  run(iterations: number): void;
  /** Runs after every round, outside the timing: drains queues so rounds start alike. */
  settle?(): Promise<void>;
}

/** How long to warm up and how many timed rounds to take. */
export interface MeasureOptions {
  readonly warmupMs: number;
  readonly rounds: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function timeRound(c: BenchCase): number {
  gc?.();
  const start = process.hrtime.bigint();
  c.run(c.iterations);
  const elapsed = process.hrtime.bigint() - start;
  return Number(elapsed) / (c.iterations * c.unitsPerIteration);
}

/** The middle value (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Warms every case up, then times them in alternating rounds and returns the median ns per unit
 * of each, in the order given.
 *
 * @example
 * const [a, b] = await measure([spanwiseCase, otelCase], { warmupMs: 1000, rounds: 7 });
 */
export async function measure<const C extends readonly BenchCase[]>(cases: C, options: MeasureOptions): Promise<{ [K in keyof C]: number }> {
  for (const c of cases) {
    const until = performance.now() + options.warmupMs;
    do {
      c.run(c.iterations);
      await c.settle?.();
    } while (performance.now() < until);
  }
  // Alternating the cases round by round spreads drift (turbo, GC, other load) over all of them.
  const samples: number[][] = cases.map(() => []);
  for (let r = 0; r < options.rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i] as BenchCase;
      (samples[i] as number[]).push(timeRound(c));
      await c.settle?.();
    }
  }
  return samples.map(median) as { [K in keyof C]: number };
}
