import type { Attributes } from "./attributes.js";
import { type BatchBuffer, type DropReason, createBatchBuffer } from "./buffer.js";
import { now } from "./clock.js";
import { resolveConfig } from "./resolve-config.js";
import type { ResolvedConfig } from "./resolved-config.js";
import type { SpanwiseOptions } from "./spanwise-options.js";
import { type Context, type ContextStorage, createAsyncContextStorage, createStackStorage } from "./context.js";
import { optionsFromEnv } from "./env.js";
import { createConsoleExporter } from "./export/console.js";
import { createOtlpHttpExporter } from "./export/otlp-http.js";
import type { ExportBatch, ExportResult, SpanExporter } from "./export/types.js";
import { G, VERSION } from "./global.js";
import { applySpanUpdate } from "./llm/attributes.js";
import { type SdkLogger, createSdkLogger } from "./logger.js";
import { createTraceAdmission } from "./pipeline/admit-trace.js";
import { initialGlobals } from "./pipeline/global-attributes.js";
import { holdTraces } from "./pipeline/hold-traces.js";
import { createPipeline } from "./pipeline/run-pipeline.js";
import { parseTraceparent } from "./propagation.js";
import { safeStringify } from "./serialize.js";
import { type Span, type SpanContext, type SpanKind, SpanRecord, type SpanType } from "./span.js";
import { isSpanRecord } from "./is-span-record.js";
import type { Scope } from "./scope.js";
import type { SpanHost, SpanLimits } from "./span-host.js";
import type { TraceData } from "./trace-data.js";

/** Counters returned by `stats()`. */
export interface Stats {
  readonly enabled: boolean;
  readonly started: number;
  readonly ended: number;
  readonly exported: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
  readonly exportErrors: number;
  /** Errors thrown by `processors` and the `keepTrace` predicate (the traces went on regardless). */
  readonly processorErrors: number;
  readonly queued: number;
  readonly internalErrors: number;
  readonly lastError: string | undefined;
}

/** The live counters behind `stats()`. */
export interface Counters {
  started: number;
  ended: number;
  exported: number;
  dropped: Record<DropReason, number>;
  exportErrors: number;
  processorErrors: number;
  internalErrors: number;
  lastError: string | undefined;
}

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

/** Every drop counter at zero. */
export const EMPTY_DROPS: Record<DropReason, number> = {
  queueFull: 0,
  exportFailed: 0,
  notSampled: 0,
  shutdown: 0,
  rejected: 0,
  rateLimited: 0,
  filtered: 0,
  redactionFailed: 0,
};

/**
 * Starts tracing. Options not given come from the environment, then a config file (Node, Bun,
 * Deno), then defaults. Throws a
 * `ConfigError` naming the bad field; returns false (and logs) if spanwise is already running
 * or is disabled.
 *
 * @param options - see `SpanwiseOptions`; unset fields come from the environment, then defaults
 * @returns true when tracing started; false when already running or disabled
 * @example
 * init({ serviceName: "support-bot", endpoint: "http://localhost:4318/v1/traces" });
 */
export function init(options?: SpanwiseOptions): boolean {
  return initWith(resolveConfig, options);
}

/**
 * `init` with the function that resolves the options: the Workers entry passes one that
 * validates without zod (config-check.ts), so zod stays out of a Worker's bundle.
 *
 * @param resolve - resolveConfig, or resolveConfigWith bound to another schema
 * @param options - as for `init`
 * @example
 * initWith((...args) => resolveConfigWith(optionsCheck, ...args), { serviceName: "edge" });
 */
export function initWith(resolve: typeof resolveConfig, options?: SpanwiseOptions): boolean {
  const runtime = G.runtime;
  const env = runtime?.readEnv?.();
  const envNames: Record<string, string> = {};
  const config = resolve(options, env ? optionsFromEnv(env, envNames) : {}, envNames, runtime?.readConfigFile?.());
  const logTarget = config.logger ?? console;
  if (G.tracer !== undefined) {
    createSdkLogger(logTarget, false).warnOnce("init-twice", "init() called while already running; the first configuration stays. Call shutdown() first to re-initialise.");
    return false;
  }
  if (!config.enabled) return false;
  G.tracer = createTracer(config);
  try {
    G.tracer.dispose = runtime?.onInit?.(G.tracer);
  } catch (err) {
    G.tracer.internalError("runtime init", err);
  }
  if (config.instrument && config.instrument.length > 0) {
    const t = G.tracer;
    const install = G.llmFetch;
    if (install === undefined) t.log.warnOnce("instrument-missing", 'init({ instrument }) needs the LLM parsers: add `import "spanwise/llm"` (spanwise/node includes them). LLM calls are not traced at the fetch level.');
    const restore = install?.(config.instrument) ?? (() => {});
    const runtimeDispose = t.dispose;
    t.dispose = () => {
      restore();
      runtimeDispose?.();
    };
  }
  return true;
}

function chooseStorage(config: ResolvedConfig, log: SdkLogger): ContextStorage {
  const fromRuntime = config.contextStorage ?? G.runtime?.createStorage?.() ?? createAsyncContextStorage();
  if (fromRuntime) return fromRuntime;
  log.warnOnce(
    "no-async-context",
    "no async context storage here: spans nest within synchronous code only and lose their parent after an await. " +
      'On Node, Deno and Bun import "spanwise/node", "spanwise/deno" or "spanwise/bun"; on Cloudflare Workers enable the "nodejs_als" (or "nodejs_compat") compatibility flag.',
  );
  return createStackStorage();
}

function buildExporters(config: ResolvedConfig): SpanExporter[] {
  const otlp = (): SpanExporter | undefined =>
    config.endpoint === undefined
      ? undefined
      : createOtlpHttpExporter({
          endpoint: config.endpoint,
          headers: config.headers,
          apiKey: config.apiKey,
          compression: config.compression,
          protocol: config.protocol,
          timeoutMs: config.exportTimeoutMs,
          fetch: config.fetch,
        });
  const list: SpanExporter[] = [];
  for (const e of config.exporters ?? []) {
    const exporter = e === "console" ? createConsoleExporter() : e === "otlp" ? otlp() : e;
    if (exporter && !list.includes(exporter)) list.push(exporter);
  }
  if (config.endpoint !== undefined && !list.some((e) => e.name === "otlp-http")) list.push(otlp() as SpanExporter);
  if (list.length === 0) list.push(createConsoleExporter());
  return list;
}

function createTracer(config: ResolvedConfig): Tracer {
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
  const suppressed: Context = { suppressed: true };
  const admission = createTraceAdmission(config);
  const charge = admission.charge;

  const runExporter = async (exporter: SpanExporter, batch: ExportBatch, signal: AbortSignal | undefined): Promise<ExportResult> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      // The exporter's own requests run with tracing suppressed, so they never become spans.
      const work = storage.run(suppressed, () => (signal ? exporter.export(batch, { signal }) : exporter.export(batch)));
      const guard = new Promise<ExportResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, error: `exporter "${exporter.name}" did not finish within ${config.exportTimeoutMs + 1000} ms` }), config.exportTimeoutMs + 1000);
        (timer as { unref?: () => void }).unref?.();
        if (signal) {
          onAbort = () => resolve({ ok: false, error: `export abandoned: ${describeReason(signal.reason)}` });
          if (signal.aborted) onAbort();
          else signal.addEventListener("abort", onAbort, { once: true });
        }
      });
      const result = await Promise.race([work, guard]);
      // A custom exporter that resolves with anything but a result is a failure, not a silent loss.
      if (result === null || typeof result !== "object" || typeof result.ok !== "boolean") {
        return { ok: false, error: `exporter "${exporter.name}" returned an invalid result (expected { ok: boolean })` };
      }
      return result;
    } catch (err) {
      return { ok: false, error: `exporter "${exporter.name}" threw: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }
  };

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
      let kept = spans;
      try {
        // The flush budget covers the pipeline too (async processors, hashing), not only the exporters.
        const result = signal ? await untilAborted(pipeline.run(spans), signal) : await pipeline.run(spans);
        if (result === ABORTED) {
          const error = `export abandoned during processing: ${describeReason(signal?.reason)}`;
          counters.dropped.exportFailed += spans.length;
          counters.exportErrors++;
          counters.lastError = error;
          log.warn("export:budget", `export of ${spans.length} spans failed: ${error}`);
          return;
        }
        kept = result;
      } catch (err) {
        tracer.internalError("pipeline", err);
        // With redaction on, spans that missed it are never sent.
        if (config.redact) {
          counters.dropped.redactionFailed += spans.length;
          return;
        }
      }
      if (kept.length === 0) return;
      const batch: ExportBatch = { resource, scope, spans: kept };
      const results = await Promise.all(exporters.map((e) => runExporter(e, batch, signal)));
      const failed = results.findIndex((r) => !r.ok);
      if (failed >= 0) {
        const error = (results[failed] as { error: string }).error;
        counters.dropped.exportFailed += kept.length;
        counters.exportErrors++;
        counters.lastError = error;
        log.warn(`export:${exporters[failed]?.name}`, `export of ${kept.length} spans failed: ${error}`);
        return;
      }
      const rejected = Math.min(kept.length, Math.max(0, ...results.map((r) => (r.ok ? (r.rejected ?? 0) : 0))));
      counters.exported += kept.length - rejected;
      counters.dropped.rejected += rejected;
      if (rejected > 0) log.warn("export:rejected", `the collector rejected ${rejected} of ${kept.length} spans`);
      log.debug(() => `exported ${kept.length - rejected} spans`);
    },

    internalError(where, err) {
      counters.internalErrors++;
      counters.lastError = `${where}: ${(err as Error)?.message ?? String(err)}`;
      log.warn(`internal:${where}`, `internal error in ${where} (tracing continues): ${(err as Error)?.stack ?? String(err)}`);
    },

    async shutdown() {
      await tracer.buffer.shutdown();
      await Promise.allSettled(exporters.map((e) => e.shutdown?.()));
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

const ABORTED = Symbol("aborted");

/** Resolves with the promise's value, or ABORTED as soon as the signal aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

function describeReason(reason: unknown): string {
  if (typeof reason === "string") return reason;
  return (reason as Error | undefined)?.message ?? "aborted";
}

/** Turns a SpanContext-like parent (or a span from another copy of spanwise) into a valid remote context. */
function toRemote(parent: Span | SpanContext): SpanContext | undefined {
  try {
    const ctx: SpanContext = typeof (parent as Span).spanContext === "function" ? (parent as Span).spanContext() : (parent as SpanContext);
    const flags = typeof ctx.traceFlags === "number" ? ctx.traceFlags & 0xff : 1;
    if (!parseTraceparent(`00-${ctx.traceId}-${ctx.spanId}-${flags.toString(16).padStart(2, "0")}`)) return undefined;
    const traceState = typeof ctx.traceState === "string" ? ctx.traceState : undefined;
    return { traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: flags, traceState, isRemote: ctx.isRemote !== false };
  } catch {
    return undefined;
  }
}
