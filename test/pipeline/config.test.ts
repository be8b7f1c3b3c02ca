import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, init, shutdown, stats } from "spanwise/node";
import { resolveConfig } from "../../src/core/resolve-config.js";
import { type IgnoredVariable, optionsFromEnv } from "../../src/core/env.js";
import { configError } from "../helpers/config-error.js";

const logger = { warn: () => {}, debug: () => {} };

/** Resolves options the way init() does, from an explicit object and an environment record. */
function resolve(options: Record<string, unknown>, env: Record<string, string> = {}) {
  const names: Record<string, string> = {};
  return resolveConfig(options, optionsFromEnv(env, names), names);
}

afterEach(() => shutdown());

/** Runs `fn` with these variables set in process.env (which spanwise/node reads), then restores it. */
function withEnv(vars: Record<string, string>, fn: () => void): void {
  const before = { ...process.env };
  Object.assign(process.env, vars);
  try {
    fn();
  } finally {
    for (const key of Object.keys(vars)) {
      if (before[key] === undefined) delete process.env[key];
      else process.env[key] = before[key];
    }
  }
}

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
    ["a misspelt redact field", { redact: { mod: "hash" } }, "redact.mod", "unknown option redact.mod from init(): did you mean redact.mode? (known: mode, patterns, builtinPatterns, keys, salt)"],
    ["an unknown redact field like none known", { redact: { masks: true } }, "redact.masks", "unknown option redact.masks from init() (known: mode,"],
    ["a misspelt option", { sampleRatio: 0.5 }, "sampleRatio", "unknown option sampleRatio from init(): did you mean sampleRate? (known: serviceName,"],
    ["an option in snake case", { service_name: "x" }, "service_name", "unknown option service_name from init(): did you mean serviceName?"],
    ["exporter for exporters", { exporter: { export: async () => {} } }, "exporter", "unknown option exporter from init(): did you mean exporters?"],
    ["an option like none known", { colour: "red" }, "colour", "unknown option colour from init() (known: serviceName,"],
    ["a listed price with a misspelt field", { pricing: [{ model: /^ft-/, input: 1, output: 2, cachedRead: 0.5 }] }, "pricing.0.cachedRead", "expected only the fields input, output, cacheRead, cacheWrite, cacheWrite1h, model, got 0.5"],
    ["a price with a misspelt field", { pricing: { "gpt-4o": { input: 2.5, output: 10 }, "ft-x": { input: 1, output: 2, cachedRead: 0.5 } } }, "pricing.ft-x.cachedRead", "expected only the fields input, output, cacheRead, cacheWrite, cacheWrite1h, got 0.5"],
    ["a price given as text", { pricing: { "gpt-4o": { input: 2.5, output: "10" } } }, "pricing.gpt-4o.output", 'expected a number of US$ per million tokens, 0 or more, got "10"'],
    ["a price without its output rate", { pricing: { "gpt-4o": { input: 2.5 } } }, "pricing.gpt-4o.output", "expected a number of US$ per million tokens, 0 or more, got undefined"],
    ["a negative cache price", { pricing: { m: { input: 1, output: 2, cacheWrite1h: -6 } } }, "pricing.m.cacheWrite1h", "0 or more, got -6"],
    ["a price that is a number", { pricing: { m: 3 } }, "pricing.m", "expected a price { input, output, cacheRead?, cacheWrite?, cacheWrite1h? } in US$ per million tokens, got 3"],
    ["a listed price without a model", { pricing: [{ input: 1, output: 2 }] }, "pricing.0.model", "expected a model name or a RegExp, got undefined"],
    ["a listed price that is not an object", { pricing: [{ model: "m", input: 1, output: 2 }, 5] }, "pricing.1", "expected a price { model, input, output, cacheRead?, cacheWrite?, cacheWrite1h? } in US$ per million tokens, got 5"],
    ["a model named inside the object form", { pricing: { "gpt-4o": { model: "gpt-4o", input: 2.5, output: 10 } } }, "pricing.gpt-4o.model", 'expected only the fields input, output, cacheRead, cacheWrite, cacheWrite1h, got "gpt-4o"'],
    ["pricing as text", { pricing: "cheap" }, "pricing", 'expected an object { "model-name": { input, output'],
    ["one exporter object, not a list", { exporters: { export: async () => ({ ok: true }) } }, "exporters", 'expected an array of exporters or "console" / "otlp", got {"export":"[function]"}'],
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
    [{ SPANWISE_SAMPLE_RATE: "10%" }, "SPANWISE_SAMPLE_RATE", "from 0"],
    [{ SPANWISE_REDACT: "please" }, "SPANWISE_REDACT", "true, false, mask, remove or hash"],
    [{ SPANWISE_REDACT: "hash" }, "SPANWISE_REDACT_SALT", "secret salt"],
    [{ SPANWISE_MAX_SPANS_PER_SECOND: "lots" }, "SPANWISE_MAX_SPANS_PER_SECOND", "a number"],
  ])("names the variable in the ConfigError for %j", (env, field, expected) => {
    const err = configError(() => resolve({}, env));
    expect(err.field).toBe(field);
    expect(err.source).toBe("environment");
    expect(err.message).toContain(expected);
  });

  // OpenTelemetry SDK environment variables spec: an unknown enum value must be warned about and
  // ignored, an invalid number warned about and replaced by the default. init() must not throw
  // (on Lambda that fails the function at init) because an operator set a standard variable.
  it.each<[string, Record<string, string>, string, Record<string, unknown>]>([
    ["an unknown sampler", { OTEL_TRACES_SAMPLER: "xray" }, 'OTEL_TRACES_SAMPLER from environment: expected one of always_on', { sampleRate: 1, parentBased: true }],
    ["an unsupported sampler", { OTEL_TRACES_SAMPLER: "parentbased_jaeger_remote" }, '"parentbased_jaeger_remote"', { sampleRate: 1, parentBased: true }],
    ["a sampler named like an Object method", { OTEL_TRACES_SAMPLER: "constructor" }, '"constructor"', { sampleRate: 1 }],
    ["a sampler argument that is not a number", { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "abc" }, 'OTEL_TRACES_SAMPLER_ARG from environment: expected a number from 0 to 1, got "abc"', { sampleRate: 1, parentBased: false }],
    ["a sampler argument above 1", { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "1.5" }, "got 1.5", { sampleRate: 1, parentBased: true }],
    ["grpc", { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }, "spanwise sends OTLP over HTTP", { protocol: "http/protobuf" }],
    ["a per-signal protocol", { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc" }, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", { protocol: "http/protobuf" }],
    ["a per-signal protocol that is invalid, for the general one", { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }, "not gRPC", { protocol: "http/json" }],
    ["a per-signal endpoint that is invalid, for the general one", { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "collector:4318", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, '"collector:4318"', { endpoint: "http://collector:4318/v1/traces" }],
    ["a span limit that is invalid, for the general one", { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "lots", OTEL_ATTRIBUTE_COUNT_LIMIT: "64" }, '"lots"', { maxAttributes: 64 }],
    ["an unknown compression next to a protocol in capitals, read as the same value", { OTEL_EXPORTER_OTLP_COMPRESSION: "ZSTD", OTEL_EXPORTER_OTLP_PROTOCOL: "HTTP/JSON" }, '"zstd"', { protocol: "http/json", compression: "gzip" }],
    ["an unknown compression", { OTEL_EXPORTER_OTLP_COMPRESSION: "deflate" }, 'OTEL_EXPORTER_OTLP_COMPRESSION from environment: expected "gzip" or "none", got "deflate"', { compression: "gzip" }],
    ["a limit of 0", { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: "0" }, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", { maxAttributes: 128 }],
    ["a limit that is not a number", { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: "lots", OTEL_SPAN_EVENT_COUNT_LIMIT: "16" }, '"lots"', { maxAttributeValueLength: 16384, maxEvents: 16 }],
    ["malformed resource attributes", { OTEL_RESOURCE_ATTRIBUTES: "team=ml,=orphan", OTEL_SERVICE_NAME: "svc" }, "OTEL_RESOURCE_ATTRIBUTES", { serviceName: "svc", resourceAttributes: {} }],
  ])("warns once about %s from OTEL_* and goes on as if it were unset", (_label, env, warning, expected) => {
    const warnings: string[] = [];
    const names: Record<string, string> = {};
    const ignored: IgnoredVariable[] = [];
    expect(resolveConfig({}, optionsFromEnv(env, names, ignored), names, undefined, ignored)).toMatchObject(expected);
    expect(ignored).toHaveLength(1);
    // Through init(), as a service meets it: tracing starts, one warning names the variable.
    withEnv(env, () => expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger: { warn: (m: string) => warnings.push(m) } })).toBe(true));
    expect(warnings.filter((w) => w.includes(Object.keys(env)[0] as string))).toHaveLength(1);
    expect(warnings.join("\n")).toContain(warning);
    expect(warnings.join("\n")).toContain("ignored");
  });

  it("warns once about a SPANWISE_* variable it does not read, naming the one most likely meant", () => {
    const warnings: string[] = [];
    withEnv({ SPANWISE_SAMPLE_RATIO: "0.1", SPANWISE_TEAM_SECRET: "x", SPANWISE_DEV_TOKEN: "t0k3n", SPANWISE_SAMPLE_RATE: "1" }, () =>
      expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger: { warn: (m: string) => warnings.push(m) } })).toBe(true),
    );
    expect(warnings.filter((w) => w.includes("SPANWISE_"))).toEqual([
      "[spanwise] SPANWISE_SAMPLE_RATIO is set, but spanwise reads no such variable (did you mean SPANWISE_SAMPLE_RATE?).",
      "[spanwise] SPANWISE_TEAM_SECRET is set, but spanwise reads no such variable (is it misspelt?).",
    ]);
  });

  it("warns about a malformed OTEL_EXPORTER_OTLP_HEADERS without its tokens, and ignores it", () => {
    const token = "sk-live-0123456789abcdef0123456789";
    const warnings: string[] = [];
    const env = { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${token},garbage`, OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-tenant=acme" };
    withEnv(env, () => expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger: { warn: (m: string) => warnings.push(m) } })).toBe(true));
    const said = warnings.join("\n");
    expect(said).toContain("OTEL_EXPORTER_OTLP_HEADERS");
    expect(said).not.toContain(token.slice(0, 8));
    expect(said).not.toContain("Bearer");
    const names: Record<string, string> = {};
    expect(resolveConfig({}, optionsFromEnv(env, names, []), names).headers).toEqual({ "x-tenant": "acme" });
  });

  it("does not throw on a bad OTEL_* variable when OTEL_SDK_DISABLED=true", () => {
    withEnv({ OTEL_SDK_DISABLED: "true", OTEL_TRACES_SAMPLER: "xray", OTEL_SPAN_LINK_COUNT_LIMIT: "-1" }, () => expect(init({ flushOnExit: false, logger })).toBe(false));
  });

  it("still throws for a bad SPANWISE_* variable, without showing a secret", () => {
    const err = configError(() => resolve({}, { SPANWISE_API_KEY: `sk-live-${"k".repeat(16400)}` }));
    expect(err.field).toBe("SPANWISE_API_KEY");
    expect(err.message).toContain("at most 16384 characters");
    expect(err.message).not.toContain("sk-live");
  });

  it("still throws for the same bad values given in code", () => {
    expect(configError(() => init({ flushOnExit: false, logger, protocol: "grpc" as "http/json" })).field).toBe("protocol");
    expect(configError(() => init({ flushOnExit: false, logger, sampleRate: 1.5 })).field).toBe("sampleRate");
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

describe("secrets in configuration errors", () => {
  // Shaped like an Entra ID / GCP access token: a JWT longer than 1024 characters.
  const jwt = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${"eyJzdWIiOiJzcGFud2lzZSJ9".repeat(120)}.c2lnbmF0dXJl`;

  it("accepts an API key as long as a real bearer token", () => {
    expect(jwt.length).toBeGreaterThan(2000);
    expect(init({ apiKey: jwt, exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
  });

  it("says how long an API key may be, without showing it", () => {
    const key = `sk-live-${"a1b2c3d4".repeat(2100)}`;
    const err = configError(() => init({ apiKey: key, flushOnExit: false, logger }));
    expect(err.field).toBe("apiKey");
    expect(err.message).toContain("at most 16384 characters");
    expect(err.message).not.toContain("non-empty");
    expect(err.message).not.toContain("sk-live");
    expect(String(err.value)).not.toContain("sk-live");
  });

  it("refuses at init() a header or API key that fetch would refuse on every export, naming it without showing it", async () => {
    const cases: [object, string][] = [
      [{ headers: { "bad header": "v" } }, "headers.bad header"],
      [{ headers: { "x-team": "sk-live-abc\r\nx-evil: 1" } }, "headers.x-team"],
      [{ headers: { "x-team": "sk-live-€" } }, "headers.x-team"],
      [{ apiKey: "sk-live-super\nsecretvalue" }, "apiKey"],
    ];
    for (const [options, field] of cases) {
      const err = configError(() => init({ ...options, flushOnExit: false, logger }));
      expect(err.field).toBe(field);
      expect(err.message).toContain("without a line break inside or characters past U+00FF");
      expect(err.message).not.toContain("sk-live");
    }
    expect(init({ headers: { "X-Scope_OrgID.v2": "caf\u00e9 \t tenant" }, exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
    await shutdown();
    // A secret read from a file ends in a newline, which fetch trims off.
    expect(init({ apiKey: "sk-live-from-a-file\n", headers: { "x-team": "agents\r\n" }, exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
  });

  it("ignores an OTEL_EXPORTER_OTLP_HEADERS value fetch would refuse, with a warning", () => {
    const warnings: string[] = [];
    withEnv({ OTEL_EXPORTER_OTLP_HEADERS: "x-a=%E2%82%AC" }, () => expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger: { warn: (m: string) => warnings.push(m) } })).toBe(true));
    expect(warnings.join("\n")).toContain("OTEL_EXPORTER_OTLP_HEADERS");
  });

  it("never shows a rejected API key or header value", () => {
    for (const options of [{ apiKey: ["sk-live-abcdef0123456789"] }, { headers: { authorization: ["Bearer sk-live-abcdef0123456789"] } }, { headers: "authorization=Bearer sk-live-abcdef0123456789" }]) {
      const err = configError(() => init({ ...(options as object), flushOnExit: false, logger }));
      expect(err.message).not.toContain("sk-live");
      expect(JSON.stringify(err.value) ?? "").not.toContain("sk-live");
    }
  });
});
