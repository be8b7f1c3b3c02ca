/**
 * The time spanwise/lambda's flush adds to an invocation: from the moment the handler's own
 * promise resolves to the moment the wrapped handler resolves (every span exported to an OTLP
 * receiver on 127.0.0.1 that runs in a child process). Runs inside `npm run bench`, or alone with
 * `npx tsx bench/lambda-flush.ts` after `npm run build`: it times the built package, as a Lambda
 * function runs it, in a process of its own (from source under tsx, each function made inside
 * another calls esbuild's `__name`, which the package does not; see bench/pipeline.ts).
 *
 * @module
 */
import { spawn } from "node:child_process";
import type * as SpanwiseLambda from "../src/runtimes/lambda/index.js";
import type { LambdaContext } from "../src/runtimes/lambda/index.js";
import { median } from "./measure.js";
import { isMain, runApart } from "./apart.js";

/** One configuration's figures, in microseconds. */
export interface FlushFigures {
  readonly compression: "gzip" | "none";
  readonly spansPerInvocation: number;
  readonly invocations: number;
  readonly medianUs: number;
  readonly p95Us: number;
  readonly exported: number;
}

/** Options of `lambdaFlush`. */
export interface LambdaFlushOptions {
  readonly invocations?: number;
  readonly warmup?: number;
  /** Child spans per invocation; the root comes on top. */
  readonly childSpans?: number;
}

// The receiver reads the body and answers 200 like an OpenTelemetry Collector does; it prints its port.
const RECEIVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end("{}"); });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

async function startReceiver(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ["-e", RECEIVER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/v1/traces`, stop: () => child.kill() };
}

function lambdaContext(id: number): LambdaContext {
  const deadline = Date.now() + 30_000;
  return {
    awsRequestId: `bench-${id}`,
    functionName: "bench",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:bench",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

const EVENT = {
  version: "2.0",
  routeKey: "POST /chat",
  rawPath: "/chat",
  rawQueryString: "",
  headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "content-type": "application/json" },
  requestContext: { domainName: "abc.execute-api.eu-west-1.amazonaws.com", http: { method: "POST", path: "/chat", sourceIp: "203.0.113.1", userAgent: "bench" } },
  body: '{"question":"where is my order?"}',
};

/**
 * Invokes a traced handler (a root span plus `childSpans` children with a few attributes each)
 * many times against a loopback receiver and reports the flush's share of each invocation.
 *
 * @param options - invocations, warm-up invocations, child spans per invocation
 * @returns figures for gzip and uncompressed export
 * @example
 * const [gzip, none] = await lambdaFlush({ invocations: 300 });
 */
export async function lambdaFlush(options: LambdaFlushOptions = {}): Promise<FlushFigures[]> {
  return JSON.parse(await runApart(import.meta.url, ["--json", JSON.stringify(options)])) as FlushFigures[];
}

async function measureLambdaFlush(options: LambdaFlushOptions): Promise<FlushFigures[]> {
  const { shutdown, span, stats, withTracing } = (await import("../dist/lambda.js" as string)) as typeof SpanwiseLambda;
  const invocations = options.invocations ?? 300;
  const warmup = options.warmup ?? 50;
  const childSpans = options.childSpans ?? 10;
  const receiver = await startReceiver();
  const out: FlushFigures[] = [];
  try {
    for (const compression of ["gzip", "none"] as const) {
      let handlerDone = 0;
      const handler = withTracing(
        async (event: typeof EVENT) => {
          for (let i = 0; i < childSpans; i++) {
            await span(`step ${i}`, { kind: i % 3 === 0 ? "tool" : "span", attributes: { step: i, "tool.input": event.body } }, async () => i);
          }
          handlerDone = performance.now();
          return { statusCode: 200, body: "ok" };
        },
        { serviceName: "bench", endpoint: receiver.url, compression, flushOnExit: false },
      ) as unknown as (event: unknown, context: LambdaContext, callback: () => void) => Promise<unknown>;
      const added: number[] = [];
      for (let n = 0; n < warmup + invocations; n++) {
        await handler(EVENT, lambdaContext(n), () => {});
        if (n >= warmup) added.push((performance.now() - handlerDone) * 1000);
      }
      const s = stats();
      const sorted = [...added].sort((a, b) => a - b);
      out.push({
        compression,
        spansPerInvocation: childSpans + 1,
        invocations,
        medianUs: median(added),
        p95Us: sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN,
        exported: s.exported,
      });
      if (s.exported !== (warmup + invocations) * (childSpans + 1)) throw new Error(`only ${s.exported} spans were exported: ${s.lastError ?? "no error recorded"}`);
      await shutdown();
    }
  } finally {
    receiver.stop();
  }
  return out;
}

// Run as a script: by lambdaFlush with `--json <options>`, or alone, printing the figures.
if (isMain(import.meta.url) && process.argv[2] === "--json") {
  console.log(JSON.stringify(await measureLambdaFlush(JSON.parse(process.argv[3] ?? "{}") as LambdaFlushOptions)));
} else if (isMain(import.meta.url)) {
  for (const f of await measureLambdaFlush({})) {
    console.log(`flush added per invocation (${f.spansPerInvocation} spans, ${f.compression}): median ${f.medianUs.toFixed(0)} µs, p95 ${f.p95Us.toFixed(0)} µs over ${f.invocations} invocations`);
  }
}
