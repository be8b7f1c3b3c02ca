import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { Miniflare } from "miniflare";
import { describe, expect, it } from "vitest";
import { workerdCpuMs } from "../../bench/workerd-cpu.js";

// The cold-start row takes workerd's CPU time at Miniflare's `ready`. That is only its cost of
// loading a Worker if the reading is of Miniflare's workerd, loses none of its CPU, and holds the
// work of a module's startup.

// Work done by a module's top level, the same in Node and in workerd (V8 runs both).
const SPIN = "let x=0;for(let i=0;i<4e7;i++)x=(x*31+i)%1000003;globalThis.spun=x;";
const worker = (startup: string): string => `${startup}var w={fetch:()=>new Response(String(globalThis.spun))};export{w as default};`;

async function withWorkerd<T>(code: string, read: () => T): Promise<T> {
  const mf = new Miniflare({ modules: [{ type: "ESModule", path: "/w.mjs", contents: code }], modulesRoot: "/", compatibilityDate: "2025-04-01" });
  try {
    await mf.ready;
    return read();
  } finally {
    await mf.dispose();
  }
}

/**
 * The whole process's CPU by its own count, read independently of workerdCpuMs: utime + stime of
 * this process's workerd children (`/proc/PID/stat`, in clock ticks), which also holds threads
 * that have exited.
 */
function processTotalMs(): number {
  const tick = 1000 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
  let ms = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (stat.includes("(workerd)") && Number(fields[1]) === process.pid) ms += (Number(fields[11]) + Number(fields[12])) * tick;
  }
  return ms;
}

describe.runIf(existsSync(`/proc/self/task/${process.pid}/schedstat`))("workerdCpuMs (the cold-start row's measure)", () => {
  it("finds no workerd before Miniflare starts one, and none after it is disposed", async () => {
    expect(workerdCpuMs()).toBeUndefined();
    expect(await withWorkerd(worker(""), workerdCpuMs)).toBeGreaterThan(0);
    expect(workerdCpuMs()).toBeUndefined();
  });

  it("counts the CPU a module's startup takes in workerd, within half to twice what Node takes for the same work", async () => {
    const before = process.cpuUsage();
    new Function(SPIN)();
    const nodeMs = process.cpuUsage(before).user / 1000;
    const empty = (await withWorkerd(worker(""), workerdCpuMs)) as number;
    const spinning = (await withWorkerd(worker(SPIN), workerdCpuMs)) as number;
    expect(spinning - empty).toBeGreaterThan(nodeMs * 0.5);
    expect(spinning - empty).toBeLessThan(nodeMs * 2 + 50);
  }, 60_000);

  it("loses no CPU: the sum over threads agrees with the process's own total, which holds exited threads too", async () => {
    const [threads, total] = await withWorkerd(worker(SPIN), () => [workerdCpuMs() as number, processTotalMs()]);
    // Ticks are coarse (10 ms each), so the two agree to a tick or two per thread that ran, not exactly.
    expect(total).toBeGreaterThan(100);
    expect(Math.abs(threads - total)).toBeLessThan(total * 0.1 + 40);
  }, 60_000);
});
