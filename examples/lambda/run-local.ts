/**
 * Runs examples/lambda/handler.mjs inside AWS's runtime interface client (aws-lambda-ric) against
 * a local Lambda Runtime API, invokes it twice (a cold and a warm start) with API Gateway
 * events, and prints the answers and the trace trees. `npm run example:lambda`.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ricEntry } from "../../test/lambda/helpers/lambda-function.js";
import { RuntimeApi, Timeline } from "../../test/lambda/helpers/runtime-api.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const api = new RuntimeApi(new Timeline());
await api.start();
const runtime = spawn(process.execPath, [ricEntry(), "handler.handler"], {
  cwd: here,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    AWS_LAMBDA_RUNTIME_API: api.address,
    AWS_LAMBDA_FUNCTION_NAME: "support-bot",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
    AWS_REGION: "eu-west-1",
  },
});

const request = (question: string, traceparent?: string) => ({
  version: "2.0",
  routeKey: "POST /ask",
  rawPath: "/ask",
  rawQueryString: "",
  headers: { "content-type": "application/json", ...(traceparent ? { traceparent } : {}) },
  requestContext: { domainName: "api.example.com", http: { method: "POST", path: "/ask", sourceIp: "203.0.113.7", userAgent: "example" } },
  body: JSON.stringify({ question }),
});

try {
  for (const [question, traceparent] of [
    ["Where is my order #1042?", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["And order #7?", undefined],
  ] as const) {
    const answer = await api.invoke(request(question, traceparent), { timeoutMs: 10_000 });
    console.log(`\n${answer.kind} after ${answer.durationMs} ms: ${answer.body.toString()}\n`);
  }
} finally {
  runtime.kill();
  await api.close();
}
