// Bun's collector runs FinalizationRegistry callbacks too: an observed generator or stream the
// caller drops before its end still ends its span, marked cancelled and abandoned.
import { afterEach, expect, test } from "bun:test";
import { createMemoryExporter, flush, init, observe, shutdown, stats } from "spanwise/bun";

afterEach(shutdown);

/** Collects until `done()` holds, for at most five seconds. */
async function collectUntil(done: () => boolean): Promise<boolean> {
  for (const until = Date.now() + 5_000; !done(); ) {
    if (Date.now() > until) return false;
    Bun.gc(true);
    await Bun.sleep(10);
  }
  return true;
}

function dropBoth(numbers: () => Generator<number>, produce: () => ReadableStream<Uint8Array>): Promise<void> {
  expect(numbers().next().value).toBe(1);
  return produce().getReader().read().then((r) => void expect(r.value).toHaveLength(1));
}

test("an observed generator and stream dropped before their end end their spans once collected", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const numbers = observe(function* numbers() {
    yield 1;
    yield 2;
  });
  const produce = observe(function produce() {
    return new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(1)) });
  });
  await dropBoth(numbers, produce);
  expect(stats().ended).toBe(0);
  expect(await collectUntil(() => stats().ended === 2)).toBe(true);
  await flush();
  expect(memory.spans.map((s) => [s.name, s.attributes["spanwise.abandoned"]]).sort()).toEqual([
    ["numbers", true],
    ["produce", true],
  ]);
});
