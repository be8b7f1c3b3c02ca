// `spanwise dev` through the built binary: the viewer receives what `spanwise check` sends, keeps
// it across a restart, and stops cleanly on Ctrl-C.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLI, requireBuiltCli, spanwise } from "./run-cli.js";

let dir: string;
const children: ChildProcess[] = [];

beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spanwise-dev-"));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `spanwise dev` and resolves with the URL it prints once it listens. */
async function startDev(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, "dev", "--port", "0", "--data", join(dir, "store")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", () => reject(new Error(`spanwise dev exited early:\n${out}`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  child.kill("SIGINT");
  return exited;
}

interface TraceList {
  traces: { rootName: string; spanCount: number }[];
}

describe("spanwise dev", () => {
  it("receives the trace `spanwise check` sends, keeps it across a restart, and exits 0 on SIGINT", async () => {
    const first = await startDev();
    const check = await spanwise(["check", "--endpoint", `${first.url}v1/traces`], dir);
    expect(check.stdout).toMatch(/Reachable: yes/);
    expect(check.code).toBe(0);

    const listed = (await (await fetch(`${first.url}api/traces`)).json()) as TraceList;
    expect(listed.traces).toHaveLength(1);
    expect(listed.traces[0]!.spanCount).toBeGreaterThanOrEqual(1);
    expect(await stop(first.child)).toBe(0);

    const second = await startDev();
    const again = (await (await fetch(`${second.url}api/traces`)).json()) as TraceList;
    expect(again.traces).toEqual(listed.traces);
    const page = await fetch(second.url);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await stop(second.child)).toBe(0);
  });

  it("ships in one file that needs only zod besides Node's built-ins (Hono is bundled)", () => {
    const text = readFileSync(CLI, "utf8");
    const specifiers = [...text.matchAll(/(?:^|[;\n])\s*import\s*[^;'"]*?from\s*['"]([^'"]+)['"]/g), ...text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
    expect(specifiers).toContain("zod/mini");
    expect(specifiers.filter((s) => !s.startsWith("node:") && s !== "zod/mini")).toEqual([]);
  });

  it("refuses a non-loopback host without a token, exit code 2", async () => {
    const run = await spanwise(["dev", "--host", "0.0.0.0", "--port", "0", "--data", join(dir, "store")], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--token/);
  });
});
