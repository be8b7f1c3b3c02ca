#!/usr/bin/env node
/**
 * The `spanwise` command line: `init`, `doctor`, `check`, `dev`. Built by tsup into dist/cli.js, the
 * package's `bin`; runs on Node 20 and later.
 *
 * @module
 */
import { COMMANDS } from "./commands.js";
import { runCli } from "./run-cli.js";

// `spanwise doctor | head` closes the pipe early; that is not a failure worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const io = {
  out: (text: string): void => void process.stdout.write(`${text}\n`),
  err: (text: string): void => void process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  env: process.env,
};

runCli(process.argv.slice(2), io, COMMANDS).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    io.err(`spanwise: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
