// spanwise.config.json through the public API on Node: discovery from the working directory
// upward, precedence explicit > environment > file > defaults, and errors that name the source,
// the field and the expected form.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, createMemoryExporter, flush, init, shutdown, span } from "spanwise/node";
import { resolveConfig } from "../../src/core/resolve-config.js";
import { configSources } from "../../src/core/config-sources.js";
import { optionsFromEnv } from "../../src/core/env.js";
import { parseConfigFile } from "../../src/core/parse-config-file.js";
import { findConfigFile } from "../../src/runtimes/node/find-config-file.js";
import { bundleWorker } from "../helpers/bundle-worker.js";
import { configError } from "../helpers/config-error.js";

const logger = { warn: () => {}, debug: () => {} };
const startDir = process.cwd();
const savedEnv = { ...process.env };
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "spanwise-config-"));
  for (const key of Object.keys(process.env)) if (key.startsWith("SPANWISE_") || key.startsWith("OTEL_")) delete process.env[key];
});

afterEach(async () => {
  await shutdown();
  process.chdir(startDir);
  process.env = { ...savedEnv };
  rmSync(root, { recursive: true, force: true });
});

function writeConfig(dir: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "spanwise.config.json");
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** init() in `cwd` with the given explicit options; the service.name the exported span carries. */
async function serviceNameFrom(cwd: string, explicit: Record<string, unknown> = {}): Promise<unknown> {
  process.chdir(cwd);
  const memory = createMemoryExporter();
  expect(init({ exporters: [memory], logger, flushOnExit: false, ...explicit })).toBe(true);
  span("probe", () => undefined);
  await flush();
  await shutdown();
  return memory.batches[0]?.resource["service.name"];
}

describe("discovery", () => {
  it("finds the file in a parent of the working directory", async () => {
    writeConfig(root, { serviceName: "from-root-file" });
    const nested = join(root, "packages", "api", "src");
    mkdirSync(nested, { recursive: true });
    expect(await serviceNameFrom(nested)).toBe("from-root-file");
  });

  it("takes the nearest file and ignores those further up", async () => {
    writeConfig(root, { serviceName: "outer" });
    writeConfig(join(root, "app"), { serviceName: "inner" });
    mkdirSync(join(root, "app", "lib"));
    expect(await serviceNameFrom(join(root, "app", "lib"))).toBe("inner");
    expect(findConfigFile(join(root, "app", "lib"))?.path).toBe(join(root, "app", "spanwise.config.json"));
  });

  it("walks up to the file system root and finds nothing when there is no file", () => {
    expect(findConfigFile(root)).toBeUndefined();
  });

  it("skips a directory named spanwise.config.json", () => {
    mkdirSync(join(root, "app", "spanwise.config.json"), { recursive: true });
    writeConfig(root, { serviceName: "the-file" });
    expect(findConfigFile(join(root, "app"))?.options).toEqual({ serviceName: "the-file" });
  });

  it("accepts comments, trailing commas and a $schema key", async () => {
    writeConfig(root, '// starter\n{\n  "$schema": "./spanwise.schema.json",\n  /* name */ "serviceName": "commented", // here\n  // "debug": true,\n}\n');
    expect(await serviceNameFrom(root)).toBe("commented");
  });
});

describe("precedence: explicit > environment > file > defaults", () => {
  it("resolves one field through all four layers", async () => {
    expect(await serviceNameFrom(root)).toBe("unknown_service");
    writeConfig(root, { serviceName: "from-file" });
    expect(await serviceNameFrom(root)).toBe("from-file");
    process.env.SPANWISE_SERVICE_NAME = "from-env";
    expect(await serviceNameFrom(root)).toBe("from-env");
    expect(await serviceNameFrom(root, { serviceName: "from-init" })).toBe("from-init");
  });

  it("takes service.name from resourceAttributes layer by layer: a layer's serviceName, else its attribute, init() over the environment over the file", async () => {
    const attrs = (name: string) => ({ resourceAttributes: { "service.name": name } });
    expect(await serviceNameFrom(root, attrs("init-attrs"))).toBe("init-attrs");
    writeConfig(root, attrs("file-attrs"));
    expect(await serviceNameFrom(root)).toBe("file-attrs");
    process.env.OTEL_RESOURCE_ATTRIBUTES = "service.name=env-attrs";
    expect(await serviceNameFrom(root)).toBe("env-attrs");
    expect(await serviceNameFrom(root, attrs("init-attrs"))).toBe("init-attrs");
    // An operator's OTEL_RESOURCE_ATTRIBUTES overrides a checked-in file's serviceName, as any variable does.
    writeConfig(root, { serviceName: "file-name" });
    expect(await serviceNameFrom(root)).toBe("env-attrs");
    // Within the environment, OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES (SDK environment variables spec).
    process.env.OTEL_SERVICE_NAME = "env-name";
    expect(await serviceNameFrom(root)).toBe("env-name");
    // init()'s own layer over both.
    expect(await serviceNameFrom(root, attrs("init-attrs"))).toBe("init-attrs");
    expect(await serviceNameFrom(root, { serviceName: "init-name", ...attrs("init-attrs") })).toBe("init-name");
  });

  it("takes service.version and deployment.environment.name from resourceAttributes too, init()'s over OTEL_RESOURCE_ATTRIBUTES", async () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES = "service.version=env,deployment.environment.name=env";
    const memory = createMemoryExporter();
    init({ exporters: [memory], logger, flushOnExit: false, resourceAttributes: { "service.version": "2.0.0", "deployment.environment.name": "staging" } });
    span("probe", () => undefined);
    await flush();
    expect(memory.batches[0]?.resource).toMatchObject({ "service.version": "2.0.0", "deployment.environment.name": "staging" });
  });

  it("merges headers and resource attributes across layers, the higher layer winning per key", () => {
    const file = parseConfigFile(JSON.stringify({ headers: { a: "file", b: "file" }, resourceAttributes: { "team.name": "file", "region.name": "file" } }), "/cfg/spanwise.config.json");
    const names: Record<string, string> = {};
    const env = optionsFromEnv({ OTEL_EXPORTER_OTLP_HEADERS: "b=env,c=env", OTEL_RESOURCE_ATTRIBUTES: "region.name=env" }, names);
    const config = resolveConfig({ headers: { c: "init" } }, env, names, file);
    expect(config.headers).toEqual({ a: "file", b: "env", c: "init" });
    expect(config.resourceAttributes).toEqual({ "team.name": "file", "region.name": "env" });
  });

  it("appends /v1/traces to a bare origin in the file, like the option", () => {
    const file = parseConfigFile('{ "endpoint": "http://collector:4318" }', "/cfg/spanwise.config.json");
    expect(resolveConfig(undefined, {}, {}, file).endpoint).toBe("http://collector:4318/v1/traces");
  });

  it("reports where every field came from, only when asked", () => {
    const file = parseConfigFile(JSON.stringify({ serviceName: "f", endpoint: "http://f:4318", sampleRate: 0.5, headers: { a: "1" } }), "/cfg/spanwise.config.json");
    const names: Record<string, string> = {};
    const env = optionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://e:4318", OTEL_EXPORTER_OTLP_HEADERS: "b=2" }, names);
    const explicit = { sampleRate: 0.25 };
    const config = resolveConfig(explicit, env, names, file);
    const sources = configSources(config, explicit, env, names, file);
    expect(sources.sampleRate).toBe("explicit");
    expect(sources.endpoint).toBe("env:OTEL_EXPORTER_OTLP_ENDPOINT");
    expect(sources.serviceName).toBe("file:/cfg/spanwise.config.json");
    expect(sources.maxQueueSize).toBe("default");
    expect(sources.headers).toBe("env:OTEL_EXPORTER_OTLP_HEADERS + file:/cfg/spanwise.config.json");
  });
});

describe("errors name the source, the field and the expected form", () => {
  it("an unknown key in the file", () => {
    const path = writeConfig(root, { serviceName: "x", sampleRatio: 0.5 });
    process.chdir(root);
    const err = configError(() => init({ logger }));
    expect(err.source).toBe(path);
    expect(err.field).toBe("sampleRatio");
    expect(err.message).toContain(`from ${path}`);
    expect(err.message).toBe(`spanwise: unknown option sampleRatio from ${path}: did you mean sampleRate? (known: ${err.message.split("(known: ")[1]}`);
    expect(err.message).toContain("(known: serviceName, serviceVersion,");
  });

  it("a bad value in the file, even where a variable overrides it", () => {
    const path = writeConfig(root, { sampleRate: 2 });
    process.env.SPANWISE_SAMPLE_RATE = "0.5";
    process.chdir(root);
    const err = configError(() => init({ logger }));
    expect(err.message).toBe(`spanwise: invalid sampleRate from ${path}: expected a number from 0 (keep no trace) to 1 (keep every trace), got 2`);
  });

  it("a nested field in the file", () => {
    const path = writeConfig(root, { headers: { "x-api-key": 42 } });
    const err = configError(() => resolveConfig(undefined, {}, {}, findConfigFile(root)));
    expect(err.message).toBe(`spanwise: invalid headers.x-api-key from ${path}: expected an object of header names (letters, digits and !#$%&'*+.^_\`|~-) to string values without a line break inside or characters past U+00FF, got 42`);
  });

  it("a redact field in the file", () => {
    const path = writeConfig(root, { redact: { mode: "scramble" } });
    const err = configError(() => resolveConfig(undefined, {}, {}, findConfigFile(root)));
    expect(err.message).toBe(`spanwise: invalid redact.mode from ${path}: expected "mask", "remove" or "hash", got "scramble"`);
  });

  it("an option only code can give", () => {
    const path = writeConfig(root, { processors: [] });
    const err = configError(() => findConfigFile(root));
    expect(err.source).toBe(path);
    expect(err.field).toBe("processors");
    expect(err.message).toBe(`spanwise: processors cannot be set in ${path}: it takes code (functions, objects with methods), so pass it to init()`);
    writeConfig(root, { exporters: ["otlp", { name: "mine" }] });
    expect(configError(() => findConfigFile(root)).message).toBe(`spanwise: invalid exporters[1] from ${path}: expected "console" or "otlp" (pass exporter objects to init()), got {"name":"mine"}`);
  });

  it("a file that is not JSON, with the line and column", () => {
    const path = writeConfig(root, '{\n  "serviceName": "x"\n  "debug": true\n}');
    const err = configError(() => findConfigFile(root));
    expect(err.source).toBe(path);
    expect(err.message).toMatch(new RegExp(`^spanwise: ${path} is not valid JSON: .* at line 3, column 3 \\(comments and trailing commas are allowed\\)$`));
  });

  it("a file that holds no object", () => {
    const path = writeConfig(root, "[]");
    expect(configError(() => findConfigFile(root)).message).toBe(`spanwise: invalid contents from ${path}: expected a JSON object of options, such as { "serviceName": "my-service" }, got []`);
  });

  it("an environment variable, named", () => {
    process.env.SPANWISE_DEBUG = "sometimes";
    const err = configError(() => init({ logger }));
    expect(err.message).toBe('spanwise: invalid SPANWISE_DEBUG from environment: expected true or false (or 1 / 0, yes / no, on / off), got "sometimes"');
  });

  it("an endpoint that is no URL, and one with credentials, each told what is wrong", () => {
    expect(configError(() => init({ logger, endpoint: "nope" })).message).toBe('spanwise: invalid endpoint from init(): expected an http(s) URL such as http://localhost:4318/v1/traces, got "nope"');
    expect(configError(() => init({ logger, endpoint: "https://me:secret@collector.example.com/v1/traces" })).message).toBe(
      'spanwise: invalid endpoint from init(): expected an http(s) URL without credentials; put them in headers or apiKey, got "https://REDACTED:REDACTED@collector.example.com/v1/traces"',
    );
  });

  it("an empty serviceName", () => {
    expect(configError(() => init({ logger, serviceName: "" })).message).toBe('spanwise: invalid serviceName from init(): expected a non-empty string, got ""');
  });

  it("an init() option", () => {
    writeConfig(root, { serviceName: "fine" });
    process.chdir(root);
    expect(configError(() => init({ logger, maxQueueSize: 0 })).message).toBe("spanwise: invalid maxQueueSize from init(): expected an integer from 1 to 10000000, got 0");
  });

  it("a cross-field rule names the layer the value came from", () => {
    const path = writeConfig(root, { maxExportBatchSize: 4096 });
    expect(configError(() => resolveConfig(undefined, {}, {}, findConfigFile(root))).message).toBe(`spanwise: invalid maxExportBatchSize from ${path}: expected at most maxQueueSize (2048), got 4096`);
  });
});

describe("the Worker build", () => {
  it("contains nothing of the config file layer", async () => {
    const worker = await bundleWorker(fileURLToPath(new URL("../workers/fixtures/worker.ts", import.meta.url)));
    expect(worker).toContain("resolveConfig");
    for (const marker of ["spanwise.config.json", "readFileSync", "readTextFileSync", "stripJsonComments", "configSources"]) expect(worker).not.toContain(marker);
  });
});

describe("endpoint credentials", () => {
  it("refuses a user name or password in endpoint, from init(), the environment or a file, without repeating them", () => {
    const url = "https://alice:hunter2@collector.example.com/v1/traces";
    const expected = /invalid endpoint from init\(\): expected an http\(s\) URL without credentials; put them in headers or apiKey/;
    expect(() => resolveConfig({ endpoint: url })).toThrow(expected);
    expect(() => resolveConfig({ endpoint: "https://alice@collector.example.com" })).toThrow(ConfigError);
    const names: Record<string, string> = {};
    expect(() => resolveConfig({}, optionsFromEnv({ SPANWISE_ENDPOINT: url }, names), names)).toThrow(/invalid SPANWISE_ENDPOINT from environment: expected an http\(s\) URL without credentials/);
    const file = parseConfigFile(JSON.stringify({ endpoint: url }), "/cfg/spanwise.config.json");
    expect(() => resolveConfig({}, {}, {}, file)).toThrow(/invalid endpoint from \/cfg\/spanwise.config.json: expected an http\(s\) URL without credentials/);
    for (const attempt of [() => resolveConfig({ endpoint: url }), () => resolveConfig({}, optionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: url }))]) {
      try {
        attempt();
        expect.unreachable();
      } catch (err) {
        expect((err as Error).message).not.toContain("hunter2");
        expect((err as Error).message).not.toContain("alice");
      }
    }
    expect(resolveConfig({ endpoint: "https://collector.example.com/v1/traces?tenant=a" }).endpoint).toBe("https://collector.example.com/v1/traces?tenant=a");
  });
});

