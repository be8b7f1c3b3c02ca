import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attrs } from "../helpers/collector.js";
import { type RunningWorker, attr, startWorker } from "./harness.js";

const EXAMPLE = fileURLToPath(new URL("../../examples/workers/worker.ts", import.meta.url));

describe("examples/workers: the chat Worker", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker({ fixture: EXAMPLE, durableObjects: false, quiet: true });
  });
  afterAll(() => w.close());

  it("streams the fake LLM's answer and records one trace: Worker, agent, LLM with tokens, and the LLM's own request", async () => {
    const res = await w.get("/chat?q=where+is+my+order");
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = (await res.text()).split("\n\n").filter(Boolean).map((e) => JSON.parse(e.replace(/^data: /, "")) as { delta: string });
    const answer = events.map((e) => e.delta).join("");
    expect(answer).toMatch(/^Your order #1042 shipped yesterday/);
    expect(events.length).toBeGreaterThan(10);

    const spans = await w.spansWhen((s) => s.length >= 5);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const root = spans.find((s) => attr(s, "url.path") === "/chat");
    const agent = spans.find((s) => s.name === "chat");
    const llm = spans.find((s) => s.name === "chat fake-gpt-mini");
    const client = spans.find((s) => s.kind === 3 && s.name === "POST");
    const provider = spans.find((s) => attr(s, "url.path") === "/v1/chat/completions");
    expect(agent?.parentSpanId).toBe(root?.spanId);
    expect(llm?.parentSpanId).toBe(agent?.spanId);
    expect(client?.parentSpanId).toBe(agent?.spanId);
    expect(provider?.parentSpanId).toBe(client?.spanId);
    expect(attr(llm, "gen_ai.request.model")).toBe("fake-gpt-mini");
    expect(attr(llm, "gen_ai.usage.input_tokens")).toBe(5);
    expect(attr(llm, "gen_ai.usage.output_tokens")).toBe(26);
    expect(attrs(llm?.attributes)["output.value"]?.stringValue).toBe(answer);
    expect(attr(root, "http.response.body.size")).toBeGreaterThan(answer.length);
  });
});

describe("wrangler.toml at the repository root", () => {
  it("builds the example with wrangler itself, with no Node built-in in the bundle", async () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const out = await mkdtemp(join(tmpdir(), "spanwise-wrangler-"));
    try {
      const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
      const output = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout + stderr),
        ),
      );
      expect(output).toContain("--dry-run: exiting now.");
      expect(output).not.toMatch(/node:async_hooks|nodejs_compat/);
      const bundle = await readFile(join(out, "worker.js"), "utf8");
      expect(bundle).not.toMatch(/from\s*["']node:/);
      expect(bundle).toContain("getBuiltinModule");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
