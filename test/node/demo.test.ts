import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the demo", () => {
  it("prints a trace tree of at least 8 spans with the agent at the root, offline, and stores it in the viewer", () => {
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const data = mkdtempSync(join(tmpdir(), "spanwise-demo-"));
    try {
      const env = { ...process.env, SPANWISE_ENDPOINT: "", OPENAI_API_KEY: "" };
      const res = spawnSync(tsx, ["examples/agent/main.ts", "--once", "--port", "0", "--data", data], { cwd: root, encoding: "utf8", env, timeout: 60_000 });
      expect(res.status, res.stderr).toBe(0);
      const lines = res.stdout.split("\n");
      const header = lines.find((l) => l.startsWith("● support-bot"));
      const count = Number(/(\d+) spans/.exec(header ?? "")?.[1]);
      expect(count).toBeGreaterThanOrEqual(8);
      const tree = lines.filter((l) => /[└├]─ /.test(l));
      expect(tree).toHaveLength(count);
      expect(tree[0]).toMatch(/^└─ SupportAgent\.answer \[agent\]/);
      expect(tree.filter((l) => l.includes("[llm]") && l.includes("tokens") && l.includes("$"))).toHaveLength(2);
      expect(tree.some((l) => l.includes("[tool]") && l.includes("✗ warehouse API timed out"))).toBe(true);
      expect(res.stdout).toMatch(new RegExp(`spans: ${count} ended, ${count} exported, 0 failed`));
      expect(res.stdout).toMatch(/viewer: http:\/\/127\.0\.0\.1:\d+\/#\/trace\/[0-9a-f]{32}/);
      const stored = readFileSync(join(data, "traces.jsonl"), "utf8").trim().split("\n");
      expect(stored).toHaveLength(count);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
