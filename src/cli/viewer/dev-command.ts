import { parseFlags } from "../parse-flags.js";
import { UsageError } from "../usage-error.js";
import { ConfigError } from "../../core/errors.js";
import { remoteUrls } from "./remote-urls.js";
import { type Viewer, type ViewerOptions, startViewer } from "./start-viewer.js";

/** The text of `spanwise dev --help`. */
export const DEV_USAGE = `Usage: spanwise dev [--port 4318] [--host 127.0.0.1] [--data .spanwise] [--token T]

Starts the local trace viewer: OTLP/HTTP (JSON or protobuf) at /v1/traces, the web UI at /.
  --port   port to listen on (default 4318, the OTLP/HTTP port; 0 picks a free one)
  --host   address to bind (default 127.0.0.1; any other needs --token)
  --data   folder of the JSONL trace store (default .spanwise)
  --token  require this token (Authorization: Bearer, or ?token= in the browser);
           SPANWISE_DEV_TOKEN sets it without putting it on the command line`;

const FLAGS = { port: { type: "string" }, host: { type: "string" }, data: { type: "string" }, token: { type: "string" } } as const;

/** Where `devCommand` writes, and what ends it; tests replace them. */
export interface DevCommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the viewer should stop. Default: the first SIGINT or SIGTERM. */
  stopped?: Promise<unknown>;
  /** Called once the viewer listens. */
  started?(viewer: Viewer): void;
}

const defaultIo: DevCommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `spanwise dev`: parses `[--port 4318] [--host 127.0.0.1] [--data .spanwise] [--token T]`,
 * starts the viewer and serves until SIGINT or SIGTERM.
 *
 * @param args - the arguments after `dev`
 * @param io - output and stop signal (tests)
 * @returns the exit code: 0 after a clean stop, 2 for bad arguments, 1 when the viewer cannot start
 * @example
 * process.exitCode = await devCommand(process.argv.slice(3));
 */
export async function devCommand(args: string[], io: DevCommandIo = defaultIo): Promise<number> {
  const options: ViewerOptions = {};
  const envToken = process.env.SPANWISE_DEV_TOKEN;
  if (envToken) options.token = envToken;
  // As runCli prints the other commands' usage errors: the message, a blank line, the usage.
  const usageError = (message: string): number => {
    io.err(`spanwise dev: ${message}\n\n${DEV_USAGE}`);
    return 2;
  };
  let flags: ReturnType<typeof parseFlags<typeof FLAGS>>;
  try {
    flags = parseFlags(args, FLAGS);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usageError(err.message);
  }
  if (flags.help) {
    io.out(DEV_USAGE);
    return 0;
  }
  for (const name of ["port", "host", "data", "token"] as const) {
    if (flags[name] === "") return usageError(`--${name} needs a value`);
  }
  if (typeof flags.port === "string") {
    if (!/^\d+$/.test(flags.port) || Number(flags.port) > 65535) return usageError(`--port must be a number from 0 to 65535, got "${flags.port}"`);
    options.port = Number(flags.port);
  }
  if (typeof flags.host === "string") options.host = flags.host;
  if (typeof flags.data === "string") options.dataDir = flags.data;
  if (typeof flags.token === "string") options.token = flags.token;

  let viewer: Viewer;
  try {
    viewer = await startViewer(options);
  } catch (err) {
    if (ConfigError.isInstance(err) && err.field === "host") {
      io.err(`spanwise dev: refusing to bind ${options.host} without --token: traces hold prompts and user data. Pass --token <secret> (or SPANWISE_DEV_TOKEN), or keep the default 127.0.0.1.`);
      return 2;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") io.err(`spanwise dev: port ${options.port ?? 4318} is in use; pick another with --port (0 picks a free one)`);
    else io.err(`spanwise dev: cannot start the viewer: ${(err as Error).message}`);
    return 1;
  }
  const endpoint = `${viewer.url}v1/traces`;
  io.out(`spanwise dev: viewer on ${viewer.url}${options.token ? "  (token required: open it with ?token=<token>)" : ""}`);
  if (options.host === "0.0.0.0" || options.host === "::" || options.host === "[::]") {
    const remote = remoteUrls(options.host, viewer.port);
    io.out(remote.length > 0 ? `spanwise dev: from other machines: ${remote.join("  ")}` : `spanwise dev: bound to ${options.host}, but this machine has no address besides the loopback`);
  }
  io.out(`spanwise dev: send OTLP/HTTP to ${endpoint}  (SPANWISE_ENDPOINT=${endpoint}, or OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.url.replace(/\/$/, "")})`);
  io.out(`spanwise dev: storing traces in ${options.dataDir ?? ".spanwise"}/traces.jsonl; Ctrl-C to stop`);
  io.started?.(viewer);

  await (io.stopped ?? waitForSignal());
  await viewer.close();
  return 0;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
