import { ConfigError } from "../../core/errors.js";
import { normaliseEndpoint } from "../../core/config.js";
import { redactUrl } from "../../core/redact-url.js";
import type { CliIo, Command } from "../command.js";
import { UsageError } from "../usage-error.js";
import { explainOutcome } from "../explain-outcome.js";
import { loadConfig } from "../load-config.js";
import { parseFlags } from "../parse-flags.js";
import { sendTestTrace } from "../send-test-trace.js";

/** `spanwise check [--endpoint URL] [--timeout MS]`: sends one test trace and says what happened. */
export const check: Command = {
  name: "check",
  summary: "send one test trace to the collector and say what happened",
  usage: [
    "Usage: spanwise check [--endpoint URL] [--timeout MS]",
    "",
    "Sends one test trace through spanwise's OTLP exporter, with the configured protocol,",
    "compression, headers and API key, and reports whether the collector is reachable, the HTTP",
    "status, the latency and what to fix. Exits 0 only when the trace was accepted.",
    "",
    "Options:",
    "  --endpoint URL  send here instead of the configured endpoint (a bare origin gets /v1/traces)",
    "  --timeout MS    how long to wait for the answer (default: exportTimeoutMs, 10000)",
    "  -h, --help      show this help",
  ].join("\n"),
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const flags = parseFlags(args, { endpoint: { type: "string" }, timeout: { type: "string" } });
    if (flags.help) {
      io.out(check.usage);
      return 0;
    }
    const endpoint = typeof flags.endpoint === "string" ? endpointFlag(flags.endpoint) : undefined;
    const timeout = typeof flags.timeout === "string" ? timeoutFlag(flags.timeout) : undefined;
    let config: ReturnType<typeof loadConfig>["config"];
    try {
      const loaded = loadConfig(io);
      config = loaded.config;
      for (const { message } of loaded.ignored) io.err(`! ${message}`);
    } catch (err) {
      if (!ConfigError.isInstance(err)) throw err;
      io.err(err.message);
      return 1;
    }
    const target = endpoint ?? config.endpoint;
    if (target === undefined) {
      io.err("spanwise check: no endpoint to send to. Pass --endpoint URL, or set endpoint in spanwise.config.json, SPANWISE_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT.");
      return 1;
    }
    const timeoutMs = timeout ?? config.exportTimeoutMs;
    const sendWith = { ...config, endpoint: target };
    io.out(`Sending one test trace to ${redactUrl(new URL(target), false)} (${config.protocol}, compression ${config.compression}, timeout ${timeoutMs} ms)…`);
    const outcome = await sendTestTrace(sendWith, timeoutMs);
    const verdict = explainOutcome(outcome, sendWith, timeoutMs);
    io.out(`Reachable: ${verdict.reachable ? "yes" : "no"}`);
    io.out(`HTTP status: ${outcome.status === undefined ? "none" : `${outcome.status}${outcome.statusText ? ` ${outcome.statusText}` : ""}`}`);
    io.out(`Latency: ${outcome.latencyMs} ms`);
    io.out(`Result: ${verdict.ok ? "OK" : "FAILED"}, ${verdict.result}`);
    if (verdict.fix) io.out(`Fix: ${verdict.fix}`);
    return verdict.ok ? 0 : 1;
  },
};

function endpointFlag(value: string): string {
  try {
    const url = new URL(value);
    if (url.username !== "" || url.password !== "") {
      throw new UsageError(`--endpoint must be an http(s) URL without credentials (put them in headers or apiKey), got ${JSON.stringify(redactUrl(url, false))}`);
    }
    if (url.protocol === "http:" || url.protocol === "https:") return normaliseEndpoint(value);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
  throw new UsageError(`--endpoint must be an http(s) URL such as http://localhost:4318/v1/traces, got ${JSON.stringify(value)}`);
}

function timeoutFlag(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 1 || ms > 3_600_000) throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to 3600000, got ${JSON.stringify(value)}`);
  return ms;
}
