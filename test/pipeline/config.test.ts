import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, init, shutdown, stats } from "spanwise/node";
import { resolveConfig } from "../../src/core/resolve-config.js";
import { optionsFromEnv } from "../../src/core/env.js";
import { configError } from "../helpers/config-error.js";

const logger = { warn: () => {}, debug: () => {} };

/** Resolves options the way init() does, from an explicit object and an environment record. */
function resolve(options: Record<string, unknown>, env: Record<string, string> = {}) {
  const names: Record<string, string> = {};
  return resolveConfig(options, optionsFromEnv(env, names), names);
}

afterEach(() => shutdown());

describe("pipeline options", () => {
  it("accepts every pipeline option", () => {
    expect(
      init({
        exporters: [createMemoryExporter()],
        flushOnExit: false,
        logger,
        sampleRate: 0.25,
        parentBased: false,
        alwaysKeepErrors: true,
        slowThresholdMs: 2000,
        costThresholdUsd: 0.5,
        tokenThreshold: 10_000,
        keepTrace: (t) => t.hasError,
        maxTraceWaitMs: 5000,
        maxSpansPerSecond: 500,
        redact: { mode: "hash", salt: "a-long-salt", patterns: [/ORD-\d+/, { name: "ticket", pattern: /TCK-\d+/g }], builtinPatterns: ["email", "card"], keys: ["ssn", /^internal\./] },
        processorOrder: "efficiency",
        maxAttributeKeyLength: 128,
        stripMedia: false,
        globalAttributes: { region: "eu", shard: 3, canary: true, zones: ["a", "b"] },
        processors: [() => undefined, async () => true],
      }),
    ).toBe(true);
    expect(stats().enabled).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["a sample rate above 1", { sampleRate: 1.5 }, "sampleRate", "from 0"],
    ["a negative slow threshold", { slowThresholdMs: -1 }, "slowThresholdMs", "0 or more"],
    ["a keepTrace that is not a function", { keepTrace: true }, "keepTrace", "function"],
    ["a rate limit of zero", { maxSpansPerSecond: 0 }, "maxSpansPerSecond", "from 1"],
    ["an unknown processor order", { processorOrder: "fast" }, "processorOrder", '"safety" or "efficiency"'],
    ["a processor that is not a function", { processors: [{}] }, "processors.0", "functions"],
    ["a global attribute that is an object", { globalAttributes: { team: { name: "x" } } }, "globalAttributes.team", "string, number, boolean or array"],
    ["redact as a string", { redact: "yes" }, "redact", "true, false or an object"],
    ["an unknown redaction mode", { redact: { mode: "blur" } }, "redact.mode", '"mask", "remove" or "hash"'],
    ["hash mode without a salt", { redact: { mode: "hash" } }, "redact.salt", "secret salt"],
    ["a short salt", { redact: { mode: "hash", salt: "abc" } }, "redact.salt", "at least 8"],
    ["a pattern that is a string", { redact: { patterns: ["\\d+"] } }, "redact.patterns[0]", "RegExp"],
    ["a pattern that matches empty text", { redact: { patterns: [/x*/] } }, "redact.patterns[0]", "does not match empty text"],
    ["an unknown built-in pattern", { redact: { builtinPatterns: ["email", "ssn"] } }, "redact.builtinPatterns[1]", "one of pem, jwt"],
    ["a key that is a number", { redact: { keys: [42] } }, "redact.keys[0]", "a string"],
    ["an unknown redact field", { redact: { masks: true } }, "redact.masks", "no such field"],
  ])("throws a ConfigError naming the field for %s", (_label, options, field, expected) => {
    const err = configError(() => init({ flushOnExit: false, logger, ...options }));
    expect(err.field).toBe(field);
    expect(err.message).toContain(expected);
    expect(stats().enabled).toBe(false);
  });

  it("never prints the salt it rejects", () => {
    const err = configError(() => init({ flushOnExit: false, logger, redact: { mode: "hash", salt: "short" } }));
    expect(err.message).not.toContain("short");
  });
});

describe("pipeline environment variables", () => {
  it.each<[Record<string, string>, number, boolean]>([
    [{ OTEL_TRACES_SAMPLER: "always_on" }, 1, false],
    [{ OTEL_TRACES_SAMPLER: "always_off" }, 0, false],
    [{ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" }, 0.25, false],
    [{ OTEL_TRACES_SAMPLER: "traceidratio" }, 1, false],
    [{ OTEL_TRACES_SAMPLER: "parentbased_always_on" }, 1, true],
    [{ OTEL_TRACES_SAMPLER: "parentbased_always_off" }, 0, true],
    [{ OTEL_TRACES_SAMPLER: "PARENTBASED_TRACEIDRATIO", OTEL_TRACES_SAMPLER_ARG: ".5" }, 0.5, true],
    [{ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.5", SPANWISE_SAMPLE_RATE: "0.1" }, 0.1, true],
    [{ SPANWISE_SAMPLE_RATE: "0" }, 0, true],
  ])("reads %j as sampleRate %d, parentBased %s", (env, rate, parentBased) => {
    const config = resolve({}, env);
    expect(config.sampleRate).toBe(rate);
    expect(config.parentBased).toBe(parentBased);
  });

  it.each<[Record<string, string>, string, string]>([
    [{ OTEL_TRACES_SAMPLER: "jaeger_remote" }, "OTEL_TRACES_SAMPLER", "parentbased_traceidratio"],
    [{ OTEL_TRACES_SAMPLER: "constructor" }, "OTEL_TRACES_SAMPLER", "parentbased_traceidratio"],
    [{ OTEL_TRACES_SAMPLER: "__proto__" }, "OTEL_TRACES_SAMPLER", "parentbased_traceidratio"],
    [{ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "half" }, "OTEL_TRACES_SAMPLER_ARG", "a number from 0 to 1"],
    [{ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" }, "OTEL_TRACES_SAMPLER_ARG", "a number from 0 to 1"],
    [{ SPANWISE_SAMPLE_RATE: "10%" }, "SPANWISE_SAMPLE_RATE", "from 0"],
    [{ SPANWISE_REDACT: "please" }, "SPANWISE_REDACT", "true, false, mask, remove or hash"],
    [{ SPANWISE_REDACT: "hash" }, "SPANWISE_REDACT_SALT", "secret salt"],
    [{ SPANWISE_MAX_SPANS_PER_SECOND: "lots" }, "SPANWISE_MAX_SPANS_PER_SECOND", "a number"],
    [{ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "0" }, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "from 1"],
  ])("names the variable in the ConfigError for %j", (env, field, expected) => {
    const err = configError(() => resolve({}, env));
    expect(err.field).toBe(field);
    expect(err.source).toBe("environment");
    expect(err.message).toContain(expected);
  });

  it("ignores a bad sampler variable that an explicit sampleRate overrides", () => {
    expect(resolve({ sampleRate: 0.5 }, { OTEL_TRACES_SAMPLER: "xray" }).sampleRate).toBe(0.5);
  });

  it("reads redaction, the rate limit and the OpenTelemetry span limits", () => {
    const config = resolve(
      {},
      {
        SPANWISE_REDACT: "hash",
        SPANWISE_REDACT_SALT: "salt-from-the-env",
        SPANWISE_MAX_SPANS_PER_SECOND: "250",
        OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "64",
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: "2048",
        OTEL_SPAN_EVENT_COUNT_LIMIT: "16",
        OTEL_SPAN_LINK_COUNT_LIMIT: "8",
      },
    );
    expect(config.redact?.mode).toBe("hash");
    expect(config.redact?.salt).toBe("salt-from-the-env");
    expect(config.maxSpansPerSecond).toBe(250);
    expect([config.maxAttributes, config.maxAttributeValueLength, config.maxEvents, config.maxLinks]).toEqual([64, 2048, 16, 8]);
    expect(resolve({}, { SPANWISE_REDACT: "true" }).redact?.mode).toBe("mask");
    expect(resolve({}, { SPANWISE_REDACT: "off" }).redact).toBeUndefined();
    expect(resolve({ redact: false }, { SPANWISE_REDACT: "mask" }).redact).toBeUndefined();
  });
});
