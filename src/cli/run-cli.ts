import { VERSION } from "../core/global.js";
import { nearestName } from "../core/nearest-name.js";
import type { CliIo, Command } from "./command.js";
import { EXIT_USAGE, UsageError } from "./usage-error.js";

/**
 * The text of `spanwise --help` for a command table.
 *
 * @param commands - the commands to list
 * @returns the usage text
 * @example
 * io.out(usage(COMMANDS))
 */
export function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: spanwise <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help; `spanwise <command> --help` for one command",
    "  -v, --version  print the version",
    "",
    "Configuration comes from init() options, then SPANWISE_* / OTEL_* environment variables,",
    "then spanwise.config.json (the first found from the working directory upward), then defaults.",
  ].join("\n");
}

/**
 * Runs one `spanwise` command line and resolves to its exit code: 0 done, 1 failed, 2 a command
 * line spanwise does not understand.
 *
 * @param argv - the arguments after `spanwise`
 * @param io - output, working directory and environment
 * @param commands - the command table
 * @returns the exit code
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io, COMMANDS);
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-v") {
    io.out(VERSION);
    return 0;
  }
  // `spanwise help`, `help help` and `help --help` all ask for the general usage.
  if (first === "--help" || first === "-h" || (first === "help" && (rest.length === 0 || ["help", "--help", "-h"].includes(rest[0] as string)))) {
    io.out(usage(commands));
    return 0;
  }
  // `spanwise help <command>` is `spanwise <command> --help`, errors included.
  const name = first === "help" ? rest[0] : first;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(name === undefined ? "spanwise: no command given" : unknown(name, commands));
    io.err("");
    io.err(usage(commands));
    return EXIT_USAGE;
  }
  if (first === "help") {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`spanwise ${command.name}: ${err.message}`);
    io.err("");
    io.err(command.usage);
    return EXIT_USAGE;
  }
}

/** "unknown command 'doctr' (did you mean doctor?)", for a command or a top-level option. */
function unknown(name: string, commands: readonly Command[]): string {
  const option = name.startsWith("-");
  const meant = nearestName(name, option ? ["--help", "--version"] : commands.map((c) => c.name));
  return `spanwise: unknown ${option ? "option" : "command"} '${name}'${meant ? ` (did you mean ${meant}?)` : ""}`;
}
