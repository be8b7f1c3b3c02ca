// A key in the endpoint's query stays out of lastError and the warnings on Deno too, whose fetch
// error quotes the whole URL.
import assert from "node:assert/strict";
import { FIXTURE_PERMISSIONS } from "./spawn.ts";

async function run(...args: string[]): Promise<{ lastError: string; warnings: string[] }> {
  const probe = new URL("./fixtures/endpoint-key.ts", import.meta.url).pathname;
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", ...FIXTURE_PERMISSIONS, probe, ...args] }).output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
  return JSON.parse(new TextDecoder().decode(res.stdout).trim());
}

Deno.test("an unreachable endpoint's query key is shown as REDACTED in lastError and the warnings", async () => {
  const report = await run();
  assert.match(report.lastError, /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/traces\?api_key=REDACTED/);
  assert.ok(report.warnings.length > 0);
  for (const text of [report.lastError, ...report.warnings]) assert.doesNotMatch(text, /0123456789/);
});

Deno.test("a port the Fetch standard blocks is named as such, not as a collector that may be down", async () => {
  const { lastError } = await run("6000");
  assert.match(lastError, /fetch refuses http:\/\/127\.0\.0\.1:6000\/v1\/traces\?api_key=REDACTED: the Fetch standard blocks its port/);
});
