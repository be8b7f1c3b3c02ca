import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, createMemoryExporter, flush, init, type MemoryExporter, observe, shutdown, span, SpanwiseError, stats } from "spanwise/node";
import { normaliseEndpoint } from "./config.js";
import { resolveConfig } from "./resolve-config.js";
import { type IgnoredVariable, optionsFromEnv } from "./env.js";
import { type Collector, startCollector } from "../../test/helpers/collector.js";

const logger = { warn: () => {}, debug: () => {} };

/** The collector's origin, to build the endpoints under test from. */
const origin = (c: Collector): string => `http://127.0.0.1:${c.port}`;

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

let savedEnv: NodeJS.ProcessEnv;
const servers: { close(): Promise<void> }[] = [];

beforeEach(() => {
  savedEnv = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("OTEL_") || key.startsWith("SPANWISE_")) delete process.env[key];
});

afterEach(async () => {
  await shutdown();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Starts spanwise with an in-memory exporter beside whatever the options configure. */
function startWith(options: Record<string, unknown> = {}): MemoryExporter {
  const memory = createMemoryExporter();
  expect(init({ exporters: [memory], flushOnExit: false, logger, scheduleDelayMs: 60_000, exportTimeoutMs: 2_000, ...options })).toBe(true);
  return memory;
}

async function resourceOf(memory: MemoryExporter): Promise<Record<string, unknown>> {
  span("probe", () => undefined);
  await flush();
  expect(memory.batches.length).toBeGreaterThan(0);
  return memory.batches[0]!.resource;
}

describe("init validation", () => {
  it.each<[string, unknown, string]>([
    ["an endpoint that is not a URL", { endpoint: "not a url" }, "endpoint"],
    ["an endpoint that is not http(s)", { endpoint: "ftp://collector:21/v1/traces" }, "endpoint"],
    ["an unknown option", { foo: 1 }, "foo"],
    ["a misspelt option", { sampelRate: 0.5 }, "sampelRate"],
    ["a negative maxQueueSize", { maxQueueSize: -1 }, "maxQueueSize"],
    ["a fractional maxQueueSize", { maxQueueSize: 1.5 }, "maxQueueSize"],
    ["a header with a number value", { headers: { "x-api-key": 1 } }, "headers"],
    ["an empty serviceName", { serviceName: "" }, "serviceName"],
    ["a non-boolean captureInput", { captureInput: "yes" }, "captureInput"],
    ["an exporter without export()", { exporters: [{}] }, "exporters"],
    ["a batch larger than the queue", { maxQueueSize: 10, maxExportBatchSize: 20 }, "maxExportBatchSize"],
    ["a resource attribute that is an object", { resourceAttributes: { team: {} } }, "resourceAttributes"],
    ["a model price that is negative", { pricing: { "my-ft-*": { input: -1, output: 2 } } }, "pricing"],
    ["a model price with a misspelt field", { pricing: { "my-ft-*": { input: 1, output: 2, cachedRead: 0.1 } } }, "pricing"],
    ["a listed model price with a misspelt field", { pricing: [{ model: /ft/, input: 1, output: 2, cache_read: 0.1 }] }, "pricing"],
    ["a one-hour cache write price that is not a number", { pricing: { "my-ft-*": { input: 1, output: 2, cacheWrite1h: "4" } } }, "pricing"],
    ["options that are not an object", "options", "options"],
    ["options that are an array", [], "options"],
  ])("throws a ConfigError naming the field for %s", (_label, options, field) => {
    const err = catchError(() => init(options as never));
    expect(ConfigError.isInstance(err)).toBe(true);
    expect(SpanwiseError.isInstance(err)).toBe(true);
    expect(err).toBeInstanceOf(Error);
    const e = err as ConfigError;
    expect(e.name).toBe("ConfigError");
    expect(e.field === field || e.field.startsWith(`${field}.`)).toBe(true);
    expect(e.message).toContain(field);
    expect(e.source).toBe("init()");
    expect(stats().enabled).toBe(false);
  });

  it("reports the bad value on the error", () => {
    const err = catchError(() => init({ maxQueueSize: -1 })) as ConfigError;
    expect(err.value).toBe(-1);
    expect(err.message).toContain("-1");
    expect(ConfigError.isInstance(new Error("plain"))).toBe(false);
    expect(ConfigError.isInstance(new SpanwiseError("base"))).toBe(false);
  });

  it("accepts every documented option", () => {
    expect(
      init({
        serviceName: "svc",
        serviceVersion: "1.2.3",
        environment: "test",
        enabled: true,
        debug: false,
        endpoint: "http://localhost:4318",
        headers: { "x-a": "1" },
        apiKey: "key",
        exporters: [createMemoryExporter(), "otlp"],
        resourceAttributes: { team: "ai", shard: 3, canary: true },
        captureInput: true,
        captureOutput: false,
        maxAttributes: 64,
        maxAttributeValueLength: 4096,
        maxEvents: 10,
        maxLinks: 10,
        maxQueueSize: 100,
        maxExportBatchSize: 50,
        scheduleDelayMs: 500,
        exportTimeoutMs: 1000,
        flushOnExit: false,
        logger,
        fetch: globalThis.fetch,
      }),
    ).toBe(true);
  });
});

describe("endpoint normalisation", () => {
  it.each([
    ["http://collector:4318", "http://collector:4318/v1/traces"],
    ["http://collector:4318/", "http://collector:4318/v1/traces"],
    ["https://api.example.com/otlp/v1/traces", "https://api.example.com/otlp/v1/traces"],
    ["http://collector:4318/custom", "http://collector:4318/custom"],
  ])("turns %s into %s", (given, expected) => {
    expect(normaliseEndpoint(given)).toBe(expected);
    expect(resolveConfig({ endpoint: given }).endpoint).toBe(expected);
  });
});

describe("environment (node runtime, process.env)", () => {
  it("sends to SPANWISE_ENDPOINT", async () => {
    const server = await startCollector();
    servers.push(server);
    process.env.SPANWISE_ENDPOINT = `${origin(server)}/ingest/traces`;
    startWith();
    span("x", () => undefined);
    await flush();
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: "POST", url: "/ingest/traces" });
    expect(server.requests[0]!.body?.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name).toBe("x");
  });

  it("appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const server = await startCollector();
    servers.push(server);
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `${origin(server)}/base/`;
    startWith();
    span("x", () => undefined);
    await flush();
    expect(server.requests.map((r) => r.url)).toEqual(["/base/v1/traces"]);
  });

  it("uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, ahead of OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const server = await startCollector();
    servers.push(server);
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `${origin(server)}/custom/path`;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `${origin(server)}/ignored`;
    startWith();
    span("x", () => undefined);
    await flush();
    expect(server.requests.map((r) => r.url)).toEqual(["/custom/path"]);
  });

  // A Worker's non-string [vars] reach optionsFromEnv as JSON values.
  it("reads number and boolean values as their text, and reports any other value as malformed", () => {
    expect(optionsFromEnv({ SPANWISE_SAMPLE_RATE: 0, SPANWISE_ENABLED: false, OTEL_SPAN_EVENT_COUNT_LIMIT: 5 })).toEqual({ sampleRate: 0, enabled: false, maxEvents: 5 });
    const names: Record<string, string> = {};
    const env = optionsFromEnv({ SPANWISE_SERVICE_NAME: { name: "api" }, SPANWISE_REDACT: { mode: "mask" } }, names);
    expect(catchError(() => resolveConfig({}, env, names))).toMatchObject({ field: "SPANWISE_SERVICE_NAME", value: { name: "api" } });
    expect(catchError(() => resolveConfig({ serviceName: "api" }, env, names))).toMatchObject({ field: "SPANWISE_REDACT", value: '{"mode":"mask"}' });
    const salted = optionsFromEnv({ SPANWISE_REDACT: "hash", SPANWISE_REDACT_SALT: { secret: 1 } });
    expect(salted.redact).toEqual({ mode: "hash", salt: { secret: 1 } });
    expect(catchError(() => resolveConfig({}, salted, { redact: "SPANWISE_REDACT" }))).toMatchObject({ name: "ConfigError" });
    // OTEL_* ones are ignored with a warning showing the value; a per-signal one gives way to the general one.
    const ignored: IgnoredVariable[] = [];
    const otel = optionsFromEnv({ OTEL_RESOURCE_ATTRIBUTES: ["a=b"], OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: ["gzip"], OTEL_EXPORTER_OTLP_COMPRESSION: "none" }, {}, ignored);
    expect(otel).toEqual({ compression: "none" });
    expect(ignored.map((i) => i.message)).toEqual([
      'invalid OTEL_RESOURCE_ATTRIBUTES from environment: expected comma-separated key=value pairs, got ["a=b"]; ignored, as if unset.',
      'invalid OTEL_EXPORTER_OTLP_TRACES_COMPRESSION from environment: expected "gzip" or "none", got ["gzip"]; ignored, as if unset.',
    ]);
  });

  it("prefers SPANWISE_ENDPOINT over the OTEL endpoints", () => {
    expect(
      optionsFromEnv({
        SPANWISE_ENDPOINT: "http://a:1/x",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:2/y",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:3",
      }).endpoint,
    ).toBe("http://a:1/x");
  });

  it("sends OTEL_EXPORTER_OTLP_HEADERS, percent-decoded, and SPANWISE_API_KEY as a bearer token", async () => {
    const server = await startCollector();
    servers.push(server);
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = origin(server);
    process.env.OTEL_EXPORTER_OTLP_HEADERS = "x-tenant=acme%20corp, x-team = ai";
    process.env.SPANWISE_API_KEY = "sk-test-123";
    startWith();
    span("x", () => undefined);
    await flush();
    const headers = server.requests[0]!.headers;
    expect(headers["x-tenant"]).toBe("acme corp");
    expect(headers["x-team"]).toBe("ai");
    expect(headers.authorization).toBe("Bearer sk-test-123");
    expect(headers["content-type"]).toBe("application/x-protobuf");
  });

  it("merges explicit headers over environment headers", async () => {
    const server = await startCollector();
    servers.push(server);
    process.env.OTEL_EXPORTER_OTLP_HEADERS = "x-a=env,x-b=env";
    startWith({ endpoint: origin(server), headers: { "x-b": "explicit" } });
    span("x", () => undefined);
    await flush();
    expect(server.requests[0]!.headers["x-a"]).toBe("env");
    expect(server.requests[0]!.headers["x-b"]).toBe("explicit");
  });

  it("takes service.name from OTEL_SERVICE_NAME and extra resource attributes from OTEL_RESOURCE_ATTRIBUTES", async () => {
    process.env.OTEL_SERVICE_NAME = "support-bot";
    process.env.OTEL_RESOURCE_ATTRIBUTES = "team=ai,region=eu%2Dwest,service.name=from-resource,service.version=9.9";
    const resource = await resourceOf(startWith());
    expect(resource["service.name"]).toBe("support-bot");
    expect(resource.team).toBe("ai");
    expect(resource.region).toBe("eu-west");
    expect(resource["service.version"]).toBe("9.9");
    expect(resource["telemetry.sdk.name"]).toBe("spanwise");
    expect(resource["telemetry.sdk.language"]).toBe("nodejs");
  });

  it("falls back to service.name in OTEL_RESOURCE_ATTRIBUTES, then to unknown_service", async () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES = "service.name=from-resource";
    expect((await resourceOf(startWith()))["service.name"]).toBe("from-resource");
    await shutdown();
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    expect((await resourceOf(startWith()))["service.name"]).toBe("unknown_service");
  });

  it("reads SPANWISE_SERVICE_NAME, SPANWISE_SERVICE_VERSION and SPANWISE_ENVIRONMENT", async () => {
    process.env.OTEL_SERVICE_NAME = "otel-name";
    process.env.SPANWISE_SERVICE_NAME = "spanwise-name";
    process.env.SPANWISE_SERVICE_VERSION = "1.0.0";
    process.env.SPANWISE_ENVIRONMENT = "staging";
    const resource = await resourceOf(startWith());
    expect(resource["service.name"]).toBe("spanwise-name");
    expect(resource["service.version"]).toBe("1.0.0");
    expect(resource["deployment.environment.name"]).toBe("staging");
  });

  it("turns everything into a no-op with OTEL_SDK_DISABLED=true", async () => {
    process.env.OTEL_SDK_DISABLED = "true";
    const memory = createMemoryExporter();
    expect(init({ exporters: [memory], flushOnExit: false, logger })).toBe(false);
    expect(stats().enabled).toBe(false);
    expect(observe((x: number) => x + 1)(1)).toBe(2);
    expect(span("x", () => "ran")).toBe("ran");
    await flush();
    expect(memory.spans).toHaveLength(0);
  });

  it("lets an explicit enabled: true override OTEL_SDK_DISABLED", () => {
    process.env.OTEL_SDK_DISABLED = "true";
    expect(init({ enabled: true, exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
  });

  it("lets SPANWISE_ENABLED=true override OTEL_SDK_DISABLED=true", () => {
    process.env.OTEL_SDK_DISABLED = "true";
    process.env.SPANWISE_ENABLED = "true";
    expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
  });

  it.each([
    ["SPANWISE_ENABLED", "maybe"],
    ["SPANWISE_DEBUG", "loud"],
    ["SPANWISE_ENDPOINT", "not a url"],
    ["SPANWISE_SERVICE_NAME", "x".repeat(2000)],
  ])("throws a ConfigError naming %s when it is malformed", (name, value) => {
    process.env[name] = value;
    const err = catchError(() => init({ exporters: [createMemoryExporter()], flushOnExit: false, logger })) as ConfigError;
    expect(ConfigError.isInstance(err)).toBe(true);
    expect(err.field).toBe(name);
    expect(err.source).toBe("environment");
    expect(err.message).toContain(name);
    expect(stats().enabled).toBe(false);
  });

  it("ignores an OTEL_SDK_DISABLED value other than true, as the OpenTelemetry spec says", () => {
    process.env.OTEL_SDK_DISABLED = "perhaps";
    expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
  });

  it("never reports an environment value that an explicit option overrides", () => {
    process.env.SPANWISE_DEBUG = "loud";
    process.env.SPANWISE_ENDPOINT = "not a url";
    expect(init({ debug: false, endpoint: "http://127.0.0.1:4318", exporters: [createMemoryExporter()], flushOnExit: false, logger })).toBe(true);
  });

  it("uses OTEL_EXPORTER_OTLP_TRACES_ENDPOINT exactly as given, even a bare origin", () => {
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = "http://collector.internal:4318";
    const names: Record<string, string> = {};
    expect(optionsFromEnv(process.env, names).endpoint).toBe("http://collector.internal:4318");
    expect(names.endpoint).toBe("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  });

  it.each([
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector"],
    ["OTEL_EXPORTER_OTLP_HEADERS", "=novalue"],
    ["OTEL_RESOURCE_ATTRIBUTES", "bad%ZZ=1,team=%E0%A4%A"],
    ["OTEL_SERVICE_NAME", "x".repeat(2000)],
  ])("warns about a malformed %s, names it, and starts without it", (name, value) => {
    process.env[name] = value;
    const warnings: string[] = [];
    expect(init({ exporters: [createMemoryExporter()], flushOnExit: false, logger: { warn: (m: string) => warnings.push(m) } })).toBe(true);
    expect(warnings.filter((w) => w.includes(`invalid ${name} from environment`))).toHaveLength(1);
  });

  it("skips empty environment variables", async () => {
    process.env.OTEL_SERVICE_NAME = "";
    process.env.SPANWISE_ENABLED = "  ";
    process.env.SPANWISE_ENDPOINT = "";
    expect((await resourceOf(startWith()))["service.name"]).toBe("unknown_service");
  });
});

describe("precedence: explicit > environment > defaults", () => {
  it("uses the explicit serviceName over OTEL_SERVICE_NAME, and the default when neither is set", async () => {
    process.env.OTEL_SERVICE_NAME = "from-env";
    expect((await resourceOf(startWith({ serviceName: "explicit" })))["service.name"]).toBe("explicit");
    await shutdown();
    expect((await resourceOf(startWith()))["service.name"]).toBe("from-env");
    await shutdown();
    delete process.env.OTEL_SERVICE_NAME;
    expect((await resourceOf(startWith()))["service.name"]).toBe("unknown_service");
  });

  it("sends to the explicit endpoint rather than the environment's", async () => {
    const fromEnv = await startCollector();
    const explicit = await startCollector();
    servers.push(fromEnv, explicit);
    process.env.SPANWISE_ENDPOINT = `${origin(fromEnv)}/v1/traces`;
    startWith({ endpoint: `${origin(explicit)}/v1/traces` });
    span("x", () => undefined);
    await flush();
    expect(explicit.requests).toHaveLength(1);
    expect(fromEnv.requests).toHaveLength(0);
  });

  it("merges explicit resource attributes over the environment's", async () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES = "team=env,region=eu";
    const resource = await resourceOf(startWith({ resourceAttributes: { team: "explicit", shard: 2 } }));
    expect(resource).toMatchObject({ team: "explicit", region: "eu", shard: 2 });
  });

  it("applies the defaults when nothing is given", () => {
    const config = resolveConfig(undefined, {});
    expect(config).toMatchObject({
      serviceName: "unknown_service",
      enabled: true,
      captureInput: true,
      captureOutput: true,
      maxAttributes: 128,
      maxAttributeValueLength: 16384,
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      scheduleDelayMs: 1000,
      exportTimeoutMs: 10000,
      flushOnExit: true,
      endpoint: undefined,
      headers: {},
    });
  });

  it("reports an unreachable endpoint through stats().lastError, naming it", async () => {
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = "http://127.0.0.1:9/from-env";
    startWith({ exportTimeoutMs: 500 });
    span("x", () => undefined);
    await flush();
    expect(stats().exportErrors).toBe(1);
    expect(stats().lastError).toContain("http://127.0.0.1:9/from-env");
  });
});
