import { G } from "../global.js";
import type { ResolvedConfig } from "../resolved-config.js";
import type { SdkLogger } from "../logger.js";
import type { SpanRecord } from "../span.js";
import type { Counters } from "../counters.js";
import { applyLimits } from "./apply-limits.js";
import { enrichSpan } from "./enrich.js";
import { runProcessors } from "./run-processors.js";
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
  const processorHooks = {
    timeoutMs: config.exportTimeoutMs,
    onError(err: unknown) {
      counters.processorErrors++;
      counters.lastError = `processor: ${(err as Error)?.message ?? String(err)}`;
      log.warn("processor", `a trace processor failed (the trace is exported all the same): ${(err as Error)?.stack ?? String(err)}`);
    },
    onFiltered(spans: number) {
      counters.dropped.filtered += spans;
    },
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
  const predicate = (undecided: readonly Undecided[], alive: ((s: SpanRecord) => boolean) | undefined): SpanRecord[] => {
    const kept: SpanRecord[] = [];
    for (const { trace, view } of undecided) {
      const spans = alive ? view.spans.filter((s) => alive(s as SpanRecord)) : view.spans;
      if (spans.length === 0) continue;
      let keep = false;
      try {
        keep = config.keepTrace?.(view) === true;
      } catch (err) {
        processorHooks.onError(err);
      }
      if (keep) {
        trace.keep();
        for (const s of spans) kept.push(s as SpanRecord);
      } else {
        counters.dropped.notSampled += spans.length;
      }
    }
    return kept;
  };

  return {
    async run(spans) {
      const { kept, undecided, dropped } = tailSample(spans, rules);
      counters.dropped.notSampled += dropped;
      let all = kept;
      if (undecided.length > 0) {
        all = kept.slice();
        for (const u of undecided) for (const s of u.view.spans) all.push(s as SpanRecord);
      }
      if (all.length === 0) return all;
      enrich(all);
      if (config.processorOrder === "efficiency") {
        let out = undecided.length > 0 ? kept.concat(predicate(undecided, undefined)) : kept;
        out = await runProcessors(out, config.processors, processorHooks);
        limit(out);
        return redactor ? redactor.run(out) : out;
      }
      limit(all);
      let out = all;
      if (redactor) out = await redactor.run(all);
      if (undecided.length > 0) {
        const alive = out.length === all.length ? undefined : new Set(out);
        const passed = alive ? kept.filter((s) => alive.has(s)) : kept;
        out = passed.concat(predicate(undecided, alive ? (s) => alive.has(s) : undefined));
      }
      return runProcessors(out, config.processors, processorHooks);
    },
  };
}
