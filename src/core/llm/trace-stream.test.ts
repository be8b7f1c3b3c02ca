import { afterEach, describe, expect, it } from "vitest";
import { flush, shutdown, stats } from "spanwise/node";
import { only, start } from "../../../test/core/helpers.js";
import { collectUntil } from "../../../test/helpers/collect-garbage.js";
import { G } from "../global.js";
import { anthropicMessages } from "./anthropic-messages.js";
import { startLLMSpan } from "./llm-span.js";
import { traceStream } from "./trace-llm-fetch.js";

afterEach(() => shutdown());

const sse = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
// A whole generation up to message_delta (finish reason and output count), without message_stop.
const events = [
  sse("message_start", { message: { id: "msg_1", model: "claude-x", usage: { input_tokens: 5, output_tokens: 1 } } }),
  sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "Hi" } }),
  sse("content_block_stop", { index: 0 }),
  sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } }),
];

describe("traceStream, a stream left before its last event", () => {
  it.each(["cancelled", "dropped"] as const)("does not call a whole generation %s a cancel", async (how) => {
    const h = start();
    const t = G.tracer!;
    const s = startLLMSpan(t, undefined, { provider: "anthropic", operation: "chat", model: "claude-x", stream: true });
    let i = 0;
    // Never sends message_stop: waits, as a slow provider would.
    const source = new ReadableStream<Uint8Array>({ pull: (c) => (i < events.length ? c.enqueue(new TextEncoder().encode(events[i++])) : new Promise(() => {})) });
    await (async () => {
      const reader = traceStream(t, s, anthropicMessages("anthropic"), source, false, performance.now()).getReader();
      for (let n = 0; n < events.length; n++) await reader.read();
      if (how === "cancelled") await reader.cancel();
    })();
    expect(await collectUntil(() => stats().ended > 0)).toBe(true);
    await flush();
    const a = only(h.memory, "chat claude-x").attributes;
    expect(a["gen_ai.response.finish_reasons"]).toEqual(["end_turn"]);
    expect(a["gen_ai.usage.output_tokens"]).toBe(3);
    expect(a["spanwise.cancelled"]).toBeUndefined();
    expect(a["spanwise.abandoned"]).toBe(how === "dropped" ? true : undefined);
  });
});
