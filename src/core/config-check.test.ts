import { describe, expect, it } from "vitest";
import { optionsCheck } from "./config-check.js";
import { resolveConfigWith } from "./config.js";
import { resolveConfig } from "./resolve-config.js";
import type { ResolvedConfig } from "./resolved-config.js";
import { ConfigError } from "./errors.js";
import { registerRedaction } from "./pipeline/register-redaction.js";

// As a Worker that sets `redact` does (import "spanwise/redact"), so redact's own fields are compared too.
registerRedaction();

// The Workers entry validates init() options with config-check.ts instead of the zod schema.
// These tests hold the two to the same answers: same resolved configuration when the options
// are valid, same ConfigError (field, value, message) when they are not.

type Outcome = { ok: true; config: ResolvedConfig } | { ok: false; field: string; message: string; value: unknown };

function outcome(run: () => ResolvedConfig): Outcome {
  try {
    return { ok: true, config: run() };
  } catch (err) {
    if (!ConfigError.isInstance(err)) throw err;
    return { ok: false, field: err.field, message: err.message, value: err.value };
  }
}

function bothWays(options: unknown, env: Record<string, unknown> = {}, names: Record<string, string> = {}): [Outcome, Outcome] {
  return [outcome(() => resolveConfig(options, env, names)), outcome(() => resolveConfigWith(optionsCheck, options, env, names))];
}

const fn = (): void => {};
const exporter = { name: "x", export: async () => ({ ok: true as const }) };
const storage = { async: true, get: () => undefined, run: <T>(_c: unknown, f: () => T) => f() };
const sym = Symbol("k");
const withSymbol = { a: "1", [sym]: "2" };
const nonEnumerable = Object.defineProperty({ a: "1" }, "hidden", { value: 5, enumerable: false });
class Custom {
  a = "1";
}

// Per option: values both should accept and values both should reject, plus oddities.
const CANDIDATES: Record<string, unknown[]> = {
  serviceName: ["svc", "", "x".repeat(1024), "x".repeat(1025), 5, null, true, ["a"]],
  serviceVersion: ["1.0", "", 1],
  environment: ["prod", "", {}],
  enabled: [true, false, "true", 0],
  debug: [true, 1],
  endpoint: [
    "http://localhost:4318",
    "https://api.example.com/v1/traces",
    "  http://localhost:4318/v1/traces  ",
    "http://loc\talhost:4318/x",
    "HTTP://localhost:4318",
    "http:localhost:4318",
    "https:/path",
    "ftp://example.com",
    "localhost:4318",
    "http://",
    "http://[::1]:4318",
    "http://user:secret@collector:4318/v1/traces",
    "https://token@collector.example.com",
    "http://collector:4318/v1/traces?key=a@b",
    "",
    42,
    null,
  ],
  headers: [{ a: "b" }, {}, { a: 1 }, { a: "b", c: null }, [], "a=b", null, withSymbol, nonEnumerable, new Custom(), Object.create(null), new Map(), { "bad header": "v" }, { "x-a": "v\nw" }, { "x-a": "€" }, { "x-a": "caf\u00e9", "X_B.c~!": "" }, { "": "v" }, { "x-a": "a\0b" }, { "x-a": "v\n" }, { "x-a": "\r\n v \t" }, { "x-a": "v\n\nw" }],
  apiKey: ["key", "", 12, "k".repeat(1025), "k".repeat(16384), "k".repeat(16385), "sk\nsecret", "sk-€", "k\r".repeat(9000), "sk-live\n", "\nsk-live", " sk live "],
  compression: ["gzip", "none", "br", 1],
  protocol: ["http/json", "http/protobuf", "grpc", ""],
  exporters: [[], ["console"], ["otlp", "console"], [exporter], ["nope"], [exporter, 5], "console", {}, [null]],
  resourceAttributes: [{ a: "b", n: 1, t: true }, { a: null }, { n: Number.NaN }, { n: Number.POSITIVE_INFINITY }, { a: [1] }, { a: 1n }, "x", []],
  captureInput: [true, "yes"],
  captureOutput: [false, 0],
  maxAttributes: [1, 128, 100_000, 0, 100_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "10", -1],
  maxAttributeValueLength: [16, 15, 10_000_000, 10_000_001],
  maxEvents: [0, 100_000, -1, 0.5],
  maxLinks: [0, 100_001],
  maxQueueSize: [1, 2048, 0, 10_000_001],
  maxExportBatchSize: [1, 512, 100_000, 100_001, 0],
  scheduleDelayMs: [0, 3_600_000, 3_600_001, -5],
  exportTimeoutMs: [1, 0, 30_000],
  flushOnExit: [true, null],
  contextStorage: [storage, {}, { get: fn }, fn, "als"],
  logger: [{ warn: fn }, {}, console, "console"],
  fetch: [fn, {}, "fetch"],
  sampleRate: [0, 0.25, 1, 1.5, -0.1, Number.NaN, "0.5"],
  parentBased: [true, "false"],
  alwaysKeepErrors: [false, 1],
  slowThresholdMs: [0, 100.5, -1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER * 2],
  costThresholdUsd: [0.01, -0.01],
  tokenThreshold: [1000, "1000"],
  keepTrace: [fn, true],
  maxTraceWaitMs: [0, 30_000, 3_600_001, 1.5],
  maxSpansPerSecond: [1, 0.5, 100_000_000, 100_000_001, 50.5],
  redact: [true, false, { mode: "mask" }, { mode: "nope" }, { salt: 5 }, [], "true", null],
  processorOrder: ["safety", "efficiency", "fast"],
  maxAttributeKeyLength: [1, 0, 256],
  stripMedia: [true, "no"],
  globalAttributes: [{ a: "b", n: [1, 2], m: ["x", null] }, { "": "empty key" }, { a: { nested: true } }, { a: [1, "x"] }, { a: undefined }, { a: 1n }, []],
  processors: [[], [fn], [fn, "x"], fn],
  captureContent: [true, "on"],
  pricing: [{ "gpt-x": { input: 1, output: 2 } }, { "gpt-x": { input: -1, output: 2 } }, [{ model: /gpt/, input: 1, output: 2 }], [{ model: 5, input: 1, output: 2 }], { m: { input: 1 } }, { m: { input: 1, output: 2, cacheWrite1h: 2 } }, { m: { input: 1, output: 2, cacheWrite1h: "2" } }, { m: { input: 1, output: 2, cachedRead: 1 } }, [{ model: "m", input: 1, output: 2, cacheRead: 0.5 }], { m: { model: "m", input: 1, output: 2 } }, [{ model: "m", input: 1, output: 2 }, 5], "cheap"],
  instrument: [["openai"], ["anthropic", "gemini"], ["nope"], [{ baseURL: "https://llm.example.com/v1", provider: "acme" }], [{ baseURL: "ftp://x", provider: "acme" }], [{ baseURL: "https://x", provider: "" }], [{ baseURL: "https://x", provider: "p", api: "cohere" }], "openai"],
  notAnOption: [1, "x"],
  servicename: ["typo"],
};

describe("the zod-free options check used on Workers", () => {
  it("answers every single-option table entry as the zod schema does", () => {
    let compared = 0;
    for (const [key, values] of Object.entries(CANDIDATES)) {
      for (const value of values) {
        const [zod, lite] = bothWays({ [key]: value });
        expect(lite, `${key} #${values.indexOf(value)}`).toEqual(zod);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it("names the same field as the zod schema for random combinations of good and bad options", () => {
    // A small deterministic generator, so a failure reproduces.
    let seed = 0x2f6b1d;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const keys = Object.keys(CANDIDATES);
    const seen = { ok: 0, rejected: 0 };
    for (let i = 0; i < 3000; i++) {
      const options: Record<string, unknown> = {};
      const count = 1 + next(6);
      for (let j = 0; j < count; j++) {
        const key = keys[next(keys.length)] as string;
        const values = CANDIDATES[key] as unknown[];
        options[key] = values[next(values.length)];
      }
      const [zod, lite] = bothWays(options);
      expect(lite, JSON.stringify(Object.keys(options))).toEqual(zod);
      seen[zod.ok ? "ok" : "rejected"]++;
    }
    // Both answers occur often, so agreement is not agreement on one answer only.
    expect(seen.ok).toBeGreaterThan(200);
    expect(seen.rejected).toBeGreaterThan(200);
  });

  it("checks environment values alike and names the variable they came from", () => {
    const names = { sampleRate: "OTEL_TRACES_SAMPLER_ARG", endpoint: "SPANWISE_ENDPOINT" };
    for (const env of [{ sampleRate: 2 }, { sampleRate: 0.5 }, { endpoint: "nope" }, { endpoint: "http://collector:4318/v1/traces" }]) {
      const [zod, lite] = bothWays({ serviceName: "svc" }, env, names);
      expect(lite).toEqual(zod);
    }
    const [zod, lite] = bothWays({ sampleRate: 0.1 }, { sampleRate: 7 }, names);
    expect(lite).toEqual(zod);
    expect(zod.ok).toBe(true);
  });

  it("ignores the same invalid OTEL_* values and keeps the same SPANWISE_* errors", () => {
    const names = { sampleRate: "OTEL_TRACES_SAMPLER_ARG", protocol: "OTEL_EXPORTER_OTLP_PROTOCOL", maxLinks: "OTEL_SPAN_LINK_COUNT_LIMIT", apiKey: "SPANWISE_API_KEY" };
    for (const env of [{ sampleRate: 2, protocol: "grpc", maxLinks: -1 }, { protocol: "http/protobuf", maxLinks: "x" }, { apiKey: "k".repeat(16385), sampleRate: "abc" }]) {
      const [zod, lite] = bothWays({ serviceName: "svc" }, env, names);
      expect(lite).toEqual(zod);
    }
    expect(bothWays({}, { sampleRate: 2, protocol: "grpc" }, names)[1].ok).toBe(true);
    expect(bothWays({}, { apiKey: "" }, names)[1].ok).toBe(false);
  });

  it("reports the options object itself alike when it is not an object", () => {
    for (const options of [undefined, null, 5, "x", [], fn]) {
      const [zod, lite] = bothWays(options);
      expect(lite).toEqual(zod);
    }
  });
});
