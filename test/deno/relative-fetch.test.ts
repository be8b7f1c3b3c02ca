// With --location, Deno resolves a relative fetch against it, and same-origin is where trace
// headers go by default: a relative fetch is traced and propagated like an absolute one.
import assert from "node:assert/strict";

const probe = new URL("./fixtures/relative-fetch-probe.ts", import.meta.url).pathname;

Deno.test("instrumentFetch() traces a relative fetch under --location and sends it traceparent", async () => {
  const seen: { path: string; traceparent: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    seen.push({ path: url.pathname + url.search, traceparent: request.headers.get("traceparent") });
    return new Response("ok");
  });
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    const res = await new Deno.Command(Deno.execPath(), { args: ["run", "--no-prompt", "--allow-net=127.0.0.1", `--location=${base}/app/`, probe] }).output();
    assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    const clients = JSON.parse(new TextDecoder().decode(res.stdout).trim()) as { url: string; traceparent: string }[];
    assert.deepEqual(
      clients.map((c) => c.url),
      [`${base}/relative?q=REDACTED`, `${base}/absolute`],
    );
    assert.deepEqual(seen, [
      { path: "/relative?q=1", traceparent: clients[0]!.traceparent },
      { path: "/absolute", traceparent: clients[1]!.traceparent },
    ]);
  } finally {
    await server.shutdown();
  }
});
