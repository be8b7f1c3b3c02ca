import * as z from "zod/mini";
import type { OptionsSchema } from "./config.js";
import { API_KEY_MAX_LENGTH, HAS_CREDENTIALS, HEADER_NAME, TEXT_MAX_LENGTH } from "./config-expected.js";
import { isHeaderValue } from "./is-header-value.js";
import type { ContextStorage } from "./context.js";
import type { SpanExporter } from "./export/types.js";
import type { LLMInstrumentation } from "./llm/fetch-providers.js";
import type { PricingOption } from "./llm/pricing.js";
import type { Logger } from "./logger.js";
import { isAttributeValue, isExporter, isInstrumentation, pricingProblem } from "./option-guards.js";
import type { FinishedTrace, RedactOptions, TraceProcessor } from "./pipeline/types.js";

const int = (min: number, max: number) => z.optional(z.number().check(z.int(), z.gte(min), z.lte(max)));
const num = (min: number, max: number) => z.optional(z.number().check(z.gte(min), z.lte(max)));
const fn = <F>() => z.optional(z.custom<F>((v) => typeof v === "function"));

let zodOptions: OptionsSchema | undefined;

/**
 * The zod schema of every option, built on first use: building it costs milliseconds, and a
 * bundle that never calls resolveConfig (the Workers entry, see config-check.ts) never holds it.
 */
export function optionsSchema(): OptionsSchema {
  if (zodOptions !== undefined) return zodOptions;
  const text = z.optional(z.string().check(z.minLength(1), z.maxLength(TEXT_MAX_LENGTH)));
  // Both are sent as headers: a value fetch refuses would fail every export, so it fails init().
  const key = z.optional(z.string().check(z.minLength(1), z.maxLength(API_KEY_MAX_LENGTH), z.refine((v) => isHeaderValue(v, false))));
  const bool = z.optional(z.boolean());
  zodOptions = z.strictObject({
  serviceName: text,
  serviceVersion: text,
  environment: text,
  enabled: bool,
  debug: bool,
  // fetch refuses URLs with credentials, so every export would fail.
  endpoint: z.optional(z.url({ protocol: /^https?$/ }).check(z.refine((v) => !HAS_CREDENTIALS.test(v)))),
  headers: z.optional(z.record(z.string().check(z.regex(HEADER_NAME)), z.string().check(z.refine((v) => isHeaderValue(v))))),
  apiKey: key,
  compression: z.optional(z.enum(["gzip", "none"])),
  protocol: z.optional(z.enum(["http/json", "http/protobuf"])),
  exporters: z.optional(z.array(z.custom<SpanExporter | "console" | "otlp">(isExporter))),
  resourceAttributes: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
  captureInput: bool,
  captureOutput: bool,
  maxAttributes: int(1, 100_000),
  maxAttributeValueLength: int(16, 10_000_000),
  maxEvents: int(0, 100_000),
  maxLinks: int(0, 100_000),
  maxQueueSize: int(1, 10_000_000),
  maxExportBatchSize: int(1, 100_000),
  scheduleDelayMs: int(0, 3_600_000),
  exportTimeoutMs: int(1, 3_600_000),
  flushOnExit: bool,
  contextStorage: z.optional(z.custom<ContextStorage>((v) => typeof v === "object" && v !== null && typeof (v as ContextStorage).run === "function" && typeof (v as ContextStorage).get === "function")),
  logger: z.optional(z.custom<Logger>((v) => typeof v === "object" && v !== null && typeof (v as Logger).warn === "function")),
  fetch: fn<typeof fetch>(),
  sampleRate: num(0, 1),
  parentBased: bool,
  alwaysKeepErrors: bool,
  slowThresholdMs: num(0, Number.MAX_SAFE_INTEGER),
  costThresholdUsd: num(0, Number.MAX_SAFE_INTEGER),
  tokenThreshold: num(0, Number.MAX_SAFE_INTEGER),
  keepTrace: fn<(trace: FinishedTrace) => boolean>(),
  maxTraceWaitMs: int(0, 3_600_000),
  maxSpansPerSecond: num(1, 100_000_000),
  // Checked field by field in resolveRedact, so an error can name redact.mode, redact.salt, ...
  redact: z.optional(z.custom<boolean | RedactOptions>((v) => typeof v === "boolean" || (typeof v === "object" && v !== null && !Array.isArray(v)))),
  processorOrder: z.optional(z.enum(["safety", "efficiency"])),
  maxAttributeKeyLength: int(1, 100_000),
  stripMedia: bool,
  globalAttributes: z.optional(z.record(z.string().check(z.minLength(1)), z.custom<unknown>(isAttributeValue))),
  processors: z.optional(z.array(z.custom<TraceProcessor>((v) => typeof v === "function"))),
  captureContent: bool,
  // Checked as a whole, so the issue's path names the wrong field inside it (pricing.gpt-4o.input).
  pricing: z.optional(
    z.custom<PricingOption>().check(
      z.superRefine((v, ctx) => {
        const at = pricingProblem(v);
        if (at !== undefined) ctx.addIssue({ code: "custom", path: at, input: v });
      }),
    ),
  ),
  instrument: z.optional(z.array(z.custom<LLMInstrumentation>(isInstrumentation))),
}) as unknown as OptionsSchema;
  return zodOptions;
}
