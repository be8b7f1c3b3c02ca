import type { ContextStorage } from "./context.js";
import type { SpanExporter } from "./export/types.js";
import type { LLMInstrumentation } from "./llm/fetch-providers.js";
import type { PricingOption } from "./llm/pricing.js";
import type { Logger } from "./logger.js";
import type { FinishedTrace, RedactOptions, TraceProcessor } from "./pipeline/types.js";

/**
 * Everything `init()` accepts. Every field is optional; environment variables, then a
 * `spanwise.config.json` (Node, Bun, Deno), fill what is not given (explicit > environment > file > defaults).
 */
export interface SpanwiseOptions {
  /**
   * `service.name` of every span. Env: SPANWISE_SERVICE_NAME, OTEL_SERVICE_NAME. Set nowhere, a
   * `service.name` in `resourceAttributes` is used (as `service.version` and
   * `deployment.environment.name` are for the next two), then the default.
   */
  serviceName?: string;
  /** `service.version`. Env: SPANWISE_SERVICE_VERSION. */
  serviceVersion?: string;
  /** `deployment.environment.name`, e.g. "production". Env: SPANWISE_ENVIRONMENT. */
  environment?: string;
  /** false turns every call into a no-op. Env: SPANWISE_ENABLED, OTEL_SDK_DISABLED. */
  enabled?: boolean;
  /** Logs the span lifecycle and export outcomes. Env: SPANWISE_DEBUG. */
  debug?: boolean;
  /** OTLP/HTTP traces URL; a bare origin gets `/v1/traces` appended. Env: SPANWISE_ENDPOINT, OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  endpoint?: string;
  /** Extra HTTP headers for the OTLP exporter. Env: OTEL_EXPORTER_OTLP_(TRACES_)HEADERS. */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <apiKey>`. Env: SPANWISE_API_KEY. */
  apiKey?: string;
  /**
   * Request body compression for OTLP: "gzip" (default where the runtime can) or "none". "gzip"
   * leaves bodies under 1 KiB as they are (see `createOtlpHttpExporter`'s `compressionMinBytes`).
   * Env: OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION.
   */
  compression?: "gzip" | "none";
  /**
   * OTLP/HTTP encoding: "http/protobuf" (default: the OpenTelemetry spec's, about a third of JSON's bytes) or "http/json". Env: OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL.
   * On Workers and the edge core, "http/json" needs `import "spanwise/otlp-json"` (a ConfigError without it).
   */
  protocol?: "http/json" | "http/protobuf";
  /** Exporters to use. Default: OTLP when an endpoint is set, otherwise the console. */
  exporters?: ReadonlyArray<SpanExporter | "console" | "otlp">;
  /** Extra resource attributes. Env: OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Default for `observe`: record arguments as `input.value`. Default true. */
  captureInput?: boolean;
  /** Default for `observe`: record the result as `output.value`. Default true. */
  captureOutput?: boolean;
  /** Attributes per span before the rest are dropped and counted. Default 128. */
  maxAttributes?: number;
  /** Longest string attribute value; longer ones are cut. Default 16384. */
  maxAttributeValueLength?: number;
  /** Events per span. Default 128. */
  maxEvents?: number;
  /** Links per span. Default 128. */
  maxLinks?: number;
  /** Ended spans held before the oldest are dropped. Default 2048. */
  maxQueueSize?: number;
  /** Spans per export request. Default 512. */
  maxExportBatchSize?: number;
  /** How long a long-lived server waits before exporting a partial batch. Default 1000 ms. */
  scheduleDelayMs?: number;
  /** Upper bound on one export, retries included. Default 10000 ms. */
  exportTimeoutMs?: number;
  /** Flush on beforeExit, SIGTERM and SIGINT (Node, Bun, Deno). Default true. */
  flushOnExit?: boolean;
  /** Replace the runtime's context storage. */
  contextStorage?: ContextStorage;
  /** Where spanwise writes its own warnings. Default: console. */
  logger?: Logger;
  /** The fetch the OTLP exporter uses. Default: globalThis.fetch at init. */
  fetch?: typeof fetch;
  /**
   * Share of traces the head sampler keeps, 0 to 1, decided from the trace id so every service
   * agrees. Default 1. Env: SPANWISE_SAMPLE_RATE, OTEL_TRACES_SAMPLER(_ARG).
   */
  sampleRate?: number;
  /** Follow the caller's sampled flag when a trace comes in with one. Default true. Env: OTEL_TRACES_SAMPLER (parentbased_*). */
  parentBased?: boolean;
  /** Keep every trace that has an error, whatever the head sampler said. Default true. */
  alwaysKeepErrors?: boolean;
  /** Keep every trace slower than this many milliseconds. */
  slowThresholdMs?: number;
  /** Keep every trace whose LLM cost exceeds this many US dollars. */
  costThresholdUsd?: number;
  /** Keep every trace whose LLM token total exceeds this. */
  tokenThreshold?: number;
  /** Keep a trace the head sampler dropped when this returns true. Runs at flush. */
  keepTrace?: (trace: FinishedTrace) => boolean;
  /**
   * Long-lived processes hold a trace's ended spans until its local root ends, for at most this
   * long (and at most maxQueueSize spans), so tail sampling sees whole traces. 0 turns holding
   * off. Default 30000 ms.
   */
  maxTraceWaitMs?: number;
  /** Admit at most this many spans per second, deciding at the start of each trace for the whole trace. Env: SPANWISE_MAX_SPANS_PER_SECOND. */
  maxSpansPerSecond?: number;
  /**
   * Redact PII and secrets at flush: true for the built-in patterns in mask mode, or options. Default off. Env: SPANWISE_REDACT, SPANWISE_REDACT_SALT.
   * On Workers and the edge core it needs `import "spanwise/redact"` (a ConfigError without it).
   */
  redact?: boolean | RedactOptions;
  /** "safety" (default): redact before the `keepTrace` predicate and `processors` see a trace; "efficiency": sample first, redact only what is kept. */
  processorOrder?: "safety" | "efficiency";
  /** Longest attribute key; longer keys are dropped and counted. Default 256. */
  maxAttributeKeyLength?: number;
  /** Replace base64 media (data URLs, inline image and audio data) with a placeholder naming type and size. Default true. */
  stripMedia?: boolean;
  /** Attributes for every span, below what the span and `withAttributes` set. Change at run time with `setGlobalAttribute`. */
  globalAttributes?: Record<string, unknown>;
  /** Functions over each finished trace, run at flush in order. See `TraceProcessor`. */
  processors?: readonly TraceProcessor[];
  /** Record prompts and completions on LLM spans (`gen_ai.input.messages`, `input.value`, ...). Default true. Env: SPANWISE_CAPTURE_CONTENT. */
  captureContent?: boolean;
  /** Model prices (US$ per million tokens) that add to or override the built-in table. */
  pricing?: PricingOption;
  /**
   * LLM APIs to trace at the fetch level, whatever SDK calls them: "openai", "anthropic",
   * "gemini", "groq", "together", "openrouter", "mistral", "deepseek", "xai", "fireworks", or
   * `{ baseURL, provider }` for another OpenAI-compatible host. Wraps `globalThis.fetch`.
   */
  instrument?: readonly LLMInstrumentation[];
}
