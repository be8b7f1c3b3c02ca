// Values cut to their limit under JavaScriptCore. Bun shares a substring's characters with the
// string it was cut from, as V8 does, so queued spans holding cuts of long prompts would keep
// every prompt alive until export. test/core/truncated-values.test.ts holds V8 (Node) to the
// same; this holds Bun's engine, whose strings differ from V8's in how they copy.
import { afterEach, expect, test } from "bun:test";
import { heapSize } from "bun:jsc";
import { createMemoryExporter, flush, init, observe, shutdown, startSpan } from "spanwise/bun";
import { prompt, recordCutValues } from "../helpers/cut-values.ts";

/** Bytes of heap still reachable, after full collections. */
function memoryInUse(): number {
  Bun.gc(true);
  Bun.gc(true);
  return heapSize();
}

afterEach(shutdown);

test("cut values keep only what is kept of each long value while their spans wait for export", async () => {
  const memory = createMemoryExporter();
  const warnings: string[] = [];
  init({ exporters: [memory], maxAttributeValueLength: 8192, scheduleDelayMs: 60_000, flushOnExit: false, logger: { warn: (m) => void warnings.push(m), debug: () => {} } });
  const summarize = observe((text: string) => text.length, { name: "summarize" });
  // Once first, so the code and the queue are in place.
  startSpan("warm").setAttribute("prompt", prompt(-1)).end();
  const before = memoryInUse();
  // The same spans as the Node test's.
  recordCutValues(startSpan, summarize);
  const grown = memoryInUse() - before;
  // 160 prompts of 1 MB cut to 8,192 characters or fewer: 2.7 MB here; as shared substrings ~200 MB.
  expect(grown).toBeLessThan(10_000_000);
  await flush();
  const spans = memory.spans.filter((s) => s.name !== "warm");
  expect(spans).toHaveLength(120);
  const llm = spans.filter((s) => s.name === "llm");
  expect(llm.every((s, i) => s.attributes.prompt === prompt(i).slice(0, 8192))).toBe(true);
  expect(llm.every((s, i) => JSON.stringify(s.attributes.messages) === JSON.stringify([prompt(i + 100).slice(0, 8192), "short"]))).toBe(true);
  const inputs = spans.filter((s) => s.name === "summarize").map((s) => s.attributes["input.value"] as string);
  expect(inputs).toHaveLength(40);
  expect(inputs.every((v, i) => v.endsWith("…") && prompt(i + 200).startsWith(v.slice(0, -1)))).toBe(true);
  const failed = spans.filter((s) => s.name === "failed");
  expect(failed.every((s, i) => s.statusCode === "error" && s.statusMessage === prompt(i + 300).slice(0, 8192))).toBe(true);
  expect(warnings).toEqual([]);
});
