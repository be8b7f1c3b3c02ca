import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the Lambda example", () => {
  it("answers two API Gateway requests inside aws-lambda-ric and prints each trace tree first", async () => {
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const child = spawn(tsx, ["examples/lambda/run-local.ts"], { cwd: root, env: { ...process.env, SPANWISE_ENDPOINT: "" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, out).toBe(0);
    const blocks = out.split("\n").filter((l) => l.startsWith("● support-bot") || l.startsWith("response after"));
    // Each trace is printed (flushed) before the runtime's answer arrives.
    expect(blocks.map((l) => l.slice(0, 14))).toEqual(["● support-bot ", "response after", "● support-bot ", "response after"]);
    expect(out).toContain("● support-bot · trace 4bf92f35");
    expect(out).toMatch(/└─ POST \/ask \[server\]/);
    expect(out).toMatch(/chat gpt-4o-mini \[llm\] .* 42→17 tokens/);
    expect(out).toContain("Your order 1042 has shipped");
  });
});
