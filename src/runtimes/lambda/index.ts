/**
 * spanwise for AWS Lambda. `withTracing(handler)` gives every invocation a root span with
 * `faas.*`, `cloud.*` and trigger attributes (API Gateway, Function URLs, ALB, SQS, SNS,
 * EventBridge, S3, DynamoDB Streams, Kinesis), continues the caller's W3C trace context, and
 * exports the invocation's spans before the handler returns, within the time the invocation has
 * left. Context is AsyncLocalStorage and configuration comes from `process.env`, as on Node. It
 * re-exports the whole core API.
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
  ExportOptions,
  InstrumentationScope,
} from "../../index.js";
export { withTracing } from "./with-tracing.js";
export type { LambdaTracingOptions } from "./lambda-options.js";
export type { LambdaContext, LambdaCallback, LambdaHandler, LambdaResponseStream, StreamingLambdaHandler } from "./types.js";
export { registerLambda } from "./runtime.js";
