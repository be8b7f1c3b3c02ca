// The serve suite in Deno: each scenario runs test/deno/fixtures/app.ts with the `deno` binary,
// allowed the loopback network and the environment.
import { type RuntimeUnderTest, scenarios } from "../serve/serve-suite.ts";
import { FIXTURE_PERMISSIONS, spawnDeno } from "./spawn.ts";

const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

const deno: RuntimeUnderTest = {
  name: "deno",
  spawn: (file, env) => spawnDeno([...FIXTURE_PERMISSIONS, file], env),
  app: fixture("app.ts"),
  script: fixture("exit-normally.ts"),
  // Deno resolves info.completed, and aborts request.signal, for finished and cut-short
  // responses alike, so only the span's end shows the client left.
  reportsCancel: false,
};

for (const scenario of scenarios) {
  // Child processes and sockets outlive a single test's bookkeeping; each scenario stops its own.
  Deno.test({ name: scenario.name, sanitizeOps: false, sanitizeResources: false }, () => scenario.run(deno));
}
