import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };
const quick = Boolean(process.env.SPANWISE_QUICK_BUILD);
const define = { __SPANWISE_VERSION__: JSON.stringify(version) };

export default defineConfig([
  {
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
      redact: "src/integrations/redact/index.ts",
      "otlp-json": "src/integrations/otlp-json/index.ts",
      langchain: "src/integrations/langchain/index.ts",
      "ai-sdk": "src/integrations/ai-sdk/index.ts",
    },
    format: ["esm", "cjs"],
    // `npm run demo` rebuilds without declarations (most of the build time; the demo needs none)
    // and keeps the ones `npm ci` built.
    dts: !quick,
    // The Node tools below build into the same folder at the same time.
    clean: quick ? false : ["!viewer.*", "!cli.*"],
    sourcemap: true,
    splitting: true,
    treeshake: true,
    target: "es2022",
    platform: "neutral",
    external: [/^node:/, "zod", "zod/mini", /^hono(\/.*)?$/, /^next(\/.*)?$/],
    removeNodeProtocol: false,
    define,
    esbuildOptions(options) {
      options.minifySyntax = true;
    },
  },
  {
    // Node-only tools: the `spanwise` bin (its shebang makes tsup mark dist/cli.js executable)
    // and the local viewer behind `spanwise dev`. Hono and its Node server are bundled in, so
    // the published package still depends on zod alone.
    entry: { cli: "src/cli/main.ts", viewer: "src/cli/viewer/index.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    sourcemap: false,
    splitting: false,
    treeshake: true,
    minify: true,
    target: "node20",
    platform: "node",
    external: [/^node:/, "zod", "zod/mini"],
    noExternal: ["hono", /^hono\//, "@hono/node-server"],
    removeNodeProtocol: false,
    define,
  },
]);
