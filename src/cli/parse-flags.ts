import { type ParseArgsConfig, parseArgs } from "node:util";
import { nearestName } from "../core/nearest-name.js";
import { UsageError } from "./usage-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses a command's flags strictly (node:util parseArgs): an unknown flag, a missing value or a
 * stray argument is a UsageError, a misspelt flag naming the one most likely meant. `--help` / `-h`
 * is always accepted.
 *
 * @param args - the arguments after the command name
 * @param options - the command's own flags, as parseArgs takes them
 * @returns the flag values
 * @example
 * parseFlags(["--force"], { force: { type: "boolean" } }) // { force: true, help: undefined }
 */
export function parseFlags<O extends Options>(args: readonly string[], options: O): Record<keyof O | "help", string | boolean | undefined> {
  try {
    const { values } = parseArgs({ args: [...args], options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
    return values as unknown as Record<keyof O | "help", string | boolean | undefined>;
  } catch (err) {
    // parseArgs explains itself ("Unknown option '--forse'"), minus a hint meant for its own API,
    // and starts lower-case like spanwise's own messages, which follow "spanwise <command>: ".
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, "").replace(/\.$/, "");
    const flag = (err as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'(--?[^'=]+)/.exec(message)?.[1] : undefined;
    const meant = flag === undefined ? undefined : nearestName(flag, [...Object.keys(options), "help"].map((name) => `--${name}`));
    throw new UsageError(`${message.charAt(0).toLowerCase()}${message.slice(1)}${meant ? ` (did you mean ${meant}?)` : ""}`);
  }
}
