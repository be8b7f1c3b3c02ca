import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CONFIG_FILE_NAME } from "../../core/parse-config-file.js";
import type { CliIo, Command } from "../command.js";
import { parseFlags } from "../parse-flags.js";
import { starterConfig } from "../starter-config.js";

/** `spanwise init [--force]`: writes a commented starter spanwise.config.json in the working directory. */
export const init: Command = {
  name: "init",
  summary: "write a commented starter spanwise.config.json in this directory",
  usage: [
    "Usage: spanwise init [--force]",
    "",
    "Writes a commented starter spanwise.config.json in the working directory, with the",
    "service name taken from package.json. Refuses to replace an existing file.",
    "",
    "Options:",
    "  --force     replace an existing spanwise.config.json",
    "  -h, --help  show this help",
  ].join("\n"),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const flags = parseFlags(args, { force: { type: "boolean" } });
    if (flags.help) {
      io.out(init.usage);
      return 0;
    }
    const path = join(io.cwd, CONFIG_FILE_NAME);
    if (existsSync(path) && !flags.force) {
      io.err(`spanwise init: ${path} already exists; left unchanged. Run \`spanwise init --force\` to replace it.`);
      return 1;
    }
    writeFileSync(path, starterConfig(serviceNameFor(io.cwd)));
    io.out(`Wrote ${path}`);
    io.out("Uncomment what you need, then run `npx spanwise doctor` to see the effective configuration.");
    return 0;
  },
};

/** The package's name without its scope, or the directory's name. */
function serviceNameFor(dir: string): string {
  try {
    const name = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name.replace(/^@[^/]+\//, "");
  } catch {
    // No readable package.json: the directory name will do.
  }
  return basename(dir) || "my-service";
}
