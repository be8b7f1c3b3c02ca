import { G } from "../global.js";
import type { ResolvedConfig } from "../resolved-config.js";
import type { SdkLogger } from "../logger.js";
import type { SpanRecord } from "../span.js";
import type { Counters } from "../counters.js";
import { describeError } from "../describe-error.js";
import type { DropReason } from "../buffer.js";
import { applyLimits } from "./apply-limits.js";
import { enrichSpan } from "./enrich.js";
import { type ProcessorHooks, runProcessors } from "./run-processors.js";
import { type TailRules, type Undecided, tailSample } from "./tail-sample.js";

/** What the pipeline needs from the tracer. */
export interface PipelineContext {
  readonly config: ResolvedConfig;
  readonly counters: Counters;
  readonly log: SdkLogger;
  internalError(where: string, err: unknown): void;
}

/** The processing stages between the batch queue and the exporters. */
export interface Pipeline {
  /** Returns the spans to encode; drops are counted. Never rejects. */
  run(spans: SpanRecord[]): Promise<SpanRecord[]>;
}

/**
 * Builds the pipeline that ended spans pass at flush, never on the hot path, in DESIGN.md's
 * fixed order. Tail sampling by the built-in rules comes first in both orders (it reads only
 * status, times and numbers, and spares the later stages the dropped traces). Then:
 *
 * - "safety" (default): enrich → limits → redact → `keepTrace` predicate → processors, so no
 *   user function sees unredacted data;
 * - "efficiency": enrich → predicate → processors → limits → redact, so traces the predicate
 *   drops are never redacted, and what processors add is redacted too.
 *
 * @param ctx - configuration, counters, logger
 * @example
 * const pipeline = createPipeline({ config, counters, log, internalError });
 * const toExport = await pipeline.run(spans);
 */
export function createPipeline(ctx: PipelineContext): Pipeline {
  const { config, counters, log } = ctx;
  const rules: TailRules = config;
  const maxLength = config.maxAttributeValueLength;
  const limits = { maxKeyLength: config.maxAttributeKeyLength, stripMedia: config.stripMedia, maxValueLength: config.maxAttributeValueLength };
  // config.redact is set only by G.redaction's own resolve (see resolveConfigWith).
  const redactor = config.redact
    ? (G.redaction as NonNullable<typeof G.redaction>).create(config.redact, (spans, err) => {
        counters.dropped.redactionFailed += spans;
        ctx.internalError("redaction", err);
      })
    : undefined;
  const onError = (err: unknown): void => {
    counters.processorErrors++;
    // Read through describeError: a user's function may throw anything, even what has no string form.
    const { message, stack } = describeError(err);
    counters.lastError = log.mask(`processor: ${message}`);
    log.warn("processor", `a trace processor failed (the trace is exported all the same): ${stack ?? message}`);
  };

  const enrich = (spans: SpanRecord[]): void => {
    for (const span of spans) {
      try {
        enrichSpan(span, maxLength);
      } catch (err) {
        ctx.internalError("enrich", err);
      }
    }
  };
  const limit = (spans: SpanRecord[]): void => {
    for (const span of spans) {
      try {
        applyLimits(span, limits);
      } catch (err) {
        ctx.internalError("limits", err);
      }
    }
  };
  const predicate = (undecided: readonly Undecided[], alive: ((s: SpanRecord) => boolean) | undefined, drop: Drop): SpanRecord[] => {
    const kept: SpanRecord[] = [];
    for (const u of undecided) {
      // The trace's own list: keepTrace sees a copy, so what it does to that cannot change what is sent.
      const spans = alive ? u.spans.filter(alive) : u.spans;
      if (spans.length === 0) continue;
      let keep = false;
      try {
        keep = config.keepTrace?.(u.view) === true;
      } catch (err) {
        onError(err);
      }
      if (keep) {
        u.trace.keep();
        for (const s of spans) kept.push(s);
      } else {
        drop(spans.length, "notSampled");
      }
    }
    return kept;
  };

  /** The stages, counting each span they drop through `drop` (and the redactor's own callback). */
  const stages = async (spans: SpanRecord[], drop: Drop, redacted: (n: number) => void): Promise<SpanRecord[]> => {
    const { kept, undecided, dropped } = tailSample(spans, rules);
    drop(dropped, "notSampled");
    let all = kept;
    if (undecided.length > 0) {
      all = kept.slice();
      for (const u of undecided) for (const s of u.spans) all.push(s);
    }
    if (all.length === 0) return all;
    const hooks: ProcessorHooks = { timeoutMs: config.exportTimeoutMs, valueLength: config.maxAttributeValueLength, onError, onFiltered: (n) => drop(n, "filtered") };
    enrich(all);
    if (config.processorOrder === "efficiency") {
      let out = undecided.length > 0 ? kept.concat(predicate(undecided, undefined, drop)) : kept;
      if (config.processors.length > 0) out = await runProcessors(out, config.processors, hooks);
      limit(out);
      return redactor ? redact(out, redacted) : out;
    }
    limit(all);
    let out = all;
    if (redactor) out = await redact(all, redacted);
    if (undecided.length > 0) {
      const alive = out.length === all.length ? undefined : new Set(out);
      const passed = alive ? kept.filter((s) => alive.has(s)) : kept;
      out = passed.concat(predicate(undecided, alive ? (s) => alive.has(s) : undefined, drop));
    }
    // Without processors (the default) runProcessors would return `out` as it is.
    return config.processors.length === 0 ? out : runProcessors(out, config.processors, hooks);
  };
  const redact = async (spans: SpanRecord[], redacted: (n: number) => void): Promise<SpanRecord[]> => {
    const out = await (redactor as NonNullable<typeof redactor>).run(spans);
    redacted(spans.length - out.length);
    return out;
  };

  return {
    async run(spans) {
      // What this run has counted as dropped: a failure counts the rest, never a span twice.
      let counted = 0;
      const drop: Drop = (n, reason) => {
        counters.dropped[reason] += n;
        counted += n;
      };
      try {
        return await stages(spans, drop, (n) => void (counted += n));
      } catch (err) {
        ctx.internalError("pipeline", err);
        // Nothing of the batch is sent: a stage that did not run may be a scrubbing processor or
        // redaction, and what tail sampling or a processor dropped must stay dropped.
        counters.dropped[config.redact ? "redactionFailed" : "exportFailed"] += spans.length - counted;
        return [];
      }
    },
  };
}

type Drop = (spans: number, reason: DropReason) => void;
