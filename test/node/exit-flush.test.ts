import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Collector, attrs, startCollector } from "../helpers/collector.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(name: string, env: Record<string, string>): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [fixture(name)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  const ready = new Promise<void>((resolve) =>
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) resolve();
    }),
  );
  // A child that ignores the signal would hang the test: kill it after 10 s and report so.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const guard = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal });
    });
  });
  return { child, exited, ready, output: () => out };
}

const canLoad = (load: () => unknown): boolean => {
  try {
    load();
    return true;
  } catch {
    return false;
  }
};
const require = createRequire(import.meta.url);
// signal-exit is not a dependency of spanwise; both of its majors in use are devDependencies of
// the tests (v3 as "signal-exit-v3").
const hasSignalExitV3 = canLoad(() => require.resolve("signal-exit-v3"));
const hasSignalExitV4 = canLoad(() => require.resolve("signal-exit"));

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

  it.each([
    ["an exporter", { exportFailed: 1 }, 0],
    ["a processor", { exportFailed: 0 }, 1],
    ["an exporter's shutdown()", { exportFailed: 0 }, 1],
  ])("resolves a top-level await flush() or shutdown() when %s hangs on a promise with no I/O, and exits with code 0", async (what, dropped, exported) => {
    const { exited, output } = run("flush-hanging-exporter.mjs", { HANG: what === "a processor" ? "processor" : what === "an exporter" ? "exporter" : "shutdown" });
    // Without a timer keeping the loop alive, Node exits mid-await with code 13 and nothing printed.
    expect(await exited).toEqual({ code: 0, signal: null });
    const result = JSON.parse(output()) as { exported: number; dropped: Record<string, number> };
    expect(result.exported).toBe(exported);
    expect(result.dropped).toMatchObject(dropped);
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

  it("leaves a user's process.once SIGTERM handler, registered before init(), in charge", async () => {
    const { child, exited, ready, output } = run("signal-with-others.mjs", { RECEIVER_URL: receiver.url, HANDLER: "once" });
    await ready;
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(output()).toContain("graceful shutdown started");
    expect(receiver.spans()).toHaveLength(2);
  });

  it.each([
    ["v3", "before", hasSignalExitV3, "SIGTERM"],
    ["v3", "after", hasSignalExitV3, "SIGTERM"],
    ["v4", "before", hasSignalExitV4, "SIGTERM"],
    ["v4", "after", hasSignalExitV4, "SIGTERM"],
    ["v3", "before", hasSignalExitV3, "SIGINT"],
  ] as const)("with signal-exit %s loaded %s init(), flushes, runs its cleanup and still dies by %s", async (version, order, installed, signal) => {
    if (!installed) throw new Error(`signal-exit ${version} is not in node_modules: run npm ci`);
    const { child, exited, ready, output } = run("signal-with-others.mjs", { RECEIVER_URL: receiver.url, SIGNAL_EXIT: version, ...(order === "after" ? { SIGNAL_EXIT_AFTER: "1" } : {}) });
    await ready;
    child.kill(signal);
    expect(await exited).toEqual({ code: null, signal });
    expect(output()).toContain(`cleanup null ${signal}`);
    expect(receiver.spans()).toHaveLength(2);
  });

  it("ends an abandoned AI SDK call and delivers it when the process ends on its own", async () => {
    const { exited } = run("abandoned-ai-call.mjs", { RECEIVER_URL: receiver.url });
    expect(await exited).toEqual({ code: 0, signal: null });
    const agent = receiver.spans().find((s) => s.name === "invoke_agent support-agent");
    expect(agent).toBeDefined();
    expect(attrs(agent?.attributes ?? [])["spanwise.abandoned"]).toEqual({ boolValue: true });
  });

  it("ends an abandoned AI SDK call and delivers it on SIGTERM", async () => {
    const { child, exited, ready } = run("abandoned-ai-call.mjs", { RECEIVER_URL: receiver.url, MODE: "signal" });
    await ready;
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(receiver.spans().map((s) => s.name)).toContain("invoke_agent support-agent");
  });

  it("with signal-exit loaded, leaves a user's own SIGTERM handler in charge", async () => {
    const { child, exited, ready } = run("signal-with-others.mjs", { RECEIVER_URL: receiver.url, SIGNAL_EXIT: "v4", HANDLER: "on" });
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
