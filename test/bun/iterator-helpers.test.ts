// Bun has the iterator helpers (map, toArray) and explicit resource management: an observed
// generator must keep them, as every generator inherits them from %IteratorPrototype%.
import { afterEach, expect, test } from "bun:test";
import { createMemoryExporter, flush, init, observe, shutdown } from "spanwise/bun";

afterEach(shutdown);

/** What Bun's generators inherit beyond the ES2023 lib this project type-checks with. */
interface Helpers<T> extends Iterator<T> {
  map<U>(fn: (value: T) => U): { toArray(): U[] };
  [Symbol.dispose](): void;
}

test("an observed generator keeps the iterator helpers and Symbol.dispose, and its span ends with the iteration", async () => {
  const memory = createMemoryExporter();
  init({ exporters: [memory], flushOnExit: false });
  const numbers = observe(function* numbers() {
    yield 1;
    yield 2;
    yield 3;
  }) as unknown as () => Helpers<number>;
  expect(numbers().map((n) => n * 10).toArray()).toEqual([10, 20, 30]);
  const disposed = numbers();
  expect(disposed.next().value).toBe(1);
  disposed[Symbol.dispose]();
  expect(disposed.next().done).toBe(true);
  await flush();
  expect(memory.spans.map((s) => [s.name, s.attributes["spanwise.cancelled"] ?? false])).toEqual([
    ["numbers", false],
    ["numbers", true],
  ]);
});
