/**
 * What spanwise adds to a Cloudflare Worker's bundle: a Worker using `instrument()` with OTLP
 * export, bundled the way wrangler bundles it (esbuild, ES module, es2024, the workerd / worker /
 * browser export conditions, minified as `wrangler deploy --minify` does), in bytes and gzip
 * bytes, next to the same Worker without spanwise. Run alone with `npx tsx bench/worker-bundle.ts`
 * (after `npm run build`: the bundle takes the package from dist/).
 *
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { bundleWorker } from "../test/helpers/bundle-worker.js";

/** Bundle sizes in bytes. */
export interface WorkerBundleSize {
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly baselineBytes: number;
  readonly baselineGzipBytes: number;
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/**
 * Bundles both Workers and measures them.
 *
 * @returns raw and gzip sizes, with and without spanwise
 * @example
 * const { gzipBytes, baselineGzipBytes } = await workerBundleSize();
 */
export async function workerBundleSize(): Promise<WorkerBundleSize> {
  const [traced, baseline] = await Promise.all([bundleWorker(fixture("worker-instrumented.ts"), { minify: true }), bundleWorker(fixture("worker-baseline.ts"), { minify: true })]);
  const size = (code: string) => Buffer.byteLength(code);
  const gzip = (code: string) => gzipSync(code).byteLength;
  return { bytes: size(traced), gzipBytes: gzip(traced), baselineBytes: size(baseline), baselineGzipBytes: gzip(baseline) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await workerBundleSize();
  console.log(`Worker with instrument() + OTLP export, minified: ${s.bytes} bytes, gzip ${s.gzipBytes} bytes`);
  console.log(`added to an empty Worker: ${s.bytes - s.baselineBytes} bytes, gzip ${s.gzipBytes - s.baselineGzipBytes} bytes`);
}
