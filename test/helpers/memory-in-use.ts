import v8 from "node:v8";
import vm from "node:vm";

// The collector, without starting the test process with --expose-gc.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

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
