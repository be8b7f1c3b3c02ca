import { it, expect } from "vitest";
import { init, createMemoryExporter, observe, span, flush, stats, shutdown } from "spanwise/node";
it("default queue", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const f = observe(async (i: number) => { await new Promise(r => setTimeout(r, Math.random()*5)); await span("a", async () => { await new Promise(r => setTimeout(r, Math.random()*5)); await span("b", async () => { await new Promise(r => setTimeout(r, Math.random()*5)); await span("c", () => 1); }); }); await span("d", () => 1); });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => f(i)));
  await flush();
  console.log(stats());
  await shutdown();
});
