// examples/bun as `npm run example:bun` runs it: it must answer both questions and print one
// trace tree per request, the agent's work under the SERVER span, when the program ends.
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";

test("examples/bun answers, shuts down and prints its traces at exit", () => {
  const main = new URL("../../examples/bun/main.ts", import.meta.url).pathname;
  const res = spawnSync(process.execPath, [main], { encoding: "utf8", env: { ...process.env, SPANWISE_ENDPOINT: "" } });
  expect(res.status, res.stderr).toBe(0);
  expect(res.stdout).toMatch(/\/ask {4}→ Unopened items can be refunded within 30 days\./);
  expect(res.stdout).toMatch(/\/stream → Orders ship within one business day\./);
  for (const route of ["/ask", "/stream"]) {
    const tree = res.stdout.split("● ").find((t) => t.includes(`└─ GET ${route} [server]`));
    expect(tree).toMatch(/· 4 spans\n└─ GET \/\w+ \[server\] [^\n]+\n {3}└─ answer \[agent\][^\n]+\n {6}├─ search docs \[retrieval\][^\n]+\n {6}└─ chat fake-mini \[llm\][^\n]+fake-mini · \d+→\d+ tokens/);
  }
});
