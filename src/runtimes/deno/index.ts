/**
 * spanwise for Deno. Importing it installs AsyncLocalStorage context (from `node:async_hooks`),
 * reads configuration from `Deno.env` as far as permissions allow (no `--allow-env` means
 * defaults, never an error) and flushes when the program ends and on SIGTERM and SIGINT.
 * `withTracing(handler)` makes every `Deno.serve` request a SERVER span. It re-exports the whole
 * core API, so `import { init, observe, withTracing } from "spanwise/deno"` is all a Deno
 * service needs.
 *
 * @module
 */
import "./register.js";

export { init } from "./init.js";
export { withTracing } from "./with-tracing.js";
export type { ServeTracingOptions } from "../serve/trace-request.js";
export { registerDeno } from "./runtime.js";
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
