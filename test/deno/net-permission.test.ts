// Without --allow-net for the collector, Deno would ask at a terminal before the first export
// and hold the whole program at that prompt (and, without one, refuse every attempt and retry).
// spanwise asks the permission API instead: no request is sent, the export fails at once, and
// the warning names the flag to add.
import assert from "node:assert/strict";

const probe = new URL("./fixtures/net-probe.ts", import.meta.url).pathname;

async function runProbe(permissions: string[], endpoint: string): Promise<{ requests: number; warnings: string[]; exported: number; dropped: Record<string, number> }> {
  const res = await new Deno.Command(Deno.execPath(), { args: ["run", "--no-prompt", ...permissions, probe, endpoint] }).output();
  assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
  return JSON.parse(new TextDecoder().decode(res.stdout).trim());
}

Deno.test("an export Deno may not send fails at once, sends nothing and names --allow-net; one it may send arrives", async () => {
  let received = 0;
  const collector = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    await request.arrayBuffer();
    received++;
    return new Response(null, { status: 200 });
  });
  try {
    const host = `127.0.0.1:${collector.addr.port}`;
    const endpoint = `http://${host}/v1/traces`;
    // Allowed for another port of the same host only: Deno checks the port.
    const refused = await runProbe(["--allow-env", "--allow-net=127.0.0.1:1"], endpoint);
    assert.equal(refused.requests, 0);
    assert.equal(refused.exported, 0);
    assert.equal(refused.warnings.length, 1);
    assert.match(refused.warnings[0]!, new RegExp(`Deno may not connect to ${host.replace(/\./g, "\\.")}: run with --allow-net=${host.replace(/\./g, "\\.")}`));
    assert.equal(Object.values(refused.dropped).reduce((a, b) => a + b, 0), 1);
    assert.equal(received, 0);

    const allowed = await runProbe(["--allow-env", `--allow-net=${host}`], endpoint);
    assert.deepEqual({ requests: allowed.requests, exported: allowed.exported, warnings: allowed.warnings }, { requests: 1, exported: 1, warnings: [] });
    assert.equal(received, 1);
  } finally {
    await collector.shutdown();
  }
});
