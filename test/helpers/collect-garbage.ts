import v8 from "node:v8";
import vm from "node:vm";

v8.setFlagsFromString("--expose-gc");
/** The collector, without starting the test process with --expose-gc: one full collection. */
export const gc = vm.runInNewContext("gc") as () => void;

/**
 * Collects garbage and lets finalizers run, until `done()` holds or `timeoutMs` has passed:
 * FinalizationRegistry callbacks run in a task after the collection that found their target.
 *
 * @returns whether `done()` held in time
 * @example
 * expect(await collectUntil(() => memory.spans.length > 0)).toBe(true);
 */
export async function collectUntil(done: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) return false;
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
