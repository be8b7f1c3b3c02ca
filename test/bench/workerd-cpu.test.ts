import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { workerdCpuMs } from "../../bench/workerd-cpu.js";

// The cold-start row takes workerd's CPU time at Miniflare's `ready`. That is only its cost of
// loading a Worker if the reading is of Miniflare's workerd, and holds the work of a module's startup.

// Work done by a module's top level, the same in Node and in workerd.
const SPIN = "let x=0;for(let i=0;i<4e7;i++)x=(x*31+i)%1000003;globalThis.spun=x;";
const worker = (startup: string): string => `${startup}var w={fetch:()=>new Response(String(globalThis.spun))};export{w as default};`;

async function cpuAtReady(code: string): Promise<number | undefined> {
  const mf = new Miniflare({ modules: [{ type: "ESModule", path: "/w.mjs", contents: code }], modulesRoot: "/", compatibilityDate: "2025-04-01" });
  try {
    await mf.ready;
    return workerdCpuMs();
  } finally {
    await mf.dispose();
  }
}

describe.runIf(process.platform === "linux")("workerdCpuMs (the cold-start row's measure)", () => {
  it("finds no workerd before Miniflare starts one, and none after it is disposed", async () => {
    expect(workerdCpuMs()).toBeUndefined();
    expect(await cpuAtReady(worker(""))).toBeGreaterThan(0);
    expect(workerdCpuMs()).toBeUndefined();
  });

  it("counts the CPU a module's startup takes in workerd, as Node takes for the same work", async () => {
    const before = process.cpuUsage();
    new Function(SPIN)();
    const nodeMs = process.cpuUsage(before).user / 1000;
    const empty = (await cpuAtReady(worker(""))) as number;
    const spinning = (await cpuAtReady(worker(SPIN))) as number;
    // Same engine, same loop: workerd's extra CPU is of the order of Node's, not zero and not doubled.
    expect(spinning - empty).toBeGreaterThan(nodeMs * 0.5);
    expect(spinning - empty).toBeLessThan(nodeMs * 2 + 50);
  }, 60_000);
});
