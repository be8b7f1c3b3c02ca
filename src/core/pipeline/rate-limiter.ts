/** A token bucket of spans. */
export interface RateLimiter {
  /** At the start of a trace: true (and one span charged) when the trace may be recorded. */
  admit(nowMs: number): boolean;
  /** Charges a further span of an admitted trace; never refuses, so a trace is never cut in half. */
  charge(): void;
}

/**
 * A token bucket refilled at `perSecond` spans a second, holding at most one second's worth.
 * Whole traces are admitted or refused at their first span; their later spans are charged
 * without a check and may overdraw the bucket, by at most one second's worth, which delays the
 * next admissions.
 *
 * @param perSecond - the sustained rate, in spans per second
 * @param startMs - the clock reading to start from (full bucket)
 * @example
 * const limiter = createRateLimiter(100, now());
 * if (limiter.admit(now())) { ... }
 */
export function createRateLimiter(perSecond: number, startMs: number): RateLimiter {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = startMs;
  return {
    admit(nowMs) {
      // A clock reading from the past (a start time given by the caller) refills nothing.
      if (nowMs > last) {
        tokens = Math.min(capacity, tokens + ((nowMs - last) * perSecond) / 1000);
        last = nowMs;
      }
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    charge() {
      if (tokens > -capacity) tokens -= 1;
    },
  };
}
