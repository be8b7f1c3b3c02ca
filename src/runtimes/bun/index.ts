/**
 * spanwise for Bun. Importing it installs AsyncLocalStorage context, reads configuration from
 * `process.env` (SPANWISE_*, OTEL_*) and flushes on beforeExit, SIGTERM and SIGINT without
 * changing how the process exits. `withTracing(fetch)` makes every `Bun.serve` request a SERVER
 * span. It re-exports the whole core API, so `import { init, observe, withTracing } from
 * "spanwise/bun"` is all a Bun service needs.
 *
 * @module
 */
import "./register.js";

export { init } from "./init.js";
export { withTracing } from "./with-tracing.js";
export type { ServeTracingOptions } from "../serve/trace-request.js";
export { registerBun } from "./runtime.js";
export { createAlsStorage } from "../node/als-storage.js";
export {
  flush,
  shutdown,
  stats,
  observe,
  span,
  startSpan,
  currentSpan,
  withAttributes,
  updateCurrentSpan,
  updateCurrentTrace,
  recordLLM,
  inject,
  extract,
  instrumentFetch,
  SpanwiseError,
  ConfigError,
  createConsoleExporter,
  createMemoryExporter,
  createOtlpHttpExporter,
  encodeOtlpJson,
  encodeOtlpProto,
  safeStringify,
} from "../../index.js";
export type {
  Stats,
  ParentInput,
  ObserveOptions,
  ObserveDecorator,
  StartSpanOptions,
  ScopeAttributes,
  TraceUpdate,
  LLMCallRecord,
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
  AttributeValue,
  Attributes,
  AttributeInput,
  HeaderCarrier,
  RemoteSpanContext,
  FetchInstrumentationOptions,
  PropagateTo,
  Baggage,
  Context,
  ContextStorage,
  SpanwiseOptions,
  Logger,
  ConsoleExporterOptions,
  MemoryExporter,
  OtlpHttpExporterOptions,
  SpanExporter,
  ExportBatch,
  ExportResult,
  InstrumentationScope,
} from "../../index.js";
