import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the demo", () => {
  it("prints a trace tree of at least 8 spans with the agent at the root, offline", () => {
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const res = spawnSync(tsx, ["examples/agent/main.ts"], { cwd: root, encoding: "utf8", env: { ...process.env, SPANWISE_ENDPOINT: "" } });
    expect(res.status, res.stderr).toBe(0);
    const lines = res.stdout.split("\n");
    const header = lines.find((l) => l.startsWith("● support-bot"));
    const count = Number(/(\d+) spans/.exec(header ?? "")?.[1]);
    expect(count).toBeGreaterThanOrEqual(8);
    const tree = lines.filter((l) => /[└├]─ /.test(l));
    expect(tree).toHaveLength(count);
    expect(tree[0]).toMatch(/^└─ SupportAgent\.answer \[agent\]/);
    expect(tree.filter((l) => l.includes("[llm]") && l.includes("tokens"))).toHaveLength(2);
    expect(tree.some((l) => l.includes("[tool]") && l.includes("✗ warehouse API timed out"))).toBe(true);
    expect(res.stdout).toMatch(/spans: \d+ ended, \d+ exported, 0 failed/);
  });
});
