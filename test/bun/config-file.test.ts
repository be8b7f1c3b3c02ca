// spanwise.config.json under Bun: found from the working directory upward, as on Node.
import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const probe = new URL("./fixtures/config-probe.ts", import.meta.url).pathname;

test("init() reads a spanwise.config.json found from the working directory upward", () => {
  const root = mkdtempSync(join(tmpdir(), "spanwise-bun-config-"));
  try {
    writeFileSync(join(root, "spanwise.config.json"), '{\n  // from the file\n  "serviceName": "bun-from-file",\n}\n');
    const cwd = join(root, "app", "src");
    mkdirSync(cwd, { recursive: true });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SPANWISE_") && !k.startsWith("OTEL_")) env[k] = v;
    const run = Bun.spawnSync([process.execPath, "run", probe], { cwd, env });
    expect(run.stderr.toString()).toBe("");
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout.toString().trim())).toEqual({ service: "bun-from-file" });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a spanwise.config.json that is not JSON fails init() with the line and column, as on Node", () => {
  const root = mkdtempSync(join(tmpdir(), "spanwise-bun-config-"));
  try {
    // JavaScriptCore's own message names no position ("JSON Parse error: Expected '}'").
    writeFileSync(join(root, "spanwise.config.json"), '{\n  "serviceName": "x"\n  "debug": true\n}');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SPANWISE_") && !k.startsWith("OTEL_")) env[k] = v;
    const run = Bun.spawnSync([process.execPath, "run", probe], { cwd: root, env });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr.toString()).toContain(`spanwise: ${join(root, "spanwise.config.json")} is not valid JSON: JSON Parse error: Expected '}' at line 3, column 3 (comments and trailing commas are allowed)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
