/**
 * The commented `spanwise.config.json` that `spanwise init` writes. Options left commented out
 * keep their defaults; every line is valid once uncommented.
 *
 * @param serviceName - the service name to fill in
 * @returns the file's text
 * @example
 * writeFileSync("spanwise.config.json", starterConfig("support-bot"))
 */
export function starterConfig(serviceName: string): string {
  return `// spanwise configuration, read by init() on Node, Bun and Deno from the working directory
// upward. Options given to init() and SPANWISE_* / OTEL_* environment variables override it.
// Comments and trailing commas are allowed. Check the result with \`npx spanwise doctor\`.
{
  // service.name on every span (env: SPANWISE_SERVICE_NAME or OTEL_SERVICE_NAME).
  "serviceName": ${JSON.stringify(serviceName)},

  // deployment.environment.name, e.g. "production" (env: SPANWISE_ENVIRONMENT).
  // "environment": "development",

  // Your OTLP/HTTP collector; a bare origin gets /v1/traces appended. Without an endpoint,
  // spans are printed to the console (env: SPANWISE_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT).
  // "endpoint": "http://localhost:4318/v1/traces",

  // Sent as "Authorization: Bearer <apiKey>". Keep secrets out of files you commit:
  // prefer the SPANWISE_API_KEY variable, or OTEL_EXPORTER_OTLP_HEADERS for other headers.
  // "apiKey": "your-api-key",
  // "headers": { "x-api-key": "your-api-key" },

  // Encoding "http/protobuf" (smaller bodies) or "http/json" (for a collector that takes only
  // JSON); compression "gzip" or "none".
  "protocol": "http/protobuf",
  "compression": "gzip",

  // Share of traces kept, 0 to 1 (env: SPANWISE_SAMPLE_RATE). Traces with an error are kept
  // whatever the rate while alwaysKeepErrors is true; so are traces slower than slowThresholdMs.
  "sampleRate": 1,
  "alwaysKeepErrors": true,
  // "slowThresholdMs": 5000,

  // Mask e-mails, phone numbers, card numbers, API keys, bearer tokens and JWTs before export:
  // true, or { "mode": "mask" | "remove" | "hash", "keys": ["password"] } (env: SPANWISE_REDACT).
  "redact": false,

  // Record prompts and completions on LLM spans (env: SPANWISE_CAPTURE_CONTENT).
  "captureContent": true,

  // Log the span lifecycle and every export outcome (env: SPANWISE_DEBUG).
  "debug": false,
}
`;
}
