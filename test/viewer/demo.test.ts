// `npm run demo` when port 4318 is already taken: by a spanwise viewer (send the trace there), or
// by something else (start the demo's own viewer on a free port).
import { execFile } from "node:child_process";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Viewer, startViewer } from "../../src/cli/viewer/index.js";
import type { TraceSummary } from "../../src/cli/viewer/types.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
const cleanup: (() => Promise<void>)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spanwise-demo-"));
});
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
  rmSync(dir, { recursive: true, force: true });
});

function demo(port: number, data: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, SPANWISE_ENDPOINT: "", OPENAI_API_KEY: "" };
  return new Promise((resolve) => {
    execFile(join(root, "node_modules/.bin/tsx"), ["examples/agent/main.ts", "--once", "--port", String(port), "--data", data], { cwd: root, env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe("npm run demo on a taken port", () => {
  it("sends its trace to the spanwise viewer already running there, and starts none of its own", async () => {
    // The README's flow: `npm run demo` again while the first serves, both on the default folder.
    const viewer: Viewer = await startViewer({ port: 0, dataDir: join(dir, "shared") });
    cleanup.push(() => viewer.close());
    const run = await demo(viewer.port, join(dir, "shared"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`a spanwise viewer already runs at ${viewer.url}: sending the trace there`);
    const traceId = new RegExp(`viewer: ${viewer.url}#/trace/([0-9a-f]{32})`).exec(run.stdout)?.[1];
    expect(traceId).toBeDefined();
    const list = (await (await fetch(`${viewer.url}api/traces`)).json()) as { traces: TraceSummary[] };
    expect(list.traces.map((t) => t.traceId)).toContain(traceId);
    expect(run.stderr).toBe("");
  }, 90_000);

  it("keeps its traces in a folder of its own when another viewer, on another port, uses the data folder", async () => {
    const viewer: Viewer = await startViewer({ port: 0, dataDir: join(dir, "shared") });
    cleanup.push(() => viewer.close());
    const run = await demo(0, join(dir, "shared"));
    expect(run.code).toBe(0);
    const own = /keeping this run's traces in (\S+) instead/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain(`another spanwise viewer (pid ${process.pid}) is using the data folder ${join(dir, "shared")}`);
    expect(own).toBeDefined();
    cleanup.push(async () => rmSync(own as string, { recursive: true, force: true }));
    expect(run.stdout).toMatch(/spans: (\d+) ended, \1 exported, 0 failed/);
    expect(existsSync(join(own as string, "traces.jsonl"))).toBe(true);
  }, 90_000);

  it("starts its viewer on a free port when something else holds the port", async () => {
    const other: Server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => new Promise((resolve) => other.close(() => resolve())));
    const port = (other.address() as AddressInfo).port;
    const run = await demo(port, join(dir, "own"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`port ${port} is taken by something that is not a spanwise viewer; starting the viewer on a free port`);
    expect(run.stdout).toMatch(/spans: (\d+) ended, \1 exported, 0 failed/);
    expect(existsSync(join(dir, "own", "traces.jsonl"))).toBe(true);
  }, 90_000);
});
