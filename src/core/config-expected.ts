import { LLM_APIS } from "./option-guards.js";

/** The longest serviceName, serviceVersion and environment accepted. */
export const TEXT_MAX_LENGTH = 1024;
/** The longest apiKey accepted: bearer tokens (Entra ID, GCP identity tokens) run to several kilobytes. */
export const API_KEY_MAX_LENGTH = 16_384;

/** A header name fetch accepts: an HTTP token. */
export const HEADER_NAME = /^[!#$%&'*+.^`|~\w-]+$/;

const BOOLEAN_TEXT = "true or false (or 1 / 0, yes / no, on / off)";

/** What each option (or environment variable) expects, for ConfigError messages. */
export const EXPECTED: Record<string, string> = {
  enabled: "true or false",
  debug: "true or false",
  serviceName: "a non-empty string",
  endpoint: "an http(s) URL such as http://localhost:4318/v1/traces",
  headers: "an object of header names (letters, digits and !#$%&'*+.^_`|~-) to string values without a line break inside or characters past U+00FF",
  apiKey: "a non-empty string without a line break inside or characters past U+00FF",
  compression: '"gzip" or "none"',
  protocol: '"http/json" or "http/protobuf" (grpc is not supported)',
  exporters: 'an array of exporters or "console" / "otlp"',
  resourceAttributes: "an object of string, number or boolean values",
  maxAttributes: "an integer from 1 to 100000",
  maxAttributeValueLength: "an integer from 16 to 10000000",
  maxEvents: "an integer from 0 to 100000",
  maxLinks: "an integer from 0 to 100000",
  maxQueueSize: "an integer from 1 to 10000000",
  maxExportBatchSize: "an integer from 1 to 100000",
  scheduleDelayMs: "an integer number of milliseconds from 0 to 3600000",
  exportTimeoutMs: "an integer number of milliseconds from 1 to 3600000",
  contextStorage: "an object with get() and run()",
  logger: "an object with warn(), and optionally debug() and error()",
  fetch: "a fetch function",
  sampleRate: "a number from 0 (keep no trace) to 1 (keep every trace)",
  parentBased: "true or false",
  alwaysKeepErrors: "true or false",
  slowThresholdMs: "a number of milliseconds, 0 or more",
  costThresholdUsd: "a number of US dollars, 0 or more",
  tokenThreshold: "a number of tokens, 0 or more",
  keepTrace: "a function (trace) => boolean",
  maxTraceWaitMs: "an integer number of milliseconds from 0 (do not hold traces) to 3600000",
  maxSpansPerSecond: "a number from 1 to 100000000",
  redact: "true, false or an object { mode, patterns, builtinPatterns, keys, salt }",
  processorOrder: '"safety" or "efficiency"',
  maxAttributeKeyLength: "an integer from 1 to 100000",
  stripMedia: "true or false",
  globalAttributes: "an object of string, number, boolean or array values with non-empty keys",
  processors: "an array of functions (trace) => void | boolean | Promise<void | boolean>",
  captureContent: "true or false",
  instrument: `an array of ${LLM_APIS.map((n) => `"${n}"`).join(", ")} or { baseURL: "https://...", provider: "name", api?: "openai" | "anthropic" | "gemini", streamUsage?: boolean }`,
  pricing: 'an object { "model-name": { input, output, cacheRead?, cacheWrite?, cacheWrite1h? } } in US$ per million tokens, or a list of { model: string | RegExp, input, output }',
  // Environment variables whose text means something other than the option's type.
  OTEL_TRACES_SAMPLER: "one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
  OTEL_TRACES_SAMPLER_ARG: "a number from 0 to 1",
  SPANWISE_REDACT: "true, false, mask, remove or hash",
  SPANWISE_ENABLED: BOOLEAN_TEXT,
  SPANWISE_DEBUG: BOOLEAN_TEXT,
  SPANWISE_CAPTURE_CONTENT: BOOLEAN_TEXT,
};

/** An endpoint with a user name or password in it (`https://user:pw@host`), which fetch refuses. */
export const HAS_CREDENTIALS = /^[^/]*\/\/[^/?#]*@/;

/** What an endpoint with a user name or password in it gets told. */
export const ENDPOINT_WITHOUT_CREDENTIALS = "an http(s) URL without credentials; put them in headers or apiKey";
