// The `spanwise` binary's command line: help, version, usage errors, init and doctor.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/core/resolve-config.js";
import { findConfigFile } from "../../src/runtimes/node/find-config-file.js";
import { CLI, requireBuiltCli, spanwise } from "./run-cli.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
let dir: string;

beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spanwise-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("help, version and usage errors", () => {
  it("is an executable with a node shebang", () => {
    expect(readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin).toEqual({ spanwise: "./dist/cli.js" });
  });

  it("--help lists every command and exits 0", async () => {
    const run = await spanwise(["--help"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: spanwise <command>/);
    for (const name of ["init", "doctor", "check", "dev"]) expect(run.stdout).toMatch(new RegExp(`\\n  ${name} +\\S`));
  });

  it("--help after a command shows that command's usage", async () => {
    for (const name of ["init", "doctor", "check", "dev"]) {
      const run = await spanwise([name, "--help"], dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: spanwise ${name}`));
    }
    expect((await spanwise(["help", "check"], dir)).stdout).toMatch(/^Usage: spanwise check \[--endpoint URL\]/);
  });

  it("--version prints the package.json version", async () => {
    expect(await spanwise(["--version"], dir)).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    expect((await spanwise(["-v"], dir)).stdout).toBe(`${version}\n`);
  });

  it("an unknown command, an unknown flag or no command at all exits 2 with the usage", async () => {
    const unknown = await spanwise(["deploy"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^spanwise: unknown command 'deploy'\n\nUsage: spanwise <command>/);
    const flag = await spanwise(["--verbose"], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--verbose'");
    const commandFlag = await spanwise(["init", "--forse"], dir);
    expect(commandFlag.code).toBe(2);
    expect(commandFlag.stderr).toMatch(/^spanwise init: unknown option '--forse'.*\n\nUsage: spanwise init/);
    const stray = await spanwise(["doctor", "extra"], dir);
    expect(stray.code).toBe(2);
    const none = await spanwise([], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: spanwise <command>");
  });

  it("prints every command's usage errors alike: a lower-case message, a blank line, the usage", async () => {
    for (const args of [["dev", "--verbose"], ["dev", "--port", "http"], ["dev", "--data"], ["dev", "--port="], ["check", "--endpoint"], ["doctor", "extra"]]) {
      const run = await spanwise(args, dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^spanwise ${args[0]}: [a-z-][^\\n]*\\n\\nUsage: spanwise ${args[0]}`));
    }
  });

  it("names the command or flag most likely meant by a misspelt one", async () => {
    const command = await spanwise(["doctr"], dir);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^spanwise: unknown command 'doctr' \(did you mean doctor\?\)\n\nUsage: spanwise <command>/);
    expect((await spanwise(["help", "chek"], dir)).stderr).toMatch(/^spanwise: unknown command 'chek' \(did you mean check\?\)\n/);
    expect((await spanwise(["--verison"], dir)).stderr).toMatch(/^spanwise: unknown option '--verison' \(did you mean --version\?\)\n/);
    expect((await spanwise(["init", "--forse"], dir)).stderr).toMatch(/^spanwise init: unknown option '--forse' \(did you mean --force\?\)\n\n/);
    expect((await spanwise(["dev", "--prot", "0"], dir)).stderr).toMatch(/^spanwise dev: unknown option '--prot' \(did you mean --port\?\)\n\n/);
    expect((await spanwise(["check", "--endpont=http://127.0.0.1:4318"], dir)).stderr).toMatch(/^spanwise check: unknown option '--endpont' \(did you mean --endpoint\?\)\n\n/);
    expect((await spanwise(["deploy"], dir)).stderr).toMatch(/^spanwise: unknown command 'deploy'\n/);
  });

  it("help with an unknown command says so on stderr, as the command itself would", async () => {
    const run = await spanwise(["help", "nope"], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^spanwise: unknown command 'nope'\n\nUsage: spanwise <command>/);
    expect(await spanwise(["help"], dir)).toMatchObject({ code: 0, stderr: "" });
  });

  it.each([["help", "help"], ["help", "--help"], ["help", "-h"]])("%s %s prints the general usage", async (...args) => {
    const run = await spanwise(args, dir);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^Usage: spanwise <command>/);
  });
});

describe("spanwise init", () => {
  it("writes a commented starter that init() and doctor accept as is", async () => {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@acme/support-bot" }));
    const run = await spanwise(["init"], dir);
    expect(run.code).toBe(0);
    const path = join(dir, "spanwise.config.json");
    expect(run.stdout).toContain(`Wrote ${path}`);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^\/\/ /m);
    expect(text).toContain('// "endpoint": "http://localhost:4318/v1/traces",');
    const config = resolveConfig(undefined, {}, {}, findConfigFile(dir));
    expect(config.serviceName).toBe("support-bot");
    const doctor = await spanwise(["doctor"], dir);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(new RegExp(`serviceName +"support-bot" +file:${path}`));
  });

  it("every commented-out option is valid once uncommented", async () => {
    await spanwise(["init"], dir);
    const path = join(dir, "spanwise.config.json");
    const uncommented = readFileSync(path, "utf8").replace(/^(\s*)\/\/ ("[a-zA-Z]+": .*)$/gm, "$1$2");
    expect(uncommented).not.toContain('// "');
    writeFileSync(path, uncommented);
    const config = resolveConfig(undefined, {}, {}, findConfigFile(dir));
    expect(config.endpoint).toBe("http://localhost:4318/v1/traces");
    expect(config.environment).toBe("development");
  });

  it("refuses to replace an existing file without --force, and replaces it with --force", async () => {
    const path = join(dir, "spanwise.config.json");
    writeFileSync(path, '{ "serviceName": "mine" }');
    const refused = await spanwise(["init"], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`spanwise init: ${path} already exists; left unchanged. Run \`spanwise init --force\` to replace it.\n`);
    expect(readFileSync(path, "utf8")).toBe('{ "serviceName": "mine" }');
    const forced = await spanwise(["init", "--force"], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("// spanwise configuration");
  });
});

describe("spanwise doctor", () => {
  it("shows each value with its source, found from a nested directory, secrets masked", async () => {
    const path = join(dir, "spanwise.config.json");
    writeFileSync(path, JSON.stringify({ serviceName: "from-file", sampleRate: 0.5, headers: { "x-honeycomb-team": "hcaik_0123456789abcdefghijklmnop", "x-short": "s3cr3t" } }));
    const nested = join(dir, "services", "api");
    mkdirSync(nested, { recursive: true });
    const apiKey = "sk-live-abcdefghijklmnopqrstuvwxyz0123";
    const run = await spanwise(["doctor"], nested, { SPANWISE_API_KEY: apiKey, OTEL_EXPORTER_OTLP_ENDPOINT: "https://api.example.com", SPANWISE_SAMPLE_RATE: "0.25" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Config file: ${path}`);
    const line = (key: string): string => run.stdout.split("\n").find((l) => l.startsWith(`  ${key} `)) ?? "";
    expect(line("serviceName")).toMatch(new RegExp(`"from-file" +file:${path}$`));
    expect(line("sampleRate")).toMatch(/ 0\.25 +env:SPANWISE_SAMPLE_RATE$/);
    expect(line("endpoint")).toMatch(/ https:\/\/api\.example\.com\/v1\/traces +env:OTEL_EXPORTER_OTLP_ENDPOINT$/);
    expect(line("maxQueueSize")).toMatch(/ 2048 +default$/);
    expect(line("apiKey")).toMatch(new RegExp(` sk-l…\\(${apiKey.length} chars\\) +env:SPANWISE_API_KEY$`));
    expect(line("headers")).toContain("{ x-honeycomb-team: hcai…(32 chars), x-short: **** }");
    expect(line("headers")).toMatch(new RegExp(` file:${path}$`));
    for (const secret of [apiKey, "hcaik_0123456789abcdefghijklmnop", "s3cr3t"]) expect(run.stdout).not.toContain(secret);
    expect(run.stdout).toContain("No problems found.");
  });

  it("shows a service name, version or environment taken from resource attributes, and where from", async () => {
    const path = join(dir, "spanwise.config.json");
    writeFileSync(path, JSON.stringify({ resourceAttributes: { "service.name": "billing" }, serviceVersion: "1.0.0" }));
    const run = await spanwise(["doctor"], dir, { OTEL_RESOURCE_ATTRIBUTES: "service.version=2.0.0,deployment.environment=prod" });
    expect(run.code).toBe(0);
    const line = (key: string): string => run.stdout.split("\n").find((l) => l.startsWith(`  ${key} `)) ?? "";
    expect(line("serviceName")).toMatch(new RegExp(`"billing" +file:${path} \\(resourceAttributes\\)$`));
    // The environment's attribute over the file's own option.
    expect(line("serviceVersion")).toMatch(/"2\.0\.0" +env:OTEL_RESOURCE_ATTRIBUTES$/);
    expect(line("environment")).toMatch(/"prod" +env:OTEL_RESOURCE_ATTRIBUTES$/);
  });

  it("masks the endpoint's query values, and refuses credentials in it without printing them", async () => {
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ endpoint: "https://collector.example.com/v1/traces?api_key=SECRET123&tenant=acme" }));
    const run = await spanwise(["doctor"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("https://collector.example.com/v1/traces?api_key=REDACTED&tenant=REDACTED");
    expect(run.stdout).not.toContain("SECRET123");
    const credentials = await spanwise(["doctor"], dir, { SPANWISE_ENDPOINT: "http://alice:hunter2@collector.example.com:4318" });
    expect(credentials.code).toBe(1);
    expect(credentials.stderr).toContain("invalid SPANWISE_ENDPOINT from environment: expected an http(s) URL without credentials; put them in headers or apiKey");
    expect(credentials.stdout + credentials.stderr).not.toContain("hunter2");
  });

  it("resolves redaction from the file as init() on Node does, the salt masked", async () => {
    const salt = "s3cret-salt-value";
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ redact: { mode: "hash", salt, keys: ["ssn"] } }));
    const run = await spanwise(["doctor"], dir);
    expect(run.code).toBe(0);
    const line = run.stdout.split("\n").find((l) => l.startsWith("  redact ")) ?? "";
    expect(line).toMatch(/ hash \(built-in: [a-z, ]*\bemail\b[a-z, ]*; keys: ssn; salt s3cr…\(17 chars\)\) +file:/);
    expect(run.stdout + run.stderr).not.toContain(salt);
  });

  it("says when no file was found", async () => {
    const run = await spanwise(["doctor"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Config file: none (no spanwise.config.json from ${dir} upward)`);
    expect(run.stdout).toMatch(/\n {2}serviceName +"unknown_service" +default\n/);
  });

  it("warns about likely mistakes", async () => {
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ sampleRate: 0, alwaysKeepErrors: false, exporters: [] }));
    const run = await spanwise(["doctor"], dir, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318/v1/traces", SPANWISE_SERVCE_NAME: "typo", OTEL_TRACES_EXPORTER: "none", SPANWISE_DEV_TOKEN: "the viewer's, read by spanwise dev" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Warnings (5):");
    expect(run.stdout).toContain(
      '! OTEL_TRACES_EXPORTER=none is set, but spanwise does not read it: choose exporters in init() or the config file ("otlp" with an endpoint, or "console"); to export nothing, turn tracing off with enabled: false (SPANWISE_ENABLED=false or OTEL_SDK_DISABLED=true).',
    );
    expect(run.stdout).toContain("! the endpoint path /v1/traces/v1/traces repeats /v1/traces (env:OTEL_EXPORTER_OTLP_ENDPOINT)");
    expect(run.stdout).toContain("! exporters is an empty list (file:");
    expect(run.stdout).toContain("it adds nothing, so spans go to the endpoint as without it.");
    expect(run.stdout).toContain("! sampleRate is 0 (file:");
    expect(run.stdout).toContain("no trace is kept.");
    expect(run.stdout).toContain("! SPANWISE_SERVCE_NAME is set, but spanwise reads no such variable (did you mean SPANWISE_SERVICE_NAME?).");

    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ exporters: ["otlp"] }));
    const otlpOnly = await spanwise(["doctor"], dir, {});
    expect(otlpOnly.stdout).toContain('! exporters lists "otlp" but no endpoint is set: nothing is sent over OTLP, and spans go to the console instead.');
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ exporters: [] }));
    expect((await spanwise(["doctor"], dir, {})).stdout).toContain("it adds nothing, so spans go to the console as without it.");

    const noPath = await spanwise(["doctor"], dir, { SPANWISE_ENDPOINT: "http://localhost:4318/otlp" });
    expect(noPath.stdout).toContain("! the endpoint path is /otlp (env:SPANWISE_ENDPOINT), not …/v1/traces");
  });

  it("warns that OTEL_TRACES_SAMPLER_ARG without a ratio sampler is ignored", async () => {
    const alone = await spanwise(["doctor"], dir, { OTEL_TRACES_SAMPLER_ARG: "0.1" });
    expect(alone.stdout).toMatch(/ sampleRate +1 +default\n/);
    expect(alone.stdout).toContain("! OTEL_TRACES_SAMPLER_ARG=0.1 is set without OTEL_TRACES_SAMPLER, so it is ignored: set OTEL_TRACES_SAMPLER=parentbased_traceidratio with it");
    const alwaysOn = await spanwise(["doctor"], dir, { OTEL_TRACES_SAMPLER: "always_on", OTEL_TRACES_SAMPLER_ARG: "0.1" });
    expect(alwaysOn.stdout).toContain("! OTEL_TRACES_SAMPLER_ARG=0.1 is ignored: OTEL_TRACES_SAMPLER=always_on takes no argument");
    const ratio = await spanwise(["doctor"], dir, { OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" });
    expect(ratio.stdout).toMatch(/ sampleRate +0\.1 +env:OTEL_TRACES_SAMPLER_ARG\n/);
    expect(ratio.stdout).not.toContain("OTEL_TRACES_SAMPLER_ARG=0.1");
  });

  it("warns about a credential in the endpoint's query over plain http, as about an API key", async () => {
    const run = await spanwise(["doctor"], dir, { SPANWISE_ENDPOINT: "http://collector.example.com:4318/v1/traces?api_key=SECRET123" });
    expect(run.stdout).toContain("! credentials would travel unencrypted: the endpoint collector.example.com:4318 uses http://, not https://.");
    expect(run.stdout).not.toContain("SECRET123");
    const plain = await spanwise(["doctor"], dir, { SPANWISE_ENDPOINT: "http://collector.example.com:4318/v1/traces?tenant=acme" });
    expect(plain.stdout).not.toContain("credentials would travel unencrypted");
    const tls = await spanwise(["doctor"], dir, { SPANWISE_ENDPOINT: "https://collector.example.com/v1/traces?api_key=SECRET123" });
    expect(tls.stdout).not.toContain("credentials would travel unencrypted");
  });

  it("exits 1 on an invalid file and says which file, field and form", async () => {
    const path = join(dir, "spanwise.config.json");
    writeFileSync(path, '{ "sampleRate": "half" }');
    const nested = join(dir, "src");
    mkdirSync(nested);
    const run = await spanwise(["doctor"], nested);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`spanwise: invalid sampleRate from ${path}: expected a number from 0 (keep no trace) to 1 (keep every trace), got "half"`);
    expect(run.stderr).toContain(`Fix sampleRate in ${path}`);
  });

  it("says where the JSON breaks once, names an unclosed comment, and asks to fix the JSON", async () => {
    const path = join(dir, "spanwise.config.json");
    writeFileSync(path, '{ "serviceName": "x" } x');
    const trailing = await spanwise(["doctor"], dir);
    expect(trailing.code).toBe(1);
    expect(trailing.stderr).toBe(
      `spanwise: ${path} is not valid JSON: Unexpected non-whitespace character after JSON at line 1, column 24 (comments and trailing commas are allowed)\nFix the JSON in ${path}, then run \`spanwise doctor\` again.\n`,
    );
    writeFileSync(path, '{\n  "serviceName": "x", /* "debug": true,\n  "sampleRate": 1\n}');
    const comment = await spanwise(["doctor"], dir);
    expect(comment.code).toBe(1);
    expect(comment.stderr).toContain(`is not valid JSON: the /* comment at line 2, column 23 is never closed (comments and trailing commas are allowed)`);
  });

  it("exits 1 on an invalid SPANWISE_* variable, naming it", async () => {
    const run = await spanwise(["doctor"], dir, { SPANWISE_SAMPLE_RATE: "half" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('spanwise: invalid SPANWISE_SAMPLE_RATE from environment: expected a number from 0 (keep no trace) to 1 (keep every trace), got "half"');
  });

  it("warns about an invalid OTEL_* variable and shows the configuration without it, as init() does", async () => {
    const run = await spanwise(["doctor"], dir, { OTEL_EXPORTER_OTLP_COMPRESSION: "brotli" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('invalid OTEL_EXPORTER_OTLP_COMPRESSION from environment: expected "gzip" or "none", got "brotli"; ignored');
    expect(run.stdout).toMatch(/compression +"gzip" +default/);
  });

  it("never prints the tokens of a malformed OTEL_EXPORTER_OTLP_HEADERS", async () => {
    const run = await spanwise(["doctor"], dir, { OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer sk-live-0123456789abcdef,broken" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("OTEL_EXPORTER_OTLP_HEADERS");
    expect(run.stdout + run.stderr).not.toContain("sk-live");
  });
});
