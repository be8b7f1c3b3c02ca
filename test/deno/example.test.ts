// examples/deno as a user runs it: in a project of its own with spanwise installed in
// node_modules (package.json and dist/ only), type-checked against Deno's own types and run with
// the permissions the README gives.
import assert from "node:assert/strict";

const repo = new URL("../../", import.meta.url).pathname;

async function deno(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const res = await new Deno.Command(Deno.execPath(), { args, cwd, env: { DENO_NO_UPDATE_CHECK: "1", ...env }, stdin: "null" }).output();
  return { code: res.code, stdout: new TextDecoder().decode(res.stdout), stderr: new TextDecoder().decode(res.stderr) };
}

async function userProject(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "spanwise-deno-" });
  await Deno.mkdir(`${dir}/node_modules/spanwise`, { recursive: true });
  await Deno.copyFile(`${repo}package.json`, `${dir}/node_modules/spanwise/package.json`);
  await Deno.mkdir(`${dir}/node_modules/spanwise/dist`);
  for await (const entry of Deno.readDir(`${repo}dist`)) {
    if (entry.isFile) await Deno.copyFile(`${repo}dist/${entry.name}`, `${dir}/node_modules/spanwise/dist/${entry.name}`);
  }
  await Deno.symlink(`${repo}node_modules/zod`, `${dir}/node_modules/zod`);
  await Deno.writeTextFile(`${dir}/package.json`, JSON.stringify({ name: "user-app", type: "module", dependencies: { spanwise: "*" } }));
  await Deno.copyFile(`${repo}examples/deno/main.ts`, `${dir}/main.ts`);
  return dir;
}

Deno.test({ name: "examples/deno type-checks and runs against the installed package, printing its traces at exit", sanitizeResources: false }, async () => {
  const dir = await userProject();
  try {
    const check = await deno(["check", "main.ts"], dir);
    assert.equal(check.code, 0, check.stderr);

    const run = await deno(["run", "--no-prompt", "--allow-net=127.0.0.1", "--allow-env", "main.ts"], dir, { SPANWISE_ENDPOINT: "" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /\/ask {4}→ Unopened items can be refunded within 30 days\./);
    assert.match(run.stdout, /\/stream → Orders ship within one business day\./);
    for (const route of ["/ask", "/stream"]) {
      const tree = run.stdout.split("● ").find((t) => t.includes(`└─ GET ${route} [server]`));
      assert.ok(tree, `a trace tree for GET ${route}:\n${run.stdout}`);
      assert.match(tree, /· 4 spans\n└─ GET \/\w+ \[server\] [^\n]+\n {3}└─ answer \[agent\][^\n]+\n {6}├─ search docs \[retrieval\][^\n]+\n {6}└─ chat fake-mini \[llm\][^\n]+fake-mini · \d+→\d+ tokens/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
