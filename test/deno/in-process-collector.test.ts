// spanwise's exports to a collector that the same program serves with withTracing must not be
// traced: each would be exported to it again, for ever.
import assert from "node:assert/strict";
import { FIXTURE_PERMISSIONS } from "./spawn.ts";

Deno.test("exports to a collector served by the same program are not traced, nor is the work they cause", async () => {
  const probe = new URL("./fixtures/in-process-collector.ts", import.meta.url).pathname;
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", ...FIXTURE_PERMISSIONS, probe] }).output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
  const report = JSON.parse(new TextDecoder().decode(res.stdout).trim()) as { agents: string[]; started: number; exported: number };
  assert.equal(report.agents.length, 1);
  assert.match(report.agents[0]!, /^spanwise\//);
  assert.deepEqual({ started: report.started, exported: report.exported }, { started: 1, exported: 1 });
});
