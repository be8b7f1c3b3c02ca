// spanwise.config.json under Deno: found from the working directory upward where the process may
// read it, and simply absent (never a prompt, never an error) where it may not.
import assert from "node:assert/strict";

const probe = new URL("./fixtures/config-probe.ts", import.meta.url).pathname;

async function serviceFrom(cwd: string, permissions: string[]): Promise<string | null> {
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", "--no-prompt", ...permissions, probe], cwd, env: { DENO_NO_UPDATE_CHECK: "1" } }).output();
  const stderr = new TextDecoder().decode(res.stderr);
  assert.equal(res.code, 0, stderr);
  assert.doesNotMatch(stderr, /NotCapable|PermissionDenied/);
  return (JSON.parse(new TextDecoder().decode(res.stdout).trim()) as { service: string | null }).service;
}

Deno.test("init() reads a spanwise.config.json found from the working directory upward", async () => {
  const root = await Deno.makeTempDir({ prefix: "spanwise-deno-config-" });
  try {
    await Deno.writeTextFile(`${root}/spanwise.config.json`, '{\n  // from the file\n  "serviceName": "deno-from-file",\n}\n');
    await Deno.mkdir(`${root}/app/src`, { recursive: true });
    assert.equal(await serviceFrom(`${root}/app/src`, ["--allow-read"]), "deno-from-file");
    // Without read permission there is no file to read: defaults, and no prompt.
    assert.equal(await serviceFrom(`${root}/app/src`, []), "unknown_service");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
