// Starts a Deno program for the suites. Deno.Command rather than node:child_process: the latter
// runs a child `deno` with every permission and reports a handled signal as a kill.
import type { Exit, Spawned } from "../serve/serve-suite.ts";

/** Permissions the fixtures get: the loopback network and the environment, nothing else. */
export const FIXTURE_PERMISSIONS = ["--no-prompt", "--allow-net=127.0.0.1", "--allow-env"];

/**
 * Runs `deno run <args>` with `env` added to this process's environment.
 *
 * @param args - arguments after `deno run`
 * @param env - extra environment variables
 * @returns the running process
 */
export function spawnDeno(args: string[], env: Record<string, string> = {}): Spawned {
  const child = new Deno.Command(Deno.execPath(), { args: ["run", ...args], env, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
  const listeners: ((text: string) => void)[] = [];
  let err = "";
  const drain = async (stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
  };
  const out = drain(child.stdout, (text) => listeners.forEach((l) => l(text)));
  const errDone = drain(child.stderr, (text) => (err += text));
  const exited = (async (): Promise<Exit> => {
    const status = await child.status;
    await Promise.all([out, errDone]);
    return status.signal ? { code: null, signal: status.signal } : { code: status.code, signal: null };
  })();
  return { pid: child.pid, exited, onStdout: (l) => void listeners.push(l), stderr: () => err };
}
