import type { ResolvedConfig } from "../../core/resolved-config.js";
import { ConfigError } from "../../core/errors.js";
import { redactUrl } from "../../core/redact-url.js";
import { VERSION } from "../../core/global.js";
import { CONFIG_FILE_NAME } from "../../core/parse-config-file.js";
import type { CliIo, Command } from "../command.js";
import { configWarnings } from "../config-warnings.js";
import { loadConfig } from "../load-config.js";
import { maskSecret } from "../../core/mask-secret.js";
import { parseFlags } from "../parse-flags.js";

// Identity and delivery first, then sampling and content, then limits; options added later
// and not listed here still show, at the end.
const ORDER = [
  "serviceName", "serviceVersion", "environment", "enabled", "endpoint", "protocol", "compression", "headers", "apiKey", "exporters",
  "sampleRate", "parentBased", "alwaysKeepErrors", "slowThresholdMs", "costThresholdUsd", "tokenThreshold", "maxSpansPerSecond",
  "redact", "processorOrder", "captureContent", "captureInput", "captureOutput", "stripMedia", "instrument", "pricing",
  "resourceAttributes", "globalAttributes", "debug", "flushOnExit", "exportTimeoutMs", "scheduleDelayMs", "maxQueueSize",
  "maxExportBatchSize", "maxTraceWaitMs", "maxAttributes", "maxAttributeKeyLength", "maxAttributeValueLength", "maxEvents", "maxLinks",
];

// Options only code can give (init()); the CLI cannot see them, so it does not list them.
const CODE_ONLY = new Set(["contextStorage", "logger", "fetch", "keepTrace", "processors"]);

/** `spanwise doctor`: the effective configuration, where each value came from, and likely mistakes. */
export const doctor: Command = {
  name: "doctor",
  summary: "show the effective configuration, where each value came from, and likely mistakes",
  usage: [
    "Usage: spanwise doctor",
    "",
    "Resolves the configuration the way init() does here (environment variables, then",
    `${CONFIG_FILE_NAME} from this directory upward, then defaults), prints every value with`,
    "its source (env:NAME, file:PATH or default) with secrets masked, and warns about likely",
    "mistakes. Options passed to init() in code are not visible here and override all of this.",
    "Exits 1 when the configuration is invalid.",
    "",
    "Options:",
    "  -h, --help  show this help",
  ].join("\n"),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (parseFlags(args, {}).help) {
      io.out(doctor.usage);
      return 0;
    }
    io.out(`spanwise ${VERSION} doctor (${io.cwd})`);
    let loaded: ReturnType<typeof loadConfig>;
    try {
      loaded = loadConfig(io);
    } catch (err) {
      if (!ConfigError.isInstance(err)) throw err;
      io.err(err.message);
      io.err(`${fixHint(err)}, then run \`spanwise doctor\` again.`);
      return 1;
    }
    const { config, file } = loaded;
    const sources = loaded.sources();
    io.out(`Config file: ${file ? file.path : `none (no ${CONFIG_FILE_NAME} from ${io.cwd} upward)`}`);
    io.out("");
    io.out("Effective configuration:");
    const rank = (k: string): number => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
    const keys = (Object.keys(config) as (keyof ResolvedConfig)[]).filter((k) => !CODE_ONLY.has(k)).sort((a, b) => rank(a) - rank(b));
    const width = Math.max(...keys.map((k) => k.length));
    const shown = keys.map((k) => [k, show(k, config)] as const);
    const valueWidth = Math.min(48, Math.max(...shown.map(([, v]) => v.length)));
    for (const [key, value] of shown) io.out(`  ${key.padEnd(width)}  ${value.padEnd(valueWidth)}  ${sources[key]}`);
    const warnings = [...loaded.ignored.map((i) => i.message), ...configWarnings(config, sources, io.env)];
    io.out("");
    if (warnings.length === 0) io.out("No problems found.");
    else {
      io.out(`Warnings (${warnings.length}):`);
      for (const w of warnings) io.out(`  ! ${w}`);
    }
    return 0;
  },
};

/** What to change for a ConfigError: the field, or for the file's "contents" its JSON or its permissions. */
function fixHint(err: ConfigError): string {
  if (err.field !== "contents") return `Fix ${err.field} in ${err.source === "environment" ? "the environment" : err.source}`;
  // An unreadable file fails with the system's error code (EACCES) as its cause.
  return typeof (err.cause as { code?: unknown } | undefined)?.code === "string" ? `Make ${err.source} readable` : `Fix the JSON in ${err.source}`;
}

/** One value as doctor prints it, secrets masked. */
function show(key: keyof ResolvedConfig, config: ResolvedConfig): string {
  const value = config[key];
  if (key === "redact") {
    const r = config.redact;
    if (r === undefined) return "off";
    return `${r.mode} (built-in: ${r.builtin.join(", ") || "none"}${r.keys.length ? `; keys: ${r.keys.map(String).join(", ")}` : ""}${r.salt ? `; salt ${maskSecret(r.salt)}` : ""})`;
  }
  if (value === undefined) return "(not set)";
  if (key === "apiKey") return maskSecret(value as string);
  if (key === "headers") {
    const entries = Object.entries(config.headers).map(([k, v]) => `${k}: ${maskSecret(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  if (key === "endpoint") return redactUrl(new URL(value as string), false);
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v)) ?? String(value);
}
