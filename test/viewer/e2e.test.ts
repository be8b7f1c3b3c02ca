import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = join(root, "test/artifacts");

/** Starts `npm run demo`'s script in serving mode and resolves once it printed the viewer URL. */
function startDemo(data: string): Promise<{ child: ChildProcess; output: () => string; url: string; traceId: string; spans: number }> {
  const tsx = join(root, "node_modules/.bin/tsx");
  const env = { ...process.env, SPANWISE_ENDPOINT: "", OPENAI_API_KEY: "" };
  const child = spawn(tsx, ["examples/agent/main.ts", "--port", "0", "--data", data], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const link = /viewer: (http:\/\/127\.0\.0\.1:\d+\/)#\/trace\/([0-9a-f]{32})/.exec(out);
      const spans = /spans: (\d+) ended, \1 exported, 0 failed/.exec(out)?.[1];
      if (link && spans && out.includes("serving the viewer until Ctrl-C")) resolve({ child, output: () => out, url: link[1]!, traceId: link[2]!, spans: Number(spans) });
    });
    child.on("exit", (code) => reject(new Error(`the demo exited (${code}) before serving:\n${out}`)));
  });
}

describe("the viewer in Chromium, with the demo's trace", () => {
  let browser: Browser;
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let data: string;

  beforeAll(async () => {
    data = mkdtempSync(join(tmpdir(), "spanwise-e2e-"));
    mkdirSync(artifacts, { recursive: true });
    demo = await startDemo(data);
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (demo && demo.child.exitCode === null) demo.child.kill("SIGKILL");
    rmSync(data, { recursive: true, force: true });
  });

  it("lists the trace, draws one waterfall row per span sent, and shows an LLM span's tokens and cost", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const failed: string[] = [];
    page.on("pageerror", (err) => failed.push(err.message));
    page.on("requestfailed", (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on("console", (m) => (m.type() === "error" ? failed.push(`console: ${m.text()}`) : undefined));
    await page.goto(demo.url);

    const row = page.getByTestId("trace-row");
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getAttribute("data-trace-id")).toBe(demo.traceId);
    expect(await row.getByTestId("trace-name").textContent()).toContain("SupportAgent.answer");
    expect(await row.getByTestId("trace-service").textContent()).toBe("support-bot");
    expect(await row.getByTestId("trace-spans").textContent()).toBe(String(demo.spans));
    expect(await row.getByTestId("trace-status").textContent()).toContain("1 error");
    expect(await row.getByTestId("trace-cost").textContent()).toMatch(/^\$0\.0000\d+/);

    // A trace that arrives while the list is open appears without a reload (server-sent events).
    await expect.poll(() => page.getByTestId("live-status").textContent()).toBe("● live");
    const otherTrace = "ab".repeat(16);
    const sent = await fetch(`${demo.url}v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: "billing" } }] },
            scopeSpans: [{ scope: { name: "curl" }, spans: [{ traceId: otherTrace, spanId: "cd".repeat(8), name: "charge card", kind: 3, startTimeUnixNano: `${Date.now()}000000`, endTimeUnixNano: `${Date.now() + 42}000000`, attributes: [{ key: "http.request.method", value: { stringValue: "POST" } }] }] }],
          },
        ],
      }),
    });
    expect(sent.status).toBe(200);
    await expect.poll(() => row.count()).toBe(2);
    expect(await page.locator(`[data-testid=trace-row][data-trace-id="${otherTrace}"] [data-testid=trace-service]`).textContent()).toBe("billing");
    await page.getByTestId("filter-errors").check();
    await expect.poll(() => row.count()).toBe(1);
    await page.screenshot({ path: join(artifacts, "viewer-list.png") });

    await page.locator(`[data-testid=trace-row][data-trace-id="${demo.traceId}"]`).click();
    const rows = page.getByTestId("waterfall-row");
    await expect.poll(() => rows.count()).toBe(demo.spans);
    expect(await page.locator('[data-testid=waterfall-row][data-status=error]').count()).toBe(1);
    const categories = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-category")));
    expect(new Set(categories)).toEqual(new Set(["agent", "workflow", "llm", "tool", "retrieval", "embedding"]));

    // An embedding has no output tokens: the waterfall marks them as the console tree does.
    const printedEmbedding = /\[embedding\].* (\d+|\?)→(\d+|\?) tokens/.exec(demo.output());
    expect(printedEmbedding?.[2]).toBe("?");
    expect(await page.locator("[data-testid=waterfall-row][data-category=embedding] .wf-meta").textContent()).toContain(`${printedEmbedding![1]}→? tok`);

    const llmRows = page.locator("[data-testid=waterfall-row][data-category=llm]");
    expect(await llmRows.count()).toBe(2);
    await llmRows.last().click();
    const panel = page.getByTestId("span-panel");
    await expect.poll(() => panel.getByTestId("span-name").textContent()).toBe("chat gpt-4o-mini");
    expect(await panel.getByTestId("llm-model").textContent()).toBe("gpt-4o-mini");
    const input = Number(await panel.getByTestId("llm-input-tokens").textContent());
    const output = Number(await panel.getByTestId("llm-output-tokens").textContent());
    expect(input).toBeGreaterThan(0);
    expect(output).toBeGreaterThan(0);
    // The console tree printed the same call's tokens and cost.
    const printed = new RegExp(`chat gpt-4o-mini \\[llm\\].*${input}→${output} tokens · \\$([0-9.]+)`).exec(demo.output());
    expect(printed).not.toBeNull();
    expect(Number((await panel.getByTestId("llm-cost").textContent())?.slice(1))).toBeCloseTo(Number(printed![1]), 6);
    expect(await panel.getByTestId("llm-ttft").textContent()).toMatch(/ms$/);
    const roles = await panel.getByTestId("message").evaluateAll((els) => els.map((e) => e.getAttribute("data-role")));
    expect(roles).toEqual(["system", "user", "assistant"]);
    expect(await panel.getByTestId("conversation").textContent()).toContain("Your order #1042 shipped yesterday");
    await page.screenshot({ path: join(artifacts, "viewer-trace.png") });

    await page.locator("[data-testid=waterfall-row][data-status=error]").click();
    expect(await panel.getByTestId("exception-stack").textContent()).toContain("warehouse API timed out for order 1042");
    await page.screenshot({ path: join(artifacts, "viewer-error.png") });
    expect(failed).toEqual([]);
  });

  it("stops serving on SIGINT and exits cleanly", async () => {
    const exited = new Promise<number | null>((resolve) => demo.child.on("exit", (code) => resolve(code)));
    demo.child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it("shows the same trace from the built viewer (dist/viewer.js) after the restart, and a trace `demo --once` sends to it", async () => {
    const bundle = join(root, "dist/viewer.js");
    const script = `import { devCommand } from ${JSON.stringify(bundle)}; process.exitCode = await devCommand(["--port", "0", "--data", ${JSON.stringify(data)}]);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout?.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /viewer on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
        child.on("exit", () => reject(new Error(out)));
      });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const failed: string[] = [];
      page.on("pageerror", (err) => failed.push(err.message));
      await page.goto(`${url}#/trace/${demo.traceId}`);
      await expect.poll(() => page.getByTestId("waterfall-row").count()).toBe(demo.spans);
      await page.getByTestId("back-link").click();
      await expect.poll(() => page.getByTestId("trace-row").count()).toBe(2);

      // `npm run demo -- --once` against this running viewer: the demo sends its trace here,
      // exits, and the open page shows the new trace live with one waterfall row per span.
      const port = new URL(url).port;
      const tsx = join(root, "node_modules/.bin/tsx");
      const env = { ...process.env, SPANWISE_ENDPOINT: "", OPENAI_API_KEY: "" };
      const once = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const run = spawn(tsx, ["examples/agent/main.ts", "--once", "--port", port, "--data", join(data, "unused")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        run.stdout?.on("data", (d: Buffer) => (out += d.toString()));
        run.stderr?.on("data", (d: Buffer) => (out += d.toString()));
        run.on("exit", (code) => resolve({ code, out }));
      });
      expect(once.code, once.out).toBe(0);
      const sentId = new RegExp(`viewer: ${url}#/trace/([0-9a-f]{32})`).exec(once.out)?.[1];
      const sentSpans = Number(/spans: (\d+) ended, \1 exported, 0 failed/.exec(once.out)?.[1]);
      expect(sentId).toBeDefined();
      await expect.poll(() => page.getByTestId("trace-row").count()).toBe(3);
      await page.locator(`[data-testid=trace-row][data-trace-id="${sentId}"]`).click();
      await expect.poll(() => page.getByTestId("waterfall-row").count()).toBe(sentSpans);
      await page.locator("[data-testid=waterfall-row][data-category=llm]").first().click();
      const panel = page.getByTestId("span-panel");
      expect(Number(await panel.getByTestId("llm-input-tokens").textContent())).toBeGreaterThan(0);
      expect(await panel.getByTestId("llm-cost").textContent()).toMatch(/^\$0\.0000\d+/);
      await page.screenshot({ path: join(artifacts, "viewer-demo-once.png") });
      expect(failed).toEqual([]);
    } finally {
      child.kill("SIGINT");
    }
  });
});
