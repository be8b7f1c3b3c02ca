import { G } from "../global.js";
import { encodeOtlpJsonBytes } from "./otlp-json.js";

/**
 * Lets the OTLP/HTTP exporter send `protocol: "http/json"`. Runs when `spanwise/otlp-json`,
 * `spanwise/node`, `/deno`, `/bun` or `/lambda` is imported; the exporter never imports the JSON
 * encoder itself, so a Worker that sends the default protobuf does not carry it (about 2.8 KB
 * gzip). Without it, choosing http/json for an OTLP endpoint is a configuration error.
 *
 * @example
 * registerOtlpJson();
 */
export function registerOtlpJson(): void {
  G.otlpJson ??= encodeOtlpJsonBytes;
}
