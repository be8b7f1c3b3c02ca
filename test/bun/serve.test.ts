// The serve suite in Bun: each scenario runs test/bun/fixtures/app.ts with the `bun` binary.
import { test } from "bun:test";
import { spawn } from "node:child_process";
import { type Exit, type RuntimeUnderTest, type Spawned, scenarios } from "../serve/serve-suite.ts";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

function spawnBun(file: string, env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ["run", file], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { pid: child.pid as number, exited, onStdout: (l) => void child.stdout.on("data", (d: Buffer) => l(d.toString())), stderr: () => err };
}

const bun: RuntimeUnderTest = {
  name: "bun",
  spawn: spawnBun,
  app: fixture("app.ts"),
  script: fixture("exit-normally.ts"),
  reportsCancel: true,
};

for (const scenario of scenarios) test(scenario.name, () => scenario.run(bun), 30_000);
