import { DEV_USAGE, devCommand } from "../viewer/dev-command.js";
import type { Command } from "../command.js";

/** `spanwise dev`: the local trace viewer, serving until Ctrl-C. */
export const dev: Command = {
  name: "dev",
  summary: "run the local trace viewer (OTLP at /v1/traces, web UI at /) until Ctrl-C",
  usage: DEV_USAGE,
  run: (args, io) => devCommand([...args], { out: io.out, err: io.err }),
};
