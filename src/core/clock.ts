// Read once: `performance` is a getter on globalThis in Node, and the origin never changes
// within an isolate.
const perf = performance;
const ORIGIN = perf.timeOrigin;

/**
 * Wall-clock time in epoch milliseconds with sub-millisecond precision.
 * `performance.timeOrigin + performance.now()` is monotonic within an isolate; where a runtime
 * reports no time origin (some edge isolates) we fall back to `Date.now()`.
 */
export function now(): number {
  return ORIGIN > 0 ? ORIGIN + perf.now() : Date.now();
}

/** Converts epoch milliseconds to OTLP's unix-nanosecond decimal string without BigInt. */
export function toUnixNano(ms: number): string {
  if (!(ms > 0)) return "0";
  let whole = Math.floor(ms);
  let frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) {
    whole += 1;
    frac -= 1e6;
  }
  // 1e6 + frac has seven digits; dropping the leading 1 zero-pads frac to six.
  return `${whole}${`${1e6 + frac}`.slice(1)}`;
}

/** Accepts a Date or epoch milliseconds; anything else (undefined included) means now. */
export function toMs(time: unknown): number {
  if (typeof time === "number") return Number.isFinite(time) && time > 0 ? time : now();
  if (time instanceof Date) {
    const t = time.getTime();
    return Number.isFinite(t) && t > 0 ? t : now();
  }
  return now();
}
