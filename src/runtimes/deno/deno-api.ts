/**
 * The few parts of the `Deno` namespace spanwise uses, declared here rather than taken from
 * Deno's own types, so nothing Deno-specific leaks into the published declarations and the
 * package type-checks without them.
 */
export interface DenoApi {
  readonly pid: number;
  readonly version: { readonly deno: string };
  readonly env: { get(name: string): string | undefined };
  readonly permissions?: { querySync?(descriptor: { name: "env"; variable?: string } | { name: "read"; path?: string } | { name: "net"; host?: string }): { readonly state: string } };
  cwd(): string;
  readTextFileSync(path: string): string;
  addSignalListener(signal: DenoSignal, handler: () => void): void;
  removeSignalListener(signal: DenoSignal, handler: () => void): void;
  kill(pid: number, signal: DenoSignal): void;
}

/** The signals spanwise flushes on. */
export type DenoSignal = "SIGTERM" | "SIGINT";

/** The `Deno` global, or undefined outside Deno. */
export function denoApi(): DenoApi | undefined {
  return (globalThis as { Deno?: DenoApi }).Deno;
}
