import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, flush, init, observe, shutdown, startSpan } from "spanwise/node";
import { quietLogger } from "../helpers/collector.js";
import { prompt, recordCutValues } from "../helpers/cut-values.js";
import { memoryInUse } from "../helpers/memory-in-use.js";

// A value over maxAttributeValueLength (an attribute, a captured argument, a status message) or a
// stack trace over 4 KB is cut. In V8 a cut of 13 characters or more is a view on the whole
// string, so queued spans holding cuts of long prompts kept every prompt alive until export. This
// holds the cuts to their own size.

afterEach(shutdown);

describe("values cut to their limit", () => {
  it("keep only what is kept of each long value while their spans wait for export", async () => {
    const memory = createMemoryExporter();
    init({ exporters: [memory], maxAttributeValueLength: 8192, scheduleDelayMs: 60_000, logger: quietLogger() });
    const summarize = observe((text: string) => text.length, { name: "summarize" });
    // Once first, so the code and the queue are in place.
    startSpan("warm").setAttribute("prompt", prompt(-1)).end();
    const before = memoryInUse();
    // An attribute, an array item and an observed call's argument, and an error whose message is
    // a whole prompt (its status message and stack trace), 40 of each.
    recordCutValues(startSpan, summarize);
    const grown = memoryInUse() - before;
    // 160 prompts of 1 MB (and 40 stacks holding one) were cut to 8,192 characters or fewer:
    // 3.7 MB kept here (cuts ending in "…" are two bytes a character); as views, ~200 MB.
    expect(grown).toBeLessThan(10_000_000);
    await flush();
    const spans = memory.spans.filter((s) => s.name !== "warm");
    expect(spans).toHaveLength(120);
    // Cut as before: to the limit, the captured input with its "…".
    const llm = spans.filter((s) => s.name === "llm");
    expect(llm.map((s) => (s.attributes.prompt as string).length)).toEqual(Array(40).fill(8192));
    expect(llm.every((s, i) => (s.attributes.prompt as string) === prompt(i).slice(0, 8192))).toBe(true);
    expect(llm.every((s, i) => JSON.stringify(s.attributes.messages) === JSON.stringify([prompt(i + 100).slice(0, 8192), "short"]))).toBe(true);
    const inputs = spans.filter((s) => s.name === "summarize").map((s) => s.attributes["input.value"] as string);
    expect(inputs).toHaveLength(40);
    expect(inputs.every((v, i) => v.endsWith("…") && prompt(i + 200).startsWith(v.slice(0, -1)))).toBe(true);
    const failed = spans.filter((s) => s.name === "failed");
    expect(failed.map((s) => [s.statusCode, s.statusMessage?.length])).toEqual(Array(40).fill(["error", 8192]));
    expect(failed.every((s, i) => s.statusMessage === prompt(i + 300).slice(0, 8192))).toBe(true);
    // The stack trace is cut to 4,096 characters and "…", under the attribute limit.
    const stacks = failed.map((s) => s.events[0]!.attributes["exception.stacktrace"] as string);
    expect(stacks.every((v, i) => v.length === 4097 && v.endsWith("…") && v.startsWith(`Error: ${prompt(i + 300).slice(0, 100)}`))).toBe(true);
  });
});
