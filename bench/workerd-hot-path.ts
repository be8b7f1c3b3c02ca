/**
 * The hot-path workload inside workerd, the runtime spanwise is built for first: spanwise,
 * OpenTelemetry (its AsyncLocalStorage context manager), the bare tracer of floor.ts, and a bare
 * `AsyncLocalStorage.run` per span, all in one Worker (bench/fixtures/worker-hot-path.ts) run by
 * Miniflare. Code inside a Worker cannot time itself (workerd's clocks stand still while
 * JavaScript runs), so each request is timed from outside: a request running `traces` traces,
 * less a request running none (the two in alternating order), divided by its spans; the median
 * over `rounds` rounds, the cases in a new seeded random order each round, so that no case always
 * inherits the garbage of the same neighbour. Between requests each case's queue is dropped
 * (untimed, as an export would), and the bench checks it held every span, that the spanwise case
 * exported as `spanwise/workers`, and that each case's current span survives an `await`. The
 * untimed drop leaves out spanwise's flush pipeline, which on Workers runs in the same isolate
 * after the response (its cost is the bench's "flush pipeline" row).
 * Run alone with `npx tsx bench/workerd-hot-path.ts 2000 40` (after `npm run build`: the Worker
 * takes the package from dist/).
 *
 * @module
 */
import type { Plugin } from "esbuild";
import { Miniflare } from "miniflare";
import { fileURLToPath } from "node:url";
import { bundleWorker } from "../test/helpers/bundle-worker.js";
import { seededRandom } from "../test/helpers/seeded-random.js";
import { isMain, runApart } from "./apart.js";
import { median } from "./measure.js";
import { SPANS_PER_TRACE } from "./workload.js";

/** Median ns per span of each case inside workerd. */
export interface WorkerdHotPath {
  readonly spansPerRequest: number;
  readonly spanwiseNs: number;
  readonly otelNs: number;
  readonly floorNs: number;
  /** One `AsyncLocalStorage.run` and one `getStore` per span, nothing else. */
  readonly bareAlsNs: number;
}

/** The Worker's cases, in the order of `WorkerdHotPath`'s figures. */
export const CASES = ["spanwise", "otel", "floor", "bare-als"] as const;

/**
 * Points workload.ts's import of spanwise's Node entry at `spanwise/workers` (the same API), and
 * Node's bare built-in names at workerd's `node:` modules. OpenTelemetry's context manager ships
 * only as CommonJS and calls `require("async_hooks")` and `require("events")`; left external,
 * those would become a `require` that an ES module Worker does not have, so they are bundled as
 * small ES modules that re-export the `node:` ones (named exports only: it uses no default).
 */
const forWorkerd: Plugin = {
  name: "hot-path-for-workerd",
  setup(b) {
    b.onResolve({ filter: /\/src\/runtimes\/node\/index\.js$/ }, (args) => b.resolve("spanwise/workers", { kind: "import-statement", resolveDir: args.resolveDir }));
    b.onResolve({ filter: /^(async_hooks|events)$/ }, (args) => ({ path: args.path, namespace: "node-builtin" }));
    b.onLoad({ filter: /.*/, namespace: "node-builtin" }, (args) => ({ contents: `export * from "node:${args.path}";`, loader: "js" }));
  },
};

/**
 * Bundles the hot-path Worker, minified as `wrangler deploy --minify` does.
 *
 * @returns the Worker's code
 * @example
 * const code = await bundleHotPathWorker();
 */
export async function bundleHotPathWorker(): Promise<string> {
  const entry = fileURLToPath(new URL("./fixtures/worker-hot-path.ts", import.meta.url));
  return bundleWorker(entry, { minify: true, plugins: [forWorkerd], external: ["node:*"] });
}

/**
 * Starts the hot-path Worker in workerd (nodejs_compat, so AsyncLocalStorage is there).
 *
 * @returns Miniflare, and `get` for one request's body (throws on an error status)
 * @example
 * const { mf, get } = await startHotPathWorker(); await get("nesting=spanwise"); await mf.dispose();
 */
export async function startHotPathWorker(): Promise<{ mf: Miniflare; get: (query: string) => Promise<string> }> {
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "/hot-path.mjs", contents: await bundleHotPathWorker() }],
    modulesRoot: "/",
    compatibilityDate: "2025-04-01",
    compatibilityFlags: ["nodejs_compat"],
  });
  const get = async (query: string): Promise<string> => {
    const res = await mf.dispatchFetch(`http://hot-path/?${query}`);
    const body = await res.text();
    if (!res.ok) throw new Error(`${query}: ${res.status} ${body}`);
    return body;
  };
  return { mf, get };
}

/**
 * Measures the four cases in workerd: `traces` traces per timed request, `rounds` rounds after a
 * fifth as many of warm-up.
 *
 * @example
 * const { spanwiseNs, otelNs, floorNs, bareAlsNs } = await measureWorkerdHotPath(2000, 40);
 */
export async function measureWorkerdHotPath(traces: number, rounds: number): Promise<WorkerdHotPath> {
  const { mf, get } = await startHotPathWorker();
  const spans = traces * SPANS_PER_TRACE;
  const perSpan: number[][] = CASES.map(() => []);
  try {
    for (const c of CASES) {
      if ((await get(`nesting=${c}`)) !== "true") throw new Error(`${c}: the current span does not survive an await in workerd, so the row would not measure ALS context`);
      await get(`settle=${c}`);
    }
    const warm = Math.ceil(rounds / 5);
    const random = seededRandom(rounds);
    const order = CASES.map((_, i) => i);
    for (let r = 0; r < warm + rounds; r++) {
      shuffle(order, random);
      for (const i of order) {
        const c = CASES[i] as string;
        let empty: number;
        let took: number;
        if (r % 2 === 0) {
          empty = await timed(get, `case=${c}&n=0`);
          took = await timed(get, `case=${c}&n=${traces}`);
        } else {
          took = await timed(get, `case=${c}&n=${traces}`);
          empty = await timed(get, `case=${c}&n=0`);
        }
        const held = Number(await get(`settle=${c}`));
        if (held !== spans) throw new Error(`${c}: ${held} spans queued by ${traces} traces, expected ${spans}`);
        if (r >= warm) (perSpan[i] as number[]).push(((took - empty) * 1e6) / spans);
      }
    }
  } finally {
    await mf.dispose();
  }
  const [spanwiseNs, otelNs, floorNs, bareAlsNs] = perSpan.map(median) as [number, number, number, number];
  return { spansPerRequest: spans, spanwiseNs, otelNs, floorNs, bareAlsNs };
}

async function timed(get: (query: string) => Promise<string>, query: string): Promise<number> {
  const started = performance.now();
  await get(query);
  return performance.now() - started;
}

/** Fisher–Yates, in place. */
function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
}

/**
 * `measureWorkerdHotPath` in a process of its own, away from the heap the other rows grew.
 *
 * @example
 * const inWorkerd = await workerdHotPathApart(2000, 40);
 */
export async function workerdHotPathApart(traces: number, rounds: number): Promise<WorkerdHotPath> {
  return JSON.parse(await runApart(import.meta.url, [String(traces), String(rounds)])) as WorkerdHotPath;
}

// Run as a script by workerdHotPathApart: `<this file> [traces per request] [rounds]`, by default
// the bench's 2,000 and 40.
if (isMain(import.meta.url)) console.log(JSON.stringify(await measureWorkerdHotPath(Number(process.argv[2] ?? 2_000), Number(process.argv[3] ?? 40))));
