/** A string of a million characters no other string shares. */
export const prompt = (i: number): string => `${i}:`.padEnd(1_000_000, " tell me more.");

/** The part of a span the workload writes. */
interface CutSpan {
  setAttribute(key: string, value: unknown): unknown;
  recordException(err: unknown): unknown;
  end(): void;
}

/**
 * The spans the cut-value tests keep queued, for any runtime's SDK: 40 rounds of an "llm" span
 * with a 1 MB attribute (`prompt(i)`) and a 1 MB array item (`prompt(i + 100)`) while `summarize`,
 * an observed function, is called with a 1 MB argument (`prompt(i + 200)`, captured as
 * input.value), and a "failed" span recording an error whose message is 1 MB (`prompt(i + 300)`),
 * so its status message and stack trace are cut too.
 *
 * @param startSpan - the SDK's startSpan
 * @param summarize - a function of one string, observed under the name "summarize"
 * @example
 * recordCutValues(startSpan, observe((text: string) => text.length, { name: "summarize" }));
 */
export function recordCutValues(startSpan: (name: string) => CutSpan, summarize: (text: string) => unknown): void {
  for (let i = 0; i < 40; i++) {
    const s = startSpan("llm");
    s.setAttribute("prompt", prompt(i));
    s.setAttribute("messages", [prompt(i + 100), "short"]);
    summarize(prompt(i + 200));
    s.end();
    // As a JSON parse or validation error's message can be: a whole prompt.
    const failed = startSpan("failed");
    failed.recordException(new Error(prompt(i + 300)));
    failed.end();
  }
}
