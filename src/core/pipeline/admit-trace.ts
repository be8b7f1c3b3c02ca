import { now } from "../clock.js";
import type { ResolvedConfig } from "../resolved-config.js";
import type { SpanContext } from "../span.js";
import { TraceData } from "../trace-data.js";
import { DROP, RECORD, createHeadSampler } from "./head-sampler.js";
import { createRateLimiter } from "./rate-limiter.js";

/** The decisions made at the first span of a trace: head sampling and the rate limit. */
export interface TraceAdmission {
  /**
   * The shared data of a new trace, with `sampled` and, when it is not recorded, `drop` set.
   * `startTime` is the first span's start when the caller gave none (the clock reading then).
   */
  newTrace(remote: SpanContext | undefined, startTime: number | undefined): TraceData;
  /** Charges a further span of a recorded trace against `maxSpansPerSecond`; undefined without a limit. */
  readonly charge: (() => void) | undefined;
}

/**
 * Builds what the tracer asks at each new trace. An unsampled trace is still recorded when a
 * tail rule (errors, slow, cost, tokens, keepTrace) could keep it at flush.
 *
 * @param config - the resolved configuration
 * @example
 * const admission = createTraceAdmission(config);
 * const trace = admission.newTrace(undefined, now());
 */
export function createTraceAdmission(config: ResolvedConfig): TraceAdmission {
  const tailRules = config.alwaysKeepErrors || config.slowThresholdMs !== undefined || config.costThresholdUsd !== undefined || config.tokenThreshold !== undefined || config.keepTrace !== undefined;
  const decide = createHeadSampler({ rate: config.sampleRate, parentBased: config.parentBased, recordUnsampled: tailRules });
  const limiter = config.maxSpansPerSecond === undefined ? undefined : createRateLimiter(config.maxSpansPerSecond, now());
  // The ratio test reads the trace id; other decisions never need its hex, so it is not made.
  const readsId = config.sampleRate > 0 && config.sampleRate < 1;
  return {
    newTrace(remote, startTime) {
      const trace = new TraceData(remote);
      const head = decide(remote !== undefined || readsId ? trace.traceId : "", remote);
      trace.setSampled(head > RECORD);
      if (head === DROP) trace.drop = "notSampled";
      // Only sampled traces spend the budget: one recorded just in case a tail rule keeps it
      // would otherwise crowd out the traces the head decision keeps. A start time given by the
      // caller may lie in the past; the bucket runs on the clock.
      else if (trace.sampled && limiter !== undefined && !limiter.admit(startTime ?? now())) trace.drop = "rateLimited";
      return trace;
    },
    charge: limiter === undefined ? undefined : () => limiter.charge(),
  };
}
