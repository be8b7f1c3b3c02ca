import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { observe, shutdown } from "spanwise/node";
import { wrapAnthropic } from "spanwise/anthropic";
import { type Harness, only, start } from "../core/helpers.js";
import { type FakeProvider, anthropicStreamText, startFakeProvider } from "./fake-provider.js";
import { captureReceived } from "./capture-received.js";
import { flushSettled as flush } from "./flush-settled.js";

let provider: FakeProvider;
let h: Harness;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
afterEach(() => shutdown());

function client(received?: Uint8Array[]): Anthropic {
  const c = wrapAnthropic(new Anthropic({ apiKey: "sk-ant-test", baseURL: provider.url, maxRetries: 0 }));
  return received ? captureReceived(c, received) : c;
}

describe("wrapAnthropic with the real @anthropic-ai/sdk package", () => {
  it("returns the same client", () => {
    h = start();
    const raw = new Anthropic({ apiKey: "k", baseURL: provider.url });
    expect(wrapAnthropic(raw)).toBe(raw);
  });

  it("records a message with a tool call, cache tokens and cost", async () => {
    h = start();
    const tools = [{ name: "get_weather", description: "Weather in a city", input_schema: { type: "object" as const, properties: { city: { type: "string" } } } }];
    const ask = observe(() => client().messages.create({ model: "claude-sonnet-4-5-20250929", max_tokens: 512, system: "Be brief.", tools, messages: [{ role: "user", content: "Weather in Paris?" }] }), { name: "agent", kind: "agent" });
    const msg = await ask();
    expect(msg.stop_reason).toBe("tool_use");
    await flush();
    const agent = only(h.memory, "agent");
    const s = only(h.memory, "chat claude-sonnet-4-5-20250929");
    expect(s.parentSpanId).toBe(agent.spanId);
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5-20250929",
      "gen_ai.request.max_tokens": 512,
      "gen_ai.response.id": "msg_1",
      "gen_ai.response.finish_reasons": ["tool_use"],
      // 50 plain + 2000 cache read + 1000 cache write: GenAI counts all of them as input.
      "gen_ai.usage.input_tokens": 3050,
      "gen_ai.usage.output_tokens": 40,
      "gen_ai.usage.cache_read.input_tokens": 2000,
      "gen_ai.usage.cache_creation.input_tokens": 1000,
      "llm.token_count.total": 3090,
      "output.value": "Let me check.",
    });
    // claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million.
    expect(s.attributes["llm.cost.prompt"]).toBeCloseTo((50 * 3 + 2000 * 0.3 + 1000 * 3.75) / 1e6, 12);
    expect(s.attributes["llm.cost.total"]).toBeCloseTo(0.0051, 12);
    expect(JSON.parse(s.attributes["gen_ai.output.messages"] as string)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Let me check." }, { type: "tool_call", id: "toolu_1", name: "get_weather", arguments: { city: "Paris" } }], finish_reason: "tool_use" },
    ]);
    expect(JSON.parse(s.attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Be brief." }]);
    expect(JSON.parse(s.attributes["gen_ai.tool.definitions"] as string)).toEqual([{ type: "function", name: "get_weather", description: "Weather in a city", parameters: tools[0]?.input_schema }]);
  });

  it("records a streamed message with usage and TTFT, and the caller gets the provider's bytes", async () => {
    h = start();
    const received: Uint8Array[] = [];
    const stream = await client(received).messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, stream: true, messages: [{ role: "user", content: "Say bonjour" }] });
    let out = "";
    for await (const e of stream) if (e.type === "content_block_delta" && e.delta.type === "text_delta") out += e.delta.text;
    expect(out).toBe("Bonjour !");
    expect(new TextDecoder().decode(Buffer.concat(received))).toBe(anthropicStreamText("claude-sonnet-4-5"));
    await flush();
    const s = only(h.memory, "chat claude-sonnet-4-5");
    expect(s.attributes).toMatchObject({
      "gen_ai.response.id": "msg_stream_1",
      "gen_ai.response.finish_reasons": ["end_turn"],
      "gen_ai.usage.input_tokens": 121,
      "gen_ai.usage.cache_read.input_tokens": 100,
      "gen_ai.usage.output_tokens": 7,
      "output.value": "Bonjour !",
    });
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((21 * 3 + 100 * 0.3 + 7 * 15) / 1e6, 12);
    expect(typeof s.attributes["gen_ai.response.time_to_first_chunk"]).toBe("number");
  });

  // Anthropic bills a cache write by the lifetime asked for: 1.25 times the input price for five
  // minutes, twice the input price for one hour. The fake provider writes 600 of its 1000
  // cache-write tokens to the one-hour cache when a block asks for it.
  const longCachedSystem = [{ type: "text" as const, text: "You are a weather assistant.", cache_control: { type: "ephemeral" as const, ttl: "1h" as const } }];
  // claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 five-minute write, $6 one-hour write, $15 output per million.
  const splitPrompt = (plain: number, read: number): number => (plain * 3 + read * 0.3 + 400 * 3.75 + 600 * 6) / 1e6;

  it("prices one-hour cache writes at the one-hour rate and five-minute writes at the five-minute rate", async () => {
    h = start();
    const msg = await client().messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, system: longCachedSystem, messages: [{ role: "user", content: "Weather in Paris?" }] });
    expect(msg.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 });
    await flush();
    const s = only(h.memory, "chat claude-sonnet-4-5");
    // The token counts stay as GenAI defines them: every cache write, whatever its lifetime.
    expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 3050, "gen_ai.usage.cache_creation.input_tokens": 1000, "llm.token_count.prompt_details.cache_write": 1000 });
    expect(s.attributes["llm.cost.prompt"]).toBeCloseTo(splitPrompt(50, 2000), 12);
    expect(s.attributes["llm.cost.total"]).toBeCloseTo(splitPrompt(50, 2000) + (40 * 15) / 1e6, 12);
  });

  it("prices a stream's one-hour cache writes from message_start when message_delta repeats the totals without the split", async () => {
    h = start();
    const received: Uint8Array[] = [];
    const stream = await client(received).messages.create({ model: "claude-sonnet-4-5", max_tokens: 100, stream: true, system: longCachedSystem, messages: [{ role: "user", content: "Say bonjour" }] });
    for await (const e of stream) expect(e.type).not.toBe("error");
    expect(new TextDecoder().decode(Buffer.concat(received))).toBe(anthropicStreamText("claude-sonnet-4-5", true));
    await flush();
    const s = only(h.memory, "chat claude-sonnet-4-5");
    expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 1121, "gen_ai.usage.cache_creation.input_tokens": 1000, "gen_ai.usage.output_tokens": 7 });
    expect(s.attributes["llm.cost.prompt"]).toBeCloseTo(splitPrompt(21, 100), 12);
    expect(s.attributes["llm.cost.total"]).toBeCloseTo(splitPrompt(21, 100) + (7 * 15) / 1e6, 12);
  });

  it("ends a stream the consumer abandons as cancelled, with the text received and no output tokens or cost", async () => {
    // Priced, so a cost made from the input tokens alone would show.
    h = start({ pricing: { hang: { input: 3, output: 15 } } });
    const stream = await client().messages.create({ model: "hang", max_tokens: 100, stream: true, messages: [{ role: "user", content: "Say bonjour" }] });
    let out = "";
    for await (const e of stream) {
      if (e.type === "content_block_delta" && e.delta.type === "text_delta") {
        out += e.delta.text;
        break;
      }
    }
    expect(out).toBe("Bonjour");
    await provider.hangClosed;
    await flush();
    const s = only(h.memory, "chat hang");
    expect(s.attributes).toMatchObject({ "spanwise.cancelled": true, "gen_ai.response.id": "msg_stream_1", "output.value": "Bonjour" });
    // message_start's output count is provisional: only message_delta's would be real.
    expect(s.attributes["gen_ai.usage.input_tokens"]).toBe(121);
    expect(s.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(s.attributes["llm.token_count.completion"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeUndefined();
    expect(s.statusCode).not.toBe("error");
  });

  it("records stop_sequences as the GenAI request parameter", async () => {
    h = start();
    await client().messages.create({ model: "claude-haiku-4-5", max_tokens: 64, stop_sequences: ["###"], messages: [{ role: "user", content: "x" }] });
    await flush();
    expect(only(h.memory, "chat claude-haiku-4-5").attributes).toMatchObject({ "gen_ai.request.stop_sequences": ["###"] });
  });

  it("records the client's own timeout as a TimeoutError, and the caller's abort as a cancel", async () => {
    h = start();
    // The "hang" model never answers; the SDK aborts the same way for its timeout and the caller's signal.
    const anthropic = wrapAnthropic(new Anthropic({ apiKey: "sk-ant-test", baseURL: provider.url, maxRetries: 0, timeout: 300 }));
    const request = { model: "hang", max_tokens: 10, messages: [{ role: "user" as const, content: "x" }] };
    expect(await anthropic.messages.create(request).catch((e: unknown) => e)).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    expect(await anthropic.messages.create(request, { signal: caller.signal }).catch((e: unknown) => e)).toBeInstanceOf(Anthropic.APIUserAbortError);
    await flush();
    const [timeout, cancel] = h.memory.spans.filter((s) => s.name === "chat hang").sort((a, b) => a.startTime - b.startTime);
    expect(timeout?.statusCode).toBe("error");
    expect(timeout?.attributes["error.type"]).toBe("TimeoutError");
    expect(timeout?.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(cancel?.attributes["spanwise.cancelled"]).toBe(true);
    expect(cancel?.statusCode).not.toBe("error");
  });

  it("records an error event mid-stream as the span's error, not a cancel, with no cost from the input alone", async () => {
    h = start({ pricing: { "stream-error": { input: 3, output: 15 } } });
    const stream = await client().messages.create({ model: "stream-error", max_tokens: 100, stream: true, messages: [{ role: "user", content: "x" }] });
    let out = "";
    const error = await (async () => {
      for await (const e of stream) if (e.type === "content_block_delta" && e.delta.type === "text_delta") out += e.delta.text;
    })().catch((e: unknown) => e);
    expect(out).toBe("Bonjour");
    expect(error).toBeInstanceOf(Anthropic.APIError);
    await flush();
    const s = only(h.memory, "chat stream-error");
    expect(s.statusCode).toBe("error");
    expect(s.statusMessage).toBe("Overloaded");
    expect(s.events[0]?.attributes).toMatchObject({ "exception.type": "overloaded_error", "exception.message": "Overloaded" });
    expect(s.attributes["error.type"]).toBe("overloaded_error");
    expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 121, "output.value": "Bonjour" });
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeUndefined();
  });

  it("records a stream whose body ends before message_delta as an incomplete generation, not a success priced at its input", async () => {
    h = start({ pricing: { "stream-cut": { input: 3, output: 15 } } });
    const stream = await client().messages.create({ model: "stream-cut", max_tokens: 100, stream: true, messages: [{ role: "user", content: "x" }] });
    let out = "";
    for await (const e of stream) if (e.type === "content_block_delta" && e.delta.type === "text_delta") out += e.delta.text;
    expect(out).toBe("Bonjour");
    // The SDK's own helper refuses such a stream; the span says why.
    const error = await client().messages.stream({ model: "stream-cut", max_tokens: 100, messages: [{ role: "user", content: "x" }] }).finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await flush();
    const spans = h.memory.spans.filter((s) => s.name === "chat stream-cut");
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(s.statusCode).toBe("error");
      expect(s.attributes["error.type"]).toBe("incomplete_stream");
      expect(s.events[0]?.attributes["exception.message"]).toContain("no finish reason");
      expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 121, "output.value": "Bonjour" });
      expect(s.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
      expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
      expect(s.attributes["llm.cost.total"]).toBeUndefined();
    }
  });

  it("does not call a stream cancelled when the caller leaves it after its stop reason and usage arrived", async () => {
    h = start({ pricing: { "claude-late-leaver": { input: 3, output: 15 } } });
    const stream = await client().messages.create({ model: "claude-late-leaver", max_tokens: 100, stream: true, messages: [{ role: "user", content: "x" }] });
    for await (const e of stream) if (e.type === "message_delta") break;
    await flush();
    const s = only(h.memory, "chat claude-late-leaver");
    expect(s.attributes).toMatchObject({ "gen_ai.response.finish_reasons": ["end_turn"], "gen_ai.usage.output_tokens": 7 });
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeGreaterThan(0);
  });

  it("records extended thinking as a reasoning part, redacted thinking as its own part, and thinking tokens as reasoning tokens, alike whether the answer was streamed or not", async () => {
    h = start();
    const plain = await client().messages.create({ model: "thinker", max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "hi" }] });
    expect(plain.content[0]).toMatchObject({ type: "thinking", signature: "sig-1" });
    const stream = client().messages.stream({ model: "thinker", max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 }, messages: [{ role: "user", content: "hi" }] });
    expect((await stream.finalMessage()).content[0]).toMatchObject({ type: "thinking", thinking: "The user greets me." });
    await flush();
    const expected = [{ role: "assistant", parts: [{ type: "reasoning", content: "The user greets me." }, { type: "redacted_thinking", data: "EmwKAhgBEgy3" }, { type: "text", content: "Hi!" }], finish_reason: "end_turn" }];
    const spans = h.memory.spans.filter((s) => s.name === "chat thinker");
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(JSON.parse(s.attributes["gen_ai.output.messages"] as string)).toEqual(expected);
      expect(s.attributes["output.value"]).toBe("Hi!");
      expect(s.attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(8);
      expect(s.attributes["llm.token_count.completion_details.reasoning"]).toBe(8);
    }
  });

  it("records a server tool's call and result (web search) alike whether the answer was streamed or not", async () => {
    h = start();
    const ask = { model: "searcher", max_tokens: 1024, tools: [{ type: "web_search_20250305" as const, name: "web_search" as const }], messages: [{ role: "user" as const, content: "Weather in Paris?" }] };
    const plain = await client().messages.create(ask);
    const streamed = await client().messages.stream(ask).finalMessage();
    // The SDK's own reading of both answers agrees with what is recorded.
    expect(streamed.content).toEqual(plain.content);
    await flush();
    const spans = h.memory.spans.filter((s) => s.name === "chat searcher");
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      const [message] = JSON.parse(s.attributes["gen_ai.output.messages"] as string) as { parts: unknown[] }[];
      expect(message?.parts).toEqual([
        { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "paris weather" } },
        { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [{ type: "web_search_result", url: "https://weather.example/paris", title: "Paris", encrypted_content: "Eo8B", page_age: null }] },
        { type: "text", content: "Sunny." },
      ]);
      expect(s.attributes["output.value"]).toBe("Sunny.");
    }
  });

  it("records a 429 on the span and rethrows the SDK's error", async () => {
    h = start();
    const error = await client().messages.create({ model: "rate-limited", max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    await flush();
    const s = only(h.memory, "chat rate-limited");
    expect(s.statusCode).toBe("error");
    expect(s.attributes["error.type"]).toBe("429");
  });
});
