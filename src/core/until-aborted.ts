/** What untilAborted resolves with when the signal aborts first. */
export const ABORTED = Symbol("aborted");

/** Resolves with the promise's value, or ABORTED as soon as the signal aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
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

/** An abort reason as text for a log line or `lastError`. */
export function describeReason(reason: unknown): string {
  if (typeof reason === "string") return reason;
  return (reason as Error | undefined)?.message ?? "aborted";
}
