/**
 * workerd's CPU time, for the cold-start row (bench/cold-start.ts). The time until Miniflare's
 * `ready` also holds Miniflare's own work in Node, which grows with the bytes of code it hands
 * workerd; the CPU time Linux accounts to workerd's threads holds only workerd's.
 *
 * @module
 */
import { readFileSync, readdirSync } from "node:fs";

/** Nanoseconds a thread has run: the first field of its `schedstat`. */
const onCpuNs = (path: string): number => Number(readFileSync(path, "utf8").split(" ")[0]);

/**
 * The CPU time, in milliseconds, that the workerd processes this process started (Miniflare's:
 * direct children named `workerd`) have used so far: the sum over their threads of what Linux's
 * scheduler accounted to each (`/proc/PID/task/TID/schedstat`). A thread that has already exited
 * is not counted (workerd keeps its threads while it runs; `test/bench/workerd-cpu.test.ts`
 * holds the sum to the process's own total, which counts exited threads too). `undefined` where
 * nothing can be read: no `/proc` or no `schedstat` (not Linux, some sandboxes), no workerd child
 * running, or one started through a wrapper or under another name.
 *
 * @example
 * await mf.ready;
 * const used = workerdCpuMs(); // 192.4
 */
export function workerdCpuMs(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  let ns = 0;
  let found = false;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    let tids: string[];
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // "PID (comm) state ppid ...": comm may hold spaces, so fields are counted from its ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid || !stat.startsWith(`${pid} (workerd)`)) continue;
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      // Gone between listing and reading: not running, so not one of ours.
      continue;
    }
    let sum = 0;
    let read = 0;
    for (const tid of tids) {
      try {
        sum += onCpuNs(`/proc/${pid}/task/${tid}/schedstat`);
        read++;
      } catch {
        // A thread that ended since the listing: like any exited thread, not counted.
      }
    }
    if (read === 0) continue;
    ns += sum;
    found = true;
  }
  return found ? ns / 1e6 : undefined;
}
