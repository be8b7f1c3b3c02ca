// Configuration from Deno.env under Deno's permissions: what the process may not read counts as
// unset, so init() falls back to defaults instead of failing, and never prompts.
import assert from "node:assert/strict";

const probe = new URL("./fixtures/env-probe.ts", import.meta.url).pathname;

async function runProbe(permissions: string[], env: Record<string, string>): Promise<{ started: boolean; service: string | null }> {
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", "--no-prompt", ...permissions, probe], env }).output();
  const stderr = new TextDecoder().decode(res.stderr);
  assert.equal(res.code, 0, stderr);
  assert.doesNotMatch(stderr, /NotCapable|PermissionDenied/);
  return JSON.parse(new TextDecoder().decode(res.stdout).trim());
}

// SPANWISE_DEBUG holds a bad value: read, it would make init() throw a ConfigError.
const env = { SPANWISE_SERVICE_NAME: "from-env", SPANWISE_DEBUG: "not-a-boolean" };

Deno.test("init() starts with defaults when the process may not read the environment", async () => {
  assert.deepEqual(await runProbe([], env), { started: true, service: "unknown_service" });
});

Deno.test("init() reads exactly the variables --allow-env names", async () => {
  assert.deepEqual(await runProbe(["--allow-env=SPANWISE_SERVICE_NAME"], env), { started: true, service: "from-env" });
});

Deno.test("init() reads the whole configuration with --allow-env", async () => {
  assert.deepEqual(await runProbe(["--allow-env"], { SPANWISE_SERVICE_NAME: "from-env" }), { started: true, service: "from-env" });
  assert.deepEqual(await runProbe(["--allow-env"], { SPANWISE_SERVICE_NAME: "from-env", SPANWISE_ENABLED: "false" }), { started: false, service: null });
});
