/**
 * A deterministic stand-in for an LLM provider so the demo runs offline with no API key.
 * Token counts are a rough 4-characters-per-token estimate, like a real tokenizer's order of magnitude.
 */
export interface FakeCompletion {
  model: string;
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  finishReason: "stop";
}

const tokens = (s: string): number => Math.max(1, Math.ceil(s.length / 4));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers a prompt after a short, fixed "thinking" delay. */
export async function complete(model: string, prompt: string): Promise<FakeCompletion> {
  await sleep(40);
  const text = prompt.startsWith("Plan how")
    ? "1. Look up the order. 2. Check the refund policy. 3. Answer the customer."
    : "Your order #1042 shipped yesterday and arrives Friday. Unopened items can be refunded within 30 days.";
  return { model, text, usage: { inputTokens: tokens(prompt), outputTokens: tokens(text) }, finishReason: "stop" };
}

/** A fake embedding: a short vector derived from the text. */
export async function embed(text: string): Promise<number[]> {
  await sleep(5);
  return Array.from({ length: 8 }, (_, i) => ((text.charCodeAt(i % text.length) * (i + 1)) % 97) / 97);
}
