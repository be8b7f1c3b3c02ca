import { build } from "esbuild";
import { writeFileSync } from "node:fs";
const r = await build({ entryPoints: ["bench/fixtures/worker-instrumented.ts"], bundle: true, write: false, format: "esm", target: "es2024", conditions: ["workerd", "worker", "browser"], external: ["cloudflare:*"], minify: false, logLevel: "silent",
  alias: { "spanwise/workers": "./src/runtimes/workers/index.ts" }, define: { "process.env.NODE_ENV": '"production"' } });
writeFileSync("/tmp/wk.mjs", r.outputFiles[0]!.text);
