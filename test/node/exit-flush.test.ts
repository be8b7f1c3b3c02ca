import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Collector, startCollector } from "../helpers/collector.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(name: string, env: Record<string, string>): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; ready: Promise<void> } {
  const child = spawn(process.execPath, [fixture(name)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const ready = new Promise<void>((resolve) => child.stdout?.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, ready };
}

describe("spanwise/node exit flushing", () => {
  let receiver: Collector;
  beforeEach(async () => {
    receiver = await startCollector();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it("delivers every span when the process ends on its own, and exits with code 0", async () => {
    const { exited } = run("exit-normally.mjs", { RECEIVER_URL: receiver.url });
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(["child-1", "child-2", "root"]);
  });

  it("flushes on SIGTERM and still dies by the signal when nobody else handles it", async () => {
    const { child, exited, ready } = run("wait-for-signal.mjs", { RECEIVER_URL: receiver.url });
    await ready;
    expect(receiver.spans()).toHaveLength(0);
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(["before-signal", "inner"]);
  });

  it("flushes on SIGINT the same way", async () => {
    const { child, exited, ready } = run("wait-for-signal.mjs", { RECEIVER_URL: receiver.url });
    await ready;
    child.kill("SIGINT");
    expect(await exited).toEqual({ code: null, signal: "SIGINT" });
    expect(receiver.spans()).toHaveLength(2);
  });

  it("leaves a user's own SIGTERM handler in charge of the exit code", async () => {
    const { child, exited, ready } = run("wait-for-signal.mjs", { RECEIVER_URL: receiver.url, HANDLER: "exit7" });
    await ready;
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: 7, signal: null });
    expect(receiver.spans()).toHaveLength(2);
  });
});

describe("package entry points", () => {
  const runNode = (file: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fixture(file)], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    });

  it("resolves `spanwise` to the Node build with AsyncLocalStorage under ESM import", async () => {
    const out = JSON.parse((await runNode("conditions.mjs")).trim().split("\n").pop() ?? "{}");
    expect(out).toEqual({ hasAls: true, fileExporter: "function" });
  });

  it("resolves `spanwise` to the Node build with AsyncLocalStorage under CommonJS require", async () => {
    const out = JSON.parse((await runNode("conditions.cjs")).trim().split("\n").pop() ?? "{}");
    expect(out).toEqual({ hasAls: true, fileExporter: "function" });
  });
});
