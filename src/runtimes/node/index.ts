/**
 * spanwise for Node (and Bun) long-lived processes. Importing it installs AsyncLocalStorage
 * context, reads configuration from `process.env` (SPANWISE_*, OTEL_*) and flushes on
 * beforeExit, SIGTERM and SIGINT. It re-exports the whole core API, so
 * `import { init, observe } from "spanwise/node"` is all a Node service needs.
 *
 * @module
 */
import "./register.js";

export { init } from "./init.js";
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
  setGlobalAttribute,
  removeGlobalAttribute,
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
  FinishedTrace,
  TraceProcessor,
  RedactOptions,
  RedactMode,
  BuiltinPatternName,
  Logger,
  ConsoleExporterOptions,
  MemoryExporter,
  OtlpHttpExporterOptions,
  SpanExporter,
  ExportBatch,
  ExportResult,
  ExportOptions,
  InstrumentationScope,
} from "../../index.js";
export { createAlsStorage } from "./als-storage.js";
export { createFileExporter } from "./file-exporter.js";
export type { FileExporterOptions } from "./file-exporter.js";
export { registerNode } from "./runtime.js";
