import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ConfigFile } from "../../core/config.js";
import { ConfigError } from "../../core/errors.js";
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
export function findConfigFile(from?: string): ConfigFile | undefined {
  let dir: string;
  try {
    dir = resolve(from ?? process.cwd());
  } catch {
    // The working directory was removed under the process: there is nothing to look in.
    return undefined;
  }
  for (;;) {
    const path = join(dir, CONFIG_FILE_NAME);
    if (isFile(path)) return parseConfigFile(read(path), path);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError("contents", (err as NodeJS.ErrnoException).code ?? String(err), "a file this process can read", path, { cause: err });
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
