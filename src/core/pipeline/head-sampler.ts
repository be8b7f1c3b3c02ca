import type { SpanContext } from "../span-types.js";

/** Not recorded at all: spans are no-ops, counted as `notSampled` when they end. */
export const DROP = 0;
/** Recorded but not sampled: kept at flush only if a tail rule keeps the trace. */
export const RECORD = 1;
/** Recorded and sampled. */
export const SAMPLE = 2;

/** A head decision: DROP, RECORD or SAMPLE. */
export type HeadDecision = typeof DROP | typeof RECORD | typeof SAMPLE;

/** Decides, once per trace at its first span, whether the trace is sampled. */
export type HeadSampler = (traceId: string, remote: SpanContext | undefined) => HeadDecision;

/** What the head sampler is built from. */
export interface HeadSamplerOptions {
  /** Share of traces sampled, 0 to 1. */
  readonly rate: number;
  /** Follow a remote parent's sampled flag. */
  readonly parentBased: boolean;
  /** Whether an unsampled trace is still recorded, because a tail rule might keep it. */
  readonly recordUnsampled: boolean;
}

const TWO_POW_56 = 2 ** 56;

/**
 * The trace-id ratio test of the OpenTelemetry spec (TraceIdRatioBased, consistent probability
 * sampling): the lowest 56 bits of the trace id are the randomness R, and the trace is sampled
 * when R >= (1 - rate) * 2^56. Every service that sees the same trace id and rate decides alike,
 * and a trace sampled at one rate is sampled at every higher rate.
 *
 * @param traceId - 32 lowercase hex characters
 * @param rate - 0 to 1
 * @example
 * traceIdSampled("4bf92f3577b34da6a3ce929d0e0e4736", 0.5) // true: R = 0xce929d0e0e4736 is 0.81 of 2^56
 */
export function traceIdSampled(traceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return Number.parseInt(traceId.slice(18), 16) >= (1 - rate) * TWO_POW_56;
}

/**
 * Builds the head sampler: parent-based when asked (an incoming sampled flag decides; an
 * incoming unsampled trace is not recorded), otherwise the trace-id ratio. An unsampled trace
 * is recorded anyway when tail sampling might keep it.
 *
 * @example
 * const decide = createHeadSampler({ rate: 0.1, parentBased: true, recordUnsampled: true });
 * decide(newTraceId(), undefined) // SAMPLE for about one trace in ten, RECORD for the rest
 */
export function createHeadSampler(options: HeadSamplerOptions): HeadSampler {
  const { rate, parentBased } = options;
  const unsampled: HeadDecision = options.recordUnsampled ? RECORD : DROP;
  const threshold = (1 - rate) * TWO_POW_56;
  return (traceId, remote) => {
    if (remote !== undefined && parentBased) return (remote.traceFlags & 1) === 1 ? SAMPLE : DROP;
    if (rate >= 1) return SAMPLE;
    if (rate <= 0) return unsampled;
    return Number.parseInt(traceId.slice(18), 16) >= threshold ? SAMPLE : unsampled;
  };
}
