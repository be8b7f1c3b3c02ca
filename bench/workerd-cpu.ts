import { readFileSync, readdirSync } from "node:fs";

const onCpuNs = (path: string): number => Number(readFileSync(path, "utf8").split(" ")[0]);

/**
 * The CPU time, in milliseconds, that the workerd processes this process started (Miniflare's)
 * have used so far: the sum over their threads of what Linux's scheduler accounted to each
 * (`/proc/PID/task/TID/schedstat`, in nanoseconds). Unlike the time until Miniflare's `ready`,
 * it leaves out Miniflare's own work in Node, which grows with the bytes it hands workerd. A
 * thread that has already exited is not counted; workerd's threads live as long as it does.
 * `undefined` where there is no `/proc` (not Linux) or no workerd child is running.
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
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // "PID (comm) state ppid ...": comm may hold spaces, so fields are counted from its ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== process.pid || !stat.startsWith(`${pid} (workerd)`)) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) ns += onCpuNs(`/proc/${pid}/task/${tid}/schedstat`);
      found = true;
    } catch {
      // The process ended while being read: it is not one of ours that is running.
    }
  }
  return found ? ns / 1e6 : undefined;
}
