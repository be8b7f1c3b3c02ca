/**
 * spanwise for Cloudflare Workers and Durable Objects. `instrument(handler, options)` traces a
 * module Worker's events and exports each event's spans through `ctx.waitUntil`;
 * `instrumentDurableObject(Class, options)` does the same for a Durable Object class, and
 * `tracedStub(stub)` carries the trace into one. Nothing runs at import: no timers, no I/O. It
 * re-exports the whole core API, so `import { instrument, observe } from "spanwise/workers"` is
 * all a Worker needs, unless it redacts (`import "spanwise/redact"`), sends OTLP/JSON
 * (`import "spanwise/otlp-json"`) or traces LLM APIs at the fetch level (`import "spanwise/llm"`),
 * parts kept out of Workers that do not use them. Under the `workerd` and `worker` export
 * conditions, bare `spanwise` resolves here too.
 *
 * @module
 */
export { init } from "./init.js";
export { instrument } from "./instrument.js";
export { instrumentDurableObject } from "./instrument-durable-object.js";
export { tracedStub } from "./traced-stub.js";
export { registerWorkers } from "./isolate.js";
export type { WorkersOptions, WorkersOptionsInput } from "./options.js";
export type { PropagateTo } from "../../core/instrument-fetch.js";
export type { WorkerHandler, ExecutionContext, ScheduledController, MessageBatch, EmailMessage, DurableObjectState, DurableObjectClass } from "./types.js";
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
