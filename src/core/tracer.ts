import type { Attributes } from "./attributes.js";
import { type BatchBuffer, createBatchBuffer } from "./buffer.js";
import { buildExporters } from "./build-exporters.js";
import { chooseStorage } from "./choose-storage.js";
import { now } from "./clock.js";
import { describeError } from "./describe-error.js";
import { type Context, type ContextStorage, EXPORTING } from "./context.js";
import { type Counters, EMPTY_DROPS } from "./counters.js";
import type { ExportBatch, SpanExporter } from "./export/types.js";
import { G, VERSION } from "./global.js";
import { isSpanRecord } from "./is-span-record.js";
import { applySpanUpdate } from "./llm/attributes.js";
import { type SdkLogger, createSdkLogger } from "./logger.js";
import { createTraceAdmission } from "./pipeline/admit-trace.js";
import { initialGlobals } from "./pipeline/global-attributes.js";
import { holdTraces } from "./pipeline/hold-traces.js";
import { createPipeline } from "./pipeline/run-pipeline.js";
import { parseTraceparent } from "./propagation.js";
import type { ResolvedConfig } from "./resolved-config.js";
import { withTimeout } from "./with-timeout.js";
import { exporterName, runExporter } from "./run-exporter.js";
import type { Scope } from "./scope.js";
import { safeStringify } from "./serialize.js";
import { type Span, type SpanContext, type SpanKind, SpanRecord, type SpanType } from "./span.js";
import type { SpanHost, SpanLimits } from "./span-host.js";
import { toRemote } from "./to-remote.js";
import type { TraceData } from "./trace-data.js";
import { ABORTED, describeReason, untilAborted } from "./until-aborted.js";

/** A parent for a new span: a span, a received context, a traceparent string, or null for a new trace. */
export type ParentInput = Span | SpanContext | string | null;

/** The live tracer behind the public API. Internal: runtimes use it, users do not. */
export interface Tracer extends SpanHost {
  readonly config: ResolvedConfig;
  readonly storage: ContextStorage;
  readonly log: SdkLogger;
  readonly resource: Attributes;
  readonly buffer: BatchBuffer;
  readonly counters: Counters;
  /** The current global attributes; replaced, never changed in place, by setGlobalAttribute. */
  globals: Attributes | undefined;
  start(name: string, type: SpanType, kind: SpanKind | undefined, parent: ParentInput | undefined, ctx: Context | undefined, scope: Scope | undefined, startTime?: number): SpanRecord;
  /**
   * Runs spans through the pipeline and every exporter; never rejects. When `signal` aborts, the
   * export is abandoned at once and its spans count as `dropped.exportFailed`.
   */
  exportSpans(spans: SpanRecord[], signal?: AbortSignal): Promise<void>;
  internalError(where: string, err: unknown): void;
  shutdown(): Promise<void>;
  /** Undoes what the runtime set up at init (exit hooks). */
  dispose: (() => void) | undefined;
}

/**
 * The tracer for resolved options: context storage, exporters, counters, the pipeline and the
 * batch buffer, with `start` as the one path every span is made by.
 */
export function createTracer(config: ResolvedConfig): Tracer {
  const secrets = [config.apiKey, ...Object.values(config.headers)].filter((s): s is string => typeof s === "string");
  const log = createSdkLogger(config.logger ?? console, config.debug, secrets);
  const storage = chooseStorage(config, log);
  const exporters = buildExporters(config);
  const counters: Counters = { started: 0, ended: 0, exported: 0, dropped: { ...EMPTY_DROPS }, exportErrors: 0, processorErrors: 0, internalErrors: 0, lastError: undefined };
  G.lastCounters = counters;
  const limits: SpanLimits = {
    attributes: config.maxAttributes,
    valueLength: config.maxAttributeValueLength,
    events: config.maxEvents,
    links: config.maxLinks,
    stackLength: 4096,
    captureLength: config.maxAttributeValueLength,
  };
  const resource: Attributes = {
    ...config.resourceAttributes,
    "service.name": config.serviceName,
    "telemetry.sdk.name": "spanwise",
    "telemetry.sdk.language": G.runtime?.language ?? "webjs",
    "telemetry.sdk.version": VERSION,
  };
  if (config.serviceVersion) resource["service.version"] = config.serviceVersion;
  if (config.environment) resource["deployment.environment.name"] = config.environment;
  try {
    Object.assign(resource, G.runtime?.resource?.());
  } catch {
    // A runtime probe failing costs an attribute, nothing more.
  }
  const scope = { name: "spanwise", version: VERSION };
  const admission = createTraceAdmission(config);
  const charge = admission.charge;

  const tracer: Tracer = {
    config,
    storage,
    log,
    resource,
    counters,
    limits,
    globals: initialGlobals(config),
    buffer: undefined as unknown as BatchBuffer,
    dispose: undefined,

    start(name, type, kind, parentInput, ctx, scopeAttrs, startTime) {
      let parentSpan: SpanRecord | undefined;
      let remote: SpanContext | undefined;
      if (parentInput === undefined) {
        parentSpan = ctx?.span;
        const hint = G.parentHint;
        if (hint !== undefined) parentSpan = hint(parentSpan) ?? parentSpan;
        if (parentSpan === undefined) remote = ctx?.remote;
      } else if (isSpanRecord(parentInput)) {
        parentSpan = parentInput;
      } else if (typeof parentInput === "string") {
        remote = parseTraceparent(parentInput);
      } else if (parentInput !== null && typeof parentInput === "object") {
        remote = toRemote(parentInput);
      }
      let trace: TraceData;
      let recording: boolean;
      let parent: SpanContext | undefined;
      const t0 = startTime ?? now();
      if (parentSpan !== undefined) {
        trace = parentSpan.trace;
        recording = parentSpan.recording;
        parent = parentSpan;
        if (charge !== undefined && recording && trace.sampled) charge();
      } else {
        // Decided once per trace: a number compare on the trace id, or the caller's sampled flag.
        trace = admission.newTrace(remote, startTime === undefined ? t0 : undefined);
        trace.globals = tracer.globals;
        recording = trace.drop === undefined;
        parent = remote;
      }
      if (typeof name !== "string" || name === "") name = typeof name === "string" ? "span" : (safeStringify(name, 128) ?? "span");
      const span = new SpanRecord(tracer, name, type, kind, parent, trace, scopeAttrs, recording, t0);
      if (trace.root === undefined) trace.root = span;
      trace.open?.add(span);
      counters.started++;
      if (log.debugEnabled) log.debug(() => `start ${span.name} ${span.traceId}/${span.spanId}`);
      return span;
    },

    onEnd(span) {
      counters.ended++;
      if (!span.recording) {
        counters.dropped[span.trace.drop ?? "notSampled"]++;
        return;
      }
      if (log.debugEnabled) log.debug(() => `end ${span.name} ${span.spanId} ${(span.endTime - span.startTime).toFixed(3)} ms`);
      try {
        (span.trace.collector ?? tracer.buffer).add(span);
      } catch (err) {
        tracer.internalError("buffer", err);
      }
    },

    onLateCall(span, what) {
      log.debug(() => `${what}() on ended span ${span.name} ${span.spanId} ignored`);
    },

    onUpdate(span, fields) {
      try {
        applySpanUpdate(span, fields, limits.captureLength);
      } catch (err) {
        tracer.internalError("span.update", err);
      }
    },

    async exportSpans(spans, signal) {
      if (spans.length === 0) return;
      let kept: SpanRecord[];
      try {
        // The flush budget covers the pipeline too (async processors, hashing), not only the exporters.
        const running = pipeline.run(spans);
        const result = signal ? await untilAborted(running, signal) : await running;
        if (result === ABORTED) {
          const error = `export abandoned during processing: ${describeReason(signal?.reason)}`;
          // The pipeline still counts what it drops; what it would have sent is counted when it is done.
          void running.then((left) => void (counters.dropped.exportFailed += left.length));
          counters.exportErrors++;
          counters.lastError = log.mask(error);
          log.warn("export:budget", `export of ${spans.length} spans failed: ${error}`);
          return;
        }
        kept = result;
      } catch (err) {
        // Never reached: the pipeline counts its own failure (and sends nothing of the batch).
        tracer.internalError("pipeline", err);
        return;
      }
      if (kept.length === 0) return;
      const batch: ExportBatch = { resource, scope, spans: kept };
      const results = await Promise.all(exporters.map((e) => runExporter(e, batch, signal, storage, EXPORTING, config.exportTimeoutMs)));
      const failed = results.findIndex((r) => !r.ok);
      if (failed >= 0) {
        const error = (results[failed] as { error: string }).error;
        counters.dropped.exportFailed += kept.length;
        counters.exportErrors++;
        counters.lastError = log.mask(error);
        log.warn(`export:${exporterName(exporters[failed] as SpanExporter)}`, `export of ${kept.length} spans failed: ${error}`);
        return;
      }
      const rejected = Math.min(kept.length, Math.max(0, ...results.map((r) => (r.ok ? (r.rejected ?? 0) : 0))));
      counters.exported += kept.length - rejected;
      counters.dropped.rejected += rejected;
      if (rejected > 0) {
        const reason = results.map((r) => (r.ok ? r.message : undefined)).find(Boolean);
        log.warn("export:rejected", `the collector rejected ${rejected} of ${kept.length} spans${reason ? `: ${reason}` : ""}`);
      }
      log.debug(() => `exported ${kept.length - rejected} spans`);
    },

    internalError(where, err) {
      counters.internalErrors++;
      // Read through describeError: what a user's getter threw may not even convert to a string.
      const { message, stack } = describeError(err);
      counters.lastError = log.mask(`${where}: ${message}`);
      log.warn(`internal:${where}`, `internal error in ${where} (tracing continues): ${stack ?? message}`);
    },

    async shutdown() {
      await tracer.buffer.shutdown();
      // Each in its own async call: one exporter's synchronous throw skips no other. Each is bounded
      // (by an unref'd timer), so an exporter whose shutdown never settles holds no process open.
      await Promise.allSettled(exporters.map((e) => withTimeout((async () => e.shutdown?.())(), config.exportTimeoutMs, "an exporter's shutdown did not finish")));
      // Spans still open are in no counter of drops: say so once, where someone will look.
      const open = counters.started - counters.ended;
      if (open > 0) log.warn("open-spans", `${open} span${open === 1 ? " was" : "s were"} started and never ended, so not exported: a streamed body or a generator never read to its end, or a startSpan() without end()?`);
    },
  };
  const pipeline = createPipeline({ config, counters, log, internalError: (where, err) => tracer.internalError(where, err) });
  const batches = createBatchBuffer({
    maxQueueSize: config.maxQueueSize,
    maxExportBatchSize: config.maxExportBatchSize,
    scheduleDelayMs: config.scheduleDelayMs,
    exportBatch: (spans) => tracer.exportSpans(spans),
    onDrop: (count, reason) => {
      counters.dropped[reason] += count;
      if (reason === "queueFull") log.warn("queue-full", `span queue full (maxQueueSize ${config.maxQueueSize}): dropping the oldest spans; is the exporter keeping up?`);
    },
  });
  (tracer as { buffer: BatchBuffer }).buffer = config.maxTraceWaitMs > 0 ? holdTraces(batches, { maxWaitMs: config.maxTraceWaitMs, maxSpans: config.maxQueueSize, now }) : batches;
  return tracer;
}
