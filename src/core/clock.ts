/**
 * Wall-clock time in epoch milliseconds with sub-millisecond precision.
 * `performance.timeOrigin + performance.now()` is monotonic within a process; where a runtime
 * reports no time origin (some edge isolates) we fall back to `Date.now()`.
 */
export function now(): number {
  const origin = performance.timeOrigin;
  return origin > 0 ? origin + performance.now() : Date.now();
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
  const f = String(frac);
  return String(whole) + "000000".slice(f.length) + f;
}

/** Accepts a Date, epoch milliseconds or undefined (meaning now). */
export function toMs(time: Date | number | undefined): number {
  if (time === undefined) return now();
  if (typeof time === "number") return Number.isFinite(time) && time > 0 ? time : now();
  const t = time.getTime();
  return Number.isFinite(t) ? t : now();
}
