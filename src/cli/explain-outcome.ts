import { RETRYABLE } from "../core/export/otlp-http.js";
import type { ResolvedConfig } from "../core/resolved-config.js";
import { redactUrl } from "../core/redact-url.js";
import { maskSecret } from "../core/mask-secret.js";
import { partialSuccessMessage } from "./partial-success-message.js";
import type { TestTraceOutcome } from "./send-test-trace.js";

/** A test trace's outcome in plain words. */
export interface Explanation {
  readonly ok: boolean;
  readonly reachable: boolean;
  /** One sentence: what happened. */
  readonly result: string;
  /** What to change, when something failed. */
  readonly fix: string | undefined;
}

/**
 * Says what a test trace's outcome means and what to fix.
 *
 * @param outcome - what `sendTestTrace` recorded
 * @param config - the configuration it was sent with (endpoint set)
 * @param timeoutMs - the time it was given
 * @returns the verdict, in words
 * @example
 * explainOutcome(await sendTestTrace(config, 5000), config, 5000).fix
 */
export function explainOutcome(outcome: TestTraceOutcome, config: ResolvedConfig & { endpoint: string }, timeoutMs: number): Explanation {
  const verdict = explain(outcome, config, timeoutMs);
  // Error texts from fetch or the collector may quote the URL with its query values.
  const shown = redactUrl(new URL(config.endpoint), false);
  const scrub = (text: string): string => text.split(config.endpoint).join(shown);
  return { ...verdict, result: scrub(verdict.result), fix: verdict.fix === undefined ? undefined : scrub(verdict.fix) };
}

function explain(outcome: TestTraceOutcome, config: ResolvedConfig & { endpoint: string }, timeoutMs: number): Explanation {
  const url = new URL(config.endpoint);
  const hostPort = `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  const { status, failure } = outcome;
  if (status === undefined) {
    const code = failure?.code;
    const unreachable = (result: string, fix: string): Explanation => ({ ok: false, reachable: false, result, fix });
    if (failure?.name === "TimeoutError" || failure?.name === "AbortError") {
      return unreachable(
        `no answer from ${hostPort} within ${timeoutMs} ms (timeout).`,
        `check that an OTLP/HTTP collector listens at ${hostPort} and is not overloaded, and that no firewall or proxy holds the request; or allow more time with --timeout.`,
      );
    }
    if (code === "ECONNREFUSED") return unreachable(`connection refused at ${hostPort}.`, `is the collector running at ${hostPort}? OTLP/HTTP listens on port 4318 by default.`);
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return unreachable(`the host name ${url.hostname} does not resolve.`, "check the host in the endpoint.");
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") {
      return unreachable(`${hostPort} closed the connection without answering.`, `check that ${hostPort} speaks HTTP${url.port === "4317" ? " (4317 is the OTLP/gRPC port; use 4318)" : ""} and that the endpoint's scheme (${url.protocol}//) is right.`);
    }
    if (failure?.message === "bad port") return unreachable(`fetch refuses to connect to port ${url.port} (a port the Fetch standard blocks).`, "use the collector's OTLP/HTTP port, usually 4318.");
    if (code?.includes("CERT") || code?.includes("SSL") || code?.includes("TLS")) return unreachable(`TLS failed with ${hostPort} (${code}).`, "check the certificate, or the endpoint's scheme (http:// or https://).");
    return unreachable(`cannot reach ${hostPort} (${code ?? failure?.message ?? outcome.error ?? "unknown error"}).`, `check the endpoint and that the collector is running at ${hostPort}.`);
  }
  const answered = (ok: boolean, result: string, fix: string | undefined): Explanation => ({ ok, reachable: true, result, fix });
  if (status >= 200 && status < 300) {
    if (outcome.rejected === 0) return answered(true, `the collector accepted the test trace (trace id ${outcome.traceId}).`, undefined);
    const reason = partialSuccessMessage(outcome.body, outcome.contentType);
    return answered(
      false,
      `the collector answered but rejected ${outcome.rejected} span${outcome.rejected === 1 ? "" : "s"} of 1 (OTLP partial success)${reason ? `: ${reason}` : ""}.`,
      "check the collector's logs and limits (attribute sizes, quotas, accepted services).",
    );
  }
  if (status === 401 || status === 403) {
    // The headers as the exporter builds them: apiKey as a Bearer token, then `headers` over it.
    const sentHeaders: Record<string, string> = config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {};
    for (const [name, value] of Object.entries(config.headers)) sentHeaders[name.toLowerCase()] = value;
    // Backends take credentials in headers of their own (x-honeycomb-team, dd-api-key), so all are named.
    const shown = Object.entries(sentHeaders).map(([name, value]) => `${name}: ${/^Bearer /i.test(value) ? `${value.slice(0, 7)}${maskSecret(value.slice(7))}` : maskSecret(value)}`);
    const sent = shown.length > 0 ? `sent ${shown.join(", ")}` : "no authorization or other credential header was sent";
    return answered(
      false,
      `the collector refused the credentials (${status === 401 ? "not authenticated" : "not allowed to write traces"}).`,
      `check the API key (apiKey / SPANWISE_API_KEY) or the headers (headers / OTEL_EXPORTER_OTLP_HEADERS); ${sent}.`,
    );
  }
  if (status === 404) return answered(false, `nothing receives traces at ${url.pathname}.`, `check the path: OTLP/HTTP expects …/v1/traces, e.g. ${url.origin}/v1/traces.`);
  if (status === 415) return answered(false, `the collector does not accept ${config.protocol} here.`, `set protocol to ${config.protocol === "http/json" ? '"http/protobuf"' : '"http/json"'}.`);
  if (status === 413) return answered(false, "the collector says the request is too large.", "raise the collector's request size limit.");
  if (status === 429 || status >= 500) {
    const retried = RETRYABLE.has(status) ? "spanwise retries this status in normal use" : `spanwise does not retry HTTP ${status} (only ${[...RETRYABLE].join(", ")}): each such export is dropped and counted in dropped.exportFailed`;
    return answered(false, `the collector is ${status === 429 ? "throttling" : "failing"} (HTTP ${status}).`, `check the collector's logs; ${retried}.`);
  }
  return answered(false, `the collector refused the test trace (HTTP ${status}).`, outcome.error ?? "check the collector's logs.");
}
