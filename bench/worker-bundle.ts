/**
 * What spanwise adds to a Cloudflare Worker's bundle: a Worker using `instrument()` with OTLP
 * export, bundled the way wrangler bundles it (esbuild, ES module, es2024, the workerd / worker /
 * browser export conditions, minified as `wrangler deploy --minify` does), in bytes and gzip
 * bytes, next to the same Worker without tracing and the same Worker traced with OpenTelemetry
 * (bench/fixtures/worker-otel.ts, built from the installed OpenTelemetry packages). Run alone
 * with `npx tsx bench/worker-bundle.ts` (after `npm run build`: the bundle takes the package
 * from dist/).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { bundleWorker } from "../test/helpers/bundle-worker.js";
import { isMain } from "./apart.js";

/** One Worker's bundle: its code and sizes in bytes. */
export interface BundleSize {
  readonly code: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** The three Workers: traced by spanwise, traced by OpenTelemetry, not traced. */
export interface WorkerBundles {
  readonly spanwise: BundleSize;
  readonly otel: BundleSize;
  readonly baseline: BundleSize;
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function sized(entry: string): Promise<BundleSize> {
  const code = await bundleWorker(fixture(entry), { minify: true });
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).byteLength };
}

/**
 * Bundles the three Workers and measures them.
 *
 * @returns code and raw and gzip sizes of each
 * @example
 * const { spanwise, baseline } = await workerBundles();
 */
export async function workerBundles(): Promise<WorkerBundles> {
  const [spanwise, otel, baseline] = await Promise.all([sized("worker-instrumented.ts"), sized("worker-otel.ts"), sized("worker-baseline.ts")]);
  return { spanwise, otel, baseline };
}

if (isMain(import.meta.url)) {
  const b = await workerBundles();
  for (const [name, s] of Object.entries(b)) console.log(`${name}: minified ${s.bytes} bytes, gzip ${s.gzipBytes} bytes`);
  console.log(`spanwise adds ${b.spanwise.gzipBytes - b.baseline.gzipBytes} bytes gzip; OpenTelemetry adds ${b.otel.gzipBytes - b.baseline.gzipBytes}`);
}
