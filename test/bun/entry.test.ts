// The package's own entry points as Bun resolves them: `spanwise` under the bun condition and
// `spanwise/bun` are the builds in dist/, for import and for require.
import { expect, test } from "bun:test";
import { createRequire } from "node:module";
import * as root from "spanwise";
import * as sub from "spanwise/bun";
import * as dist from "../../dist/bun.js";
import * as core from "../../dist/index.js";

test("`spanwise` and `spanwise/bun` import dist/bun.js", () => {
  expect(typeof dist.withTracing).toBe("function");
  expect(typeof dist.registerBun).toBe("function");
  expect((root as Record<string, unknown>).withTracing).toBe(dist.withTracing);
  expect(sub.withTracing).toBe(dist.withTracing);
  expect(root.init).toBe(dist.init);
});

test("`spanwise` and `spanwise/bun` require dist/bun.cjs", () => {
  const require = createRequire(import.meta.url);
  const cjs = require("spanwise") as Record<string, unknown>;
  expect(require.resolve("spanwise")).toEndWith("/dist/bun.cjs");
  expect(require.resolve("spanwise/bun")).toEndWith("/dist/bun.cjs");
  expect(typeof cjs.withTracing).toBe("function");
  expect(typeof cjs.registerBun).toBe("function");
});

test("importing the Bun build registers the runtime: even the core init() keeps the span across await and timers", async () => {
  const memory = core.createMemoryExporter();
  expect(core.init({ exporters: [memory], flushOnExit: false })).toBe(true);
  try {
    await core.span("outer", async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await new Promise<void>((resolve) => setTimeout(() => core.span("inner", () => resolve()), 2));
    });
    await core.flush();
    const outer = memory.spans.find((s) => s.name === "outer");
    expect(memory.spans.find((s) => s.name === "inner")?.parentSpanId).toBe(outer?.spanId as string);
    expect(memory.batches[0]?.resource["process.runtime.name"]).toBe("bun");
  } finally {
    await core.shutdown();
  }
});

test("importing the Bun build loads redaction and the OTLP/JSON encoder: no spanwise/redact or /otlp-json import needed", async () => {
  const memory = core.createMemoryExporter();
  expect(core.init({ exporters: [memory], flushOnExit: false, redact: true, protocol: "http/json" })).toBe(true);
  try {
    expect(core.createOtlpHttpExporter({ endpoint: "http://127.0.0.1:9/v1/traces", protocol: "http/json" }).name).toBe("otlp-http");
    core.span("lookup", (s) => s.setAttribute("customer.email", "ada.lovelace@analytical.example"));
    await core.flush();
    expect(memory.spans[0]?.attributes["customer.email"]).toBe("[REDACTED:email]");
  } finally {
    await core.shutdown();
  }
});
