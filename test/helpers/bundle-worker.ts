import { type Plugin, build } from "esbuild";

/** Options of `bundleWorker`. */
export interface BundleWorkerOptions {
  /** Minify, as `wrangler deploy --minify` does. Default false. */
  minify?: boolean;
  /** More esbuild plugins, run before esbuild's own resolution. */
  plugins?: Plugin[];
  /** More modules to leave to the runtime, besides `cloudflare:*`. */
  external?: string[];
}

/**
 * Bundles a Worker entry the way wrangler does: esbuild, ES module output, target es2024, the
 * `workerd`, `worker` and `browser` export conditions, `cloudflare:*` left to the runtime. The
 * package itself resolves from `dist/` through package.json "exports", as it would for a user.
 *
 * @param entry - path of the Worker's entry file
 * @param options - `minify`, more `plugins` and `external` modules
 * @returns the bundled module's code
 * @example
 * const code = await bundleWorker("test/workers/fixtures/worker.ts");
 */
export async function bundleWorker(entry: string, options: BundleWorkerOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", ...(options.external ?? [])],
    plugins: options.plugins ?? [],
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    minify: options.minify === true,
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}
