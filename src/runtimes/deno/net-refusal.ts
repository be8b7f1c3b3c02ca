import type { DenoApi } from "./deno-api.js";

/**
 * Why Deno would not let an export reach `endpoint` without asking, or undefined when it would.
 * Without `--allow-net` for the collector's host, Deno asks at a terminal before the first
 * export, and that prompt holds the whole program (requests, timers, the flush on exit) until
 * someone answers; without a terminal every attempt fails and is retried. So spanwise asks the
 * permission API first and never sends a request Deno would refuse or prompt for.
 *
 * @param deno - the `Deno` namespace
 * @param endpoint - the collector's URL
 * @returns the reason, naming the flag to add, or undefined
 * @example
 * netRefusal(Deno, "http://localhost:4318/v1/traces") // "Deno may not connect to localhost:4318: ..."
 */
export function netRefusal(deno: DenoApi, endpoint: string): string | undefined {
  const query = deno.permissions?.querySync;
  // Deno Deploy and older releases have no permission API: send, and let a refusal fail it.
  if (typeof query !== "function") return undefined;
  try {
    const url = new URL(endpoint);
    // Deno checks the port a request uses: an allowance for host:443 does not cover the bare host.
    const host = `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
    if (query.call(deno.permissions, { name: "net", host }).state === "granted") return undefined;
    return `Deno may not connect to ${host}: run with --allow-net=${host} (spanwise does not ask, which would hold the program at a prompt)`;
  } catch {
    return undefined;
  }
}
