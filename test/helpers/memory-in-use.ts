import { gc } from "./collect-garbage.js";

/**
 * Bytes of heap and of ArrayBuffers in use after two full collections: what is still reachable.
 *
 * @example
 * const before = memoryInUse(); work(); expect(memoryInUse() - before).toBeLessThan(2_000_000);
 */
export function memoryInUse(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
