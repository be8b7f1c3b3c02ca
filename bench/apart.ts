import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Runs a bench module as a script in a process of its own (with this process's Node flags) and
 * returns what it printed. Rows measured after others in one process inherit the heap those
 * grew, which can double or triple their figures.
 *
 * @param moduleUrl - `import.meta.url` of the module to run
 * @param args - its command-line arguments
 * @returns its standard output, trimmed
 * @example
 * const out = await runApart(import.meta.url, ["0"]);
 */
export async function runApart(moduleUrl: string, args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(moduleUrl), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  // "close", not "exit": output may still be arriving when the process exits.
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  if (code !== 0) throw new Error(`${fileURLToPath(moduleUrl)} ${args.join(" ")} exited with ${code}: ${out}`);
  return out.trim();
}

/**
 * Whether the module at `moduleUrl` is the script this process was started with.
 *
 * @example
 * if (isMain(import.meta.url)) console.log(await measureSomething());
 */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] === fileURLToPath(moduleUrl);
}
