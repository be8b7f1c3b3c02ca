// The package's own entry points as Deno resolves them: `spanwise` under the deno condition and
// `spanwise/deno` are the ESM build in dist/, imported as is, with no npm: or jsr: specifier.
import assert from "node:assert/strict";

Deno.test("`spanwise` and `spanwise/deno` resolve to dist/deno.js, which has AsyncLocalStorage context, redaction and OTLP/JSON", async () => {
  const probe = new URL("./fixtures/entry-probe.ts", import.meta.url).pathname;
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", "--no-prompt", probe] }).output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
  const report = JSON.parse(new TextDecoder().decode(res.stdout).trim());
  assert.deepEqual(report, { started: true, rootIsDist: true, subIsDist: true, nested: true, runtime: "deno", redacted: "[REDACTED:email]", json: "otlp-http" });
});
