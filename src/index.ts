/**
 * spanwise: tracing for AI agents and LLM applications on any runtime.
 * The core API; runtime entry points (`spanwise/node`, ...) add async context and exit flushing.
 *
 * @module
 */
export { init } from "./core/init.js";
export { flush, shutdown, stats } from "./core/lifecycle.js";
export type { ParentInput } from "./core/tracer.js";
export type { Stats } from "./core/counters.js";
export { observe } from "./core/observe.js";
export type { ObserveOptions, ObserveDecorator } from "./core/observe.js";
export { span, startSpan, currentSpan, withAttributes, updateCurrentSpan, updateCurrentTrace, recordLLM, inject, extract } from "./core/api.js";
export type { StartSpanOptions, ScopeAttributes, TraceUpdate, LLMCallRecord } from "./core/api.js";
export type {
  Span,
  SpanContext,
  SpanType,
  SpanKind,
  StatusCode,
  SpanUpdate,
  Usage,
  ReadableSpan,
  SpanEvent,
  SpanLink,
  SpanLinkInput,
} from "./core/span.js";
export type { AttributeValue, Attributes, AttributeInput } from "./core/attributes.js";
export type { HeaderCarrier, RemoteSpanContext } from "./core/propagation.js";
export { instrumentFetch } from "./core/instrument-fetch.js";
export type { FetchInstrumentationOptions, PropagateTo } from "./core/instrument-fetch.js";
export type { Baggage, Context, ContextStorage } from "./core/context.js";
export type { SpanwiseOptions } from "./core/spanwise-options.js";
export { setGlobalAttribute, removeGlobalAttribute } from "./core/pipeline/global-attributes.js";
export type { FinishedTrace, TraceProcessor, RedactOptions, RedactMode, BuiltinPatternName } from "./core/pipeline/types.js";
export type { Logger } from "./core/logger.js";
export { SpanwiseError, ConfigError } from "./core/errors.js";
export { createConsoleExporter } from "./core/export/console.js";
export type { ConsoleExporterOptions } from "./core/export/console.js";
export { createMemoryExporter } from "./core/export/memory.js";
export type { MemoryExporter } from "./core/export/memory.js";
export { createOtlpHttpExporter } from "./core/export/create-otlp-http-exporter.js";
export type { OtlpHttpExporterOptions } from "./core/export/otlp-http.js";
export { encodeOtlpJson } from "./core/export/otlp-json.js";
export { encodeOtlpProto } from "./core/export/otlp-proto.js";
export type { SpanExporter, ExportBatch, ExportResult, ExportOptions, InstrumentationScope } from "./core/export/types.js";
export { safeStringify } from "./core/serialize.js";
