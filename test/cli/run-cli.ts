// Runs the built `spanwise` binary as a user would: `node dist/cli.js ...` in a directory of the
// test's choosing, with an environment free of the developer's own SPANWISE_* / OTEL_* variables.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** Fails with a clear message when dist/ was not built (`npm test` builds first). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node dist/cli.js <args>` asynchronously, so a receiver in this process can answer it.
 *
 * @param args - the command line after `spanwise`
 * @param cwd - the working directory
 * @param env - SPANWISE_* / OTEL_* variables to set
 */
export function spanwise(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("SPANWISE_") && !k.startsWith("OTEL_")) clean[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...clean, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
