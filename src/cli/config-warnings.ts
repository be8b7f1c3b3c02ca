import { unknownVariables } from "../core/unknown-variables.js";
import type { ResolvedConfig } from "../core/resolved-config.js";

const LOCAL = new Set(["localhost", "127.0.0.1", "[::1]"]);
// Query parameters that carry a credential: ?api_key=, ?token=, ?sig=, ?auth=, ?password=.
const CREDENTIAL_PARAM = /key|token|secret|auth|pass|sig/i;

/**
 * Likely mistakes in a configuration that is valid: where traces would not arrive, or would
 * arrive somewhere unexpected.
 *
 * @param config - the resolved configuration
 * @param sources - where each field came from, to name it in the warning
 * @param env - the environment, for misspelt SPANWISE_* variables
 * @returns one plain sentence per likely mistake
 * @example
 * configWarnings(config, sources, process.env).forEach((w) => console.log(`! ${w}`))
 */
export function configWarnings(config: ResolvedConfig, sources: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  const from = (key: string): string => ` (${sources[key] ?? "default"})`;
  if (!config.enabled) out.push(`tracing is disabled: enabled is false${from("enabled")}; every call is a no-op.`);
  const exporters = config.exporters;
  // buildExporters: an endpoint always adds OTLP, and with no exporter at all spans go to the console.
  if (exporters !== undefined && exporters.length === 0) out.push(`exporters is an empty list${from("exporters")}: it adds nothing, so spans go to ${config.endpoint === undefined ? "the console" : "the endpoint"} as without it. Remove it, or list the exporters you want.`);
  if (config.endpoint === undefined) {
    if (exporters === undefined) out.push("no endpoint is set, so spans go to the console. Set endpoint (or SPANWISE_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT) to send them to a collector.");
    else if (exporters.includes("otlp")) out.push(`exporters lists "otlp" but no endpoint is set: nothing is sent over OTLP${exporters.length === 1 ? ", and spans go to the console instead" : ""}.`);
  } else {
    const url = new URL(config.endpoint);
    const repeats = (url.pathname.match(/\/v1\/traces/g) ?? []).length;
    if (repeats > 1) {
      out.push(
        `the endpoint path ${url.pathname} repeats /v1/traces${from("endpoint")}. OTEL_EXPORTER_OTLP_ENDPOINT is a base URL to which /v1/traces is appended: give it the origin, or use OTEL_EXPORTER_OTLP_TRACES_ENDPOINT for the full URL.`,
      );
    } else if (!/\/v1\/traces\/?$/.test(url.pathname)) {
      out.push(`the endpoint path is ${url.pathname}${from("endpoint")}, not …/v1/traces, where OTLP/HTTP collectors receive traces. Fine if your backend says so; otherwise expect HTTP 404.`);
    }
    if (url.port === "4317") out.push("the endpoint uses port 4317, the OTLP/gRPC port; spanwise speaks OTLP/HTTP, usually on 4318.");
    const secret =
      config.apiKey !== undefined ||
      Object.keys(config.headers).some((h) => /^(authorization|x-api-key|api-key)$/i.test(h)) ||
      [...url.searchParams.keys()].some((k) => CREDENTIAL_PARAM.test(k));
    if (secret && url.protocol === "http:" && !LOCAL.has(url.hostname)) out.push(`credentials would travel unencrypted: the endpoint ${url.host} uses http://, not https://.`);
  }
  if (config.sampleRate === 0) {
    out.push(`sampleRate is 0${from("sampleRate")}: no trace is kept${config.alwaysKeepErrors ? " except those with an error" : ""}${config.slowThresholdMs !== undefined ? " or slower than slowThresholdMs" : ""}.`);
  }
  const otelExporter = env.OTEL_TRACES_EXPORTER;
  if (otelExporter) {
    // exporters: [] is no way to send nothing: with no exporter left, spans go to the console.
    out.push(
      `OTEL_TRACES_EXPORTER=${otelExporter} is set, but spanwise does not read it: choose exporters in init() or the config file ("otlp" with an endpoint, or "console"); to export nothing, turn tracing off with enabled: false (SPANWISE_ENABLED=false or OTEL_SDK_DISABLED=true).`,
    );
  }
  const samplerArg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  // The spec gives the argument to the ratio samplers only; spanwise then ignores it, as SDKs do.
  if (samplerArg && !sampler) {
    out.push(`OTEL_TRACES_SAMPLER_ARG=${samplerArg} is set without OTEL_TRACES_SAMPLER, so it is ignored: set OTEL_TRACES_SAMPLER=parentbased_traceidratio with it, or use SPANWISE_SAMPLE_RATE.`);
  } else if (samplerArg && /^(parentbased_)?always_(on|off)$/.test(sampler ?? "")) {
    out.push(`OTEL_TRACES_SAMPLER_ARG=${samplerArg} is ignored: OTEL_TRACES_SAMPLER=${sampler} takes no argument (traceidratio and parentbased_traceidratio do).`);
  }
  out.push(...unknownVariables(env));
  return out;
}
