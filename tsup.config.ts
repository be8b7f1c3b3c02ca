import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  entry: {
    index: "src/index.ts",
    node: "src/runtimes/node/index.ts",
    deno: "src/runtimes/deno/index.ts",
    bun: "src/runtimes/bun/index.ts",
    workers: "src/runtimes/workers/index.ts",
    lambda: "src/runtimes/lambda/index.ts",
    hono: "src/integrations/hono/index.ts",
    next: "src/integrations/next/index.ts",
    openai: "src/integrations/openai/index.ts",
    anthropic: "src/integrations/anthropic/index.ts",
    llm: "src/integrations/llm/index.ts",
    langchain: "src/integrations/langchain/index.ts",
    // The `spanwise` bin; its shebang makes tsup mark dist/cli.js executable.
    cli: "src/cli/main.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  target: "es2022",
  platform: "neutral",
  external: [/^node:/, "zod", "zod/mini", /^hono(\/.*)?$/, /^next(\/.*)?$/],
  removeNodeProtocol: false,
  define: { __SPANWISE_VERSION__: JSON.stringify(version) },
});
