import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DevCommandIo, type Viewer, devCommand } from "../../src/cli/viewer/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spanwise-dev-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(): DevCommandIo & { lines: string[]; errors: string[]; stop(): void; viewer: Promise<Viewer> } {
  let stop!: () => void;
  let started!: (v: Viewer) => void;
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    stopped: new Promise<void>((resolve) => (stop = resolve)),
    stop: () => stop(),
    viewer: new Promise<Viewer>((resolve) => (started = resolve)),
    started: (v) => started(v),
  };
}

describe("spanwise dev", () => {
  it("serves the viewer on the given port and data folder until stopped, then returns 0", async () => {
    const o = io();
    const code = devCommand(["--port", "0", "--data", dir], o);
    const viewer = await o.viewer;
    expect(o.lines.join("\n")).toMatch(/viewer on http:\/\/127\.0\.0\.1:\d+\//);
    expect(o.lines.join("\n")).toContain(`${viewer.url}v1/traces`);
    expect((await fetch(`${viewer.url}api/health`)).status).toBe(200);
    o.stop();
    expect(await code).toBe(0);
    await expect(fetch(`${viewer.url}api/health`)).rejects.toThrow();
  });

  it("refuses another host without a token, with a message that says what to do", async () => {
    const o = io();
    expect(await devCommand(["--host", "0.0.0.0", "--port", "0", "--data", dir], o)).toBe(2);
    expect(o.errors.join("\n")).toMatch(/refusing to bind 0\.0\.0\.0 without --token/);
  });

  it("binds another host when a token is given, and requires it", async () => {
    const o = io();
    const code = devCommand(["--host=0.0.0.0", "--port=0", `--data=${dir}`, "--token", "t0k"], o);
    const viewer = await o.viewer;
    // Remote access goes to this machine's own addresses, not to the 127.0.0.1 of viewer.url.
    const addresses = Object.values(networkInterfaces()).flat().filter((a) => a !== undefined && !a.internal && a.family === "IPv4");
    const remote = o.lines.find((l) => l.startsWith("spanwise dev: from other machines: ") || l.includes("no address besides the loopback"));
    expect(remote).toBeDefined();
    for (const a of addresses) expect(remote).toContain(`http://${a!.address}:${viewer.port}/`);
    expect((await fetch(`${viewer.url}api/health`)).status).toBe(401);
    expect((await fetch(`${viewer.url}api/health`, { headers: { authorization: "Bearer t0k" } })).status).toBe(200);
    o.stop();
    expect(await code).toBe(0);
  });

  it("rejects unknown options and bad ports with exit code 2", async () => {
    const o = io();
    expect(await devCommand(["--verbose"], o)).toBe(2);
    expect(await devCommand(["--port", "http"], o)).toBe(2);
    expect(await devCommand(["--data"], o)).toBe(2);
    expect(o.errors.join("\n")).toMatch(/^spanwise dev: unknown option '--verbose'\n\nUsage: spanwise dev[\s\S]*--port must be a number[\s\S]*option '--data <value>' argument missing/);
  });

  it("says the port is taken and exits 1", async () => {
    const first = io();
    const running = devCommand(["--port", "0", "--data", dir], first);
    const viewer = await first.viewer;
    const second = io();
    expect(await devCommand(["--port", String(viewer.port), "--data", join(dir, "other")], second)).toBe(1);
    expect(second.errors.join("\n")).toMatch(/port \d+ is in use/);
    first.stop();
    await running;
  });
});

describe("the built viewer (dist/viewer.js)", () => {
  const bundle = join(root, "dist/viewer.js");

  it("bundles Hono and its Node server: it imports only node: built-ins", () => {
    const text = readFileSync(bundle, "utf8");
    const statics = [...text.matchAll(/(?:^|[;\n])\s*import\s*[^;'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    const dynamics = [...text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
    const specifiers = [...statics, ...dynamics];
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((s) => !s!.startsWith("node:"))).toEqual([]);
    expect(text.length).toBeLessThan(200 * 1024);
  });

  it("runs devCommand from the bundle and stops on SIGINT with exit code 0", async () => {
    const script = `import { devCommand } from ${JSON.stringify(bundle)}; process.exitCode = await devCommand(["--port", "0", "--data", ${JSON.stringify(dir)}]);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /viewer on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      child.on("exit", () => reject(new Error(out)));
    });
    const page = await fetch(url);
    expect(await page.text()).toContain("spanwise");
    const script2 = await fetch(`${url}assets/app.js`);
    expect(script2.headers.get("content-type")).toMatch(/javascript/);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
