import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ConfigFile } from "../../core/config.js";
import { CONFIG_FILE_NAME, parseConfigFile } from "../../core/parse-config-file.js";

/**
 * Finds the `spanwise.config.json` that applies to a directory: the first one found from that
 * directory upward to the file system root. Used by Node and Bun; throws a ConfigError naming
 * the file when it is not valid.
 *
 * @param from - where to start; default the working directory
 * @returns the file's path and options, or undefined when there is none
 * @example
 * findConfigFile("/app/packages/api")?.path // "/app/spanwise.config.json"
 */
export function findConfigFile(from: string = process.cwd()): ConfigFile | undefined {
  let dir = resolve(from);
  for (;;) {
    const path = join(dir, CONFIG_FILE_NAME);
    if (isFile(path)) return parseConfigFile(readFileSync(path, "utf8"), path);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // Missing or unreadable directories on the way up count as "no file here".
    return false;
  }
}
