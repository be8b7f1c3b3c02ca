/** What a command may touch: output, the working directory and the environment. */
export interface CliIo {
  /** Writes one line (or several) to standard output. */
  out(text: string): void;
  /** Writes one line (or several) to standard error. */
  err(text: string): void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * One `spanwise <name>` command. Adding a command is one file under `commands/` exporting one of
 * these, plus its line in `commands.ts`.
 */
export interface Command {
  readonly name: string;
  /** One line for `spanwise --help`. */
  readonly summary: string;
  /** The full text of `spanwise <name> --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
