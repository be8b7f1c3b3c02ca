import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^spanwise\/node$/, replacement: src("runtimes/node/index.ts") },
      { find: /^spanwise\/openai$/, replacement: src("integrations/openai/index.ts") },
      { find: /^spanwise\/ai-sdk$/, replacement: src("integrations/ai-sdk/index.ts") },
      { find: /^spanwise\/langchain$/, replacement: src("integrations/langchain/index.ts") },
      { find: /^spanwise\/llm$/, replacement: src("integrations/llm/index.ts") },
      { find: /^spanwise\/redact$/, replacement: src("integrations/redact/index.ts") },
      { find: /^spanwise\/otlp-json$/, replacement: src("integrations/otlp-json/index.ts") },
      { find: /^spanwise\/anthropic$/, replacement: src("integrations/anthropic/index.ts") },
      { find: /^spanwise\/lambda$/, replacement: src("runtimes/lambda/index.ts") },
      { find: /^spanwise\/hono$/, replacement: src("integrations/hono/index.ts") },
      { find: /^spanwise\/next$/, replacement: src("integrations/next/index.ts") },
      { find: /^spanwise$/, replacement: src("index.ts") },
    ],
  },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Run by the deno and bun binaries themselves (npm run test:deno, test:bun).
    exclude: [...configDefaults.exclude, "test/deno/**", "test/bun/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One temporary directory per run, removed at its end (see the file).
    globalSetup: ["test/global-setup.ts"],
  },
});
