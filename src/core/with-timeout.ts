/**
 * `promise`, or a rejection with `message` once `ms` have passed, whichever comes first. The
 * timer never holds a process open (it is unref'd where the runtime can), and is cleared when
 * the promise settles first.
 *
 * @param promise - the work to wait for
 * @param ms - how long to wait
 * @param message - the error's message when the time runs out
 * @returns what `promise` settles with, or the timeout's rejection
 * @example
 * await withTimeout(exporter.shutdown(), 10_000, "exporter shutdown did not finish");
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
