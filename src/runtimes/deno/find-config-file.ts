import type { ConfigFile } from "../../core/config.js";
import { CONFIG_FILE_NAME, parseConfigFile } from "../../core/parse-config-file.js";
import type { DenoApi } from "./deno-api.js";

/**
 * Finds the `spanwise.config.json` that applies under Deno: the first one from the working
 * directory upward. Only paths the process may already read are tried, so a program run without
 * `--allow-read` simply has no config file, and never sees a permission prompt.
 *
 * @param deno - the `Deno` namespace
 * @returns the file's path and options, or undefined when there is none (or none readable)
 * @example
 * findDenoConfigFile(Deno)?.path // "/app/spanwise.config.json"
 */
export function findDenoConfigFile(deno: DenoApi): ConfigFile | undefined {
  let cwd: string;
  try {
    cwd = deno.cwd();
  } catch {
    return undefined;
  }
  const sep = cwd.includes("\\") ? "\\" : "/";
  // Without its trailing separator the root is "" (POSIX) or "C:" (Windows), and has no parent.
  let dir = cwd.replace(/[\\/]+$/, "");
  for (;;) {
    const path = `${dir}${sep}${CONFIG_FILE_NAME}`;
    const text = readIfAllowed(deno, path);
    if (text !== undefined) return parseConfigFile(text, path);
    const cut = dir.lastIndexOf(sep);
    if (cut < 0) return undefined;
    dir = dir.slice(0, cut);
  }
}

function readIfAllowed(deno: DenoApi, path: string): string | undefined {
  try {
    const query = deno.permissions?.querySync;
    if (typeof query === "function" && query.call(deno.permissions, { name: "read", path }).state !== "granted") return undefined;
    return deno.readTextFileSync(path);
  } catch {
    // Not there, a directory, or refused (Deno Deploy has no permission API): no file here.
    return undefined;
  }
}
