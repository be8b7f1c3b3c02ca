import { build } from "esbuild";
import { writeFileSync } from "node:fs";
for (const [name, entry] of [["sw", "bench/fixtures/worker-instrumented.ts"], ["otel", "bench/fixtures/worker-otel.ts"]]) {
  const r = await build({ entryPoints: [entry!], bundle: true, write: false, format: "iife", globalName: "W", target: "es2024", conditions: ["workerd", "worker", "browser"], minify: process.env.MIN !== "0", logLevel: "silent", define: { "process.env.NODE_ENV": '"production"' } });
  writeFileSync(`/tmp/${name}${process.env.MIN === "0" ? ".full" : ""}.iife.js`, r.outputFiles[0]!.text + "\nglobalThis.W = W;");
}
