import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Collector, startCollector, type Reply } from "../../helpers/collector.js";
import { RuntimeApi, Timeline } from "./runtime-api.js";

const require = createRequire(import.meta.url);
const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The runtime interface client's entry point, checked to be built (`npm run setup` builds it). */
export function ricEntry(): string {
  const pkg = require.resolve("aws-lambda-ric/package.json");
  const root = dirname(pkg);
  if (!existsSync(join(root, "dist", "rapid-client.node"))) {
    throw new Error("aws-lambda-ric is installed but not built: run `npm run setup` (it installs the compilers with apt and builds it)");
  }
  return join(root, "bin", "index.mjs");
}

/** One Lambda execution environment: the real runtime interface client running a fixture handler. */
export interface LambdaFunction {
  readonly api: RuntimeApi;
  readonly collector: Collector;
  readonly timeline: Timeline;
  readonly process: ChildProcess;
  /** Everything the runtime printed (the RIC patches console to stdout). */
  output(): string;
  /** Resolves when the runtime process has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Options of `startFunction`. */
export interface StartOptions {
  /** Extra environment for the function. */
  env?: Record<string, string>;
  /** How the OTLP receiver answers each export request. */
  reply?: (index: number) => Reply;
}

/**
 * Starts an OTLP receiver, a Runtime API and `aws-lambda-ric` running `handler` (e.g.
 * "basic.handler" for fixtures/basic.mjs), all on 127.0.0.1.
 */
export async function startFunction(handler: string, options: StartOptions = {}): Promise<LambdaFunction> {
  const entry = ricEntry();
  const timeline = new Timeline();
  const collector = await startCollector((index) => {
    timeline.mark("otlp", String(index));
    return options.reply ? options.reply(index) : { status: 200, body: "{}" };
  });
  const api = new RuntimeApi(timeline);
  await api.start();
  const child = spawn(process.execPath, [entry, handler], {
    cwd: fixtures,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      AWS_LAMBDA_RUNTIME_API: api.address,
      AWS_LAMBDA_FUNCTION_NAME: "spanwise-test",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
      AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/01/[$LATEST]0123456789abcdef",
      AWS_REGION: "eu-west-1",
      LAMBDA_TASK_ROOT: fixtures,
      SPANWISE_ENDPOINT: collector.url,
      ...options.env,
    },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    api,
    collector,
    timeline,
    process: child,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
      await api.close();
      await collector.close();
    },
  };
}
