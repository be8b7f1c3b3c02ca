import { createOpenAI } from "@ai-sdk/openai";
import { type Telemetry, embed, embedMany, generateObject, generateText, registerTelemetry, stepCountIs, streamText, tool } from "ai";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { observe, type ReadableSpan, shutdown, stats } from "spanwise/node";
import { spanwiseTelemetry } from "spanwise/ai-sdk";
import { type Harness, only, sleep, start } from "../core/helpers.js";
import { type FakeProvider, startFakeProvider } from "./fake-provider.js";
import { flushSettled as flush } from "./flush-settled.js";
import { G } from "../../src/core/global.js";
import { finishInvocation, startInvocation } from "../../src/core/invocation.js";
import type { Tracer } from "../../src/core/tracer.js";

// The real `ai` package and its real OpenAI provider, talking to the fake provider over HTTP.
let provider: FakeProvider;
let h: Harness;
let openai: ReturnType<typeof createOpenAI>;

// Type check: spanwise's integration is what `ai` expects.
const integration: Telemetry = spanwiseTelemetry();
const telemetry = { integrations: [integration] };

beforeAll(async () => {
  // generateObject is deprecated in v7 and says so once; the tests use it on purpose.
  globalThis.AI_SDK_LOG_WARNINGS = false;
  provider = await startFakeProvider();
  openai = createOpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1` });
});
afterAll(() => provider.close());
afterEach(async () => {
  globalThis.AI_SDK_TELEMETRY_INTEGRATIONS = undefined;
  await shutdown();
});

const childrenOf = (parent: ReadableSpan): ReadableSpan[] => h.memory.spans.filter((s) => s.parentSpanId === parent.spanId).sort((a, b) => a.startTime - b.startTime);
const tree = (root: ReadableSpan, depth = 0): string[] => [`${"  ".repeat(depth)}${root.name} [${root.type}]`, ...childrenOf(root).flatMap((c) => tree(c, depth + 1))];
const llmSpans = (): ReadableSpan[] => h.memory.spans.filter((s) => s.type === "llm" || s.type === "embedding");

describe("spanwise/ai-sdk with the real ai@7 package", () => {
  it("records generateText as invoke_agent → step → chat under the caller's span, with tokens and cost", async () => {
    h = start();
    const run = observe(() => generateText({ model: openai.chat("gpt-4o-mini"), system: "Be brief.", prompt: "Say hello", temperature: 0.2, maxOutputTokens: 400, seed: 3, presencePenalty: -0.1, stopSequences: ["END"], telemetry }), { name: "caller", kind: "workflow" });
    const result = await run();
    expect(result.text).toBe("Hello there!");
    await flush();
    const caller = only(h.memory, "caller");
    expect(tree(caller)).toEqual(["caller [workflow]", "  invoke_agent gpt-4o-mini [agent]", "    step 1 [workflow]", "      chat gpt-4o-mini [llm]"]);
    expect(new Set(h.memory.spans.map((s) => s.traceId)).size).toBe(1);
    const agent = only(h.memory, "invoke_agent gpt-4o-mini");
    expect(agent.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "gpt-4o-mini",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.max_tokens": 400,
      "gen_ai.response.finish_reasons": ["stop"],
      "spanwise.agent.usage.input_tokens": 1200,
      "spanwise.agent.usage.output_tokens": 300,
      "ai.operationId": "ai.generateText",
      "input.value": "Say hello",
      "output.value": "Hello there!",
    });
    // The chat spans carry the token counts and cost; the agent repeats none that a backend sums.
    expect(Object.keys(agent.attributes).filter((k) => k.startsWith("gen_ai.usage") || k.startsWith("llm.token_count") || k.startsWith("llm.cost"))).toEqual([]);
    const chat = only(h.memory, "chat gpt-4o-mini");
    expect(chat.kind).toBe("client");
    expect(chat.statusCode).toBe("unset");
    expect(chat.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.max_tokens": 400,
      "gen_ai.request.seed": 3,
      "gen_ai.request.presence_penalty": -0.1,
      "gen_ai.request.stop_sequences": ["END"],
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 300,
      "gen_ai.usage.cache_read.input_tokens": 200,
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-4o-mini-2024-07-18",
      "llm.token_count.prompt": 1200,
      "llm.token_count.completion": 300,
      "llm.token_count.total": 1500,
      "output.value": "Hello there!",
    });
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
    expect(chat.attributes["llm.cost.total"]).toBeCloseTo((1000 * 0.15 + 200 * 0.075 + 300 * 0.6) / 1e6, 12);
    expect(JSON.parse(chat.attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Be brief." }]);
    expect(JSON.parse(chat.attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "Say hello" }] }]);
    expect(JSON.parse(chat.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "text", content: "Hello there!" }], finish_reason: "stop" }]);
    expect(chat.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
  });

  it("works registered globally, and with fetch-level tracing on records each model call once", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    registerTelemetry(spanwiseTelemetry());
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "hi" });
    await flush();
    expect(llmSpans().map((s) => s.name)).toEqual(["chat gpt-4o-mini"]);
    expect(only(h.memory, "chat gpt-4o-mini").parentSpanId).toBe(only(h.memory, "step 1").spanId);
  });

  it("works passed through experimental_telemetry, the option's older name", async () => {
    h = start();
    const result = await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "hi", experimental_telemetry: telemetry });
    expect(result.text).toBe("Hello there!");
    await flush();
    expect(tree(only(h.memory, "invoke_agent gpt-4o-mini"))).toEqual(["invoke_agent gpt-4o-mini [agent]", "  step 1 [workflow]", "    chat gpt-4o-mini [llm]"]);
  });

  it("with fetch-level tracing on records generateObject, embed and embedMany calls once, priced once", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    await generateObject({ model: openai.chat("gpt-4o-mini"), schema: z.object({ city: z.string(), celsius: z.number() }), prompt: "Weather in Paris as JSON", telemetry });
    await embed({ model: openai.embedding("text-embedding-3-small"), value: "a", telemetry });
    await embedMany({ model: openai.embedding("text-embedding-3-small"), values: ["a", "b"], telemetry });
    await flush();
    const priced = h.memory.spans.filter((s) => Object.keys(s.attributes).some((k) => k.startsWith("llm.cost") || k.startsWith("gen_ai.usage") || k.startsWith("llm.token_count")));
    expect(priced.map((s) => `${s.name} < ${h.memory.spans.find((p) => p.spanId === s.parentSpanId)?.name}`).sort()).toEqual([
      "chat gpt-4o-mini < step 1",
      "embeddings text-embedding-3-small < embed text-embedding-3-small",
      "embeddings text-embedding-3-small < embedMany text-embedding-3-small",
    ]);
  });

  it("records a two-step tool loop: tool spans under their step, work inside a tool under the tool span", async () => {
    h = start();
    const getWeather = tool({
      description: "Weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: observe(async ({ city }: { city: string }) => ({ city, celsius: 18 }), { name: "weather-api", kind: "retrieval" }),
    });
    const result = await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Weather in Paris?", tools: { get_weather: getWeather }, stopWhen: stepCountIs(3), telemetry });
    expect(result.text).toBe("It is 18°C in Paris.");
    await flush();
    const agent = only(h.memory, "invoke_agent gpt-4o-mini");
    expect(agent.parentSpanId).toBeUndefined();
    expect(tree(agent)).toEqual([
      "invoke_agent gpt-4o-mini [agent]",
      "  step 1 [workflow]",
      "    chat gpt-4o-mini [llm]",
      "    execute_tool get_weather [tool]",
      "      weather-api [retrieval]",
      "  step 2 [workflow]",
      "    chat gpt-4o-mini [llm]",
    ]);
    expect(agent.attributes).toMatchObject({ "spanwise.agent.usage.input_tokens": 2400, "spanwise.agent.usage.output_tokens": 600, "output.value": "It is 18°C in Paris." });
    const toolSpan = only(h.memory, "execute_tool get_weather");
    expect(toolSpan.attributes).toMatchObject({
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "get_weather",
      "gen_ai.tool.call.id": "call_1",
      "gen_ai.tool.type": "function",
      "openinference.span.kind": "TOOL",
      "input.value": '{"city":"Paris"}',
      "output.value": '{"city":"Paris","celsius":18}',
    });
    const [first, second] = h.memory.spans.filter((s) => s.name === "chat gpt-4o-mini").sort((a, b) => a.startTime - b.startTime) as [ReadableSpan, ReadableSpan];
    expect(first.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool-calls"]);
    expect(JSON.parse(first.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }], finish_reason: "tool-calls" }]);
    expect(JSON.parse(first.attributes["gen_ai.tool.definitions"] as string)[0]).toMatchObject({ type: "function", name: "get_weather", description: "Weather in a city" });
    expect(JSON.parse(second.attributes["gen_ai.input.messages"] as string)).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: { city: "Paris", celsius: 18 } }] },
    ]);
    expect(second.attributes["output.value"]).toBe("It is 18°C in Paris.");
  });

  it("records a tool that throws on its tool span, and the loop goes on", async () => {
    h = start();
    const failing = tool({
      description: "Weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }): Promise<{ city: string; celsius: number }> => {
        throw new Error(`weather API down for ${city}`);
      },
    });
    const result = await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Weather in Paris?", tools: { get_weather: failing }, stopWhen: stepCountIs(3), telemetry });
    expect(result.steps).toHaveLength(2);
    await flush();
    const toolSpan = only(h.memory, "execute_tool get_weather");
    expect(toolSpan.statusCode).toBe("error");
    expect(toolSpan.statusMessage).toBe("weather API down for Paris");
    expect(toolSpan.events[0]?.attributes["exception.message"]).toBe("weather API down for Paris");
    expect(toolSpan.attributes["error.type"]).toBe("Error");
    expect(only(h.memory, "invoke_agent gpt-4o-mini").statusCode).toBe("unset");
    expect(h.memory.spans.filter((s) => s.name === "chat gpt-4o-mini")).toHaveLength(2);
  });

  it("records a tool that failed on an abort of its own as an error, ended once, and the loop goes on", async () => {
    h = start({ debug: true });
    const aborting = tool({
      description: "Weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async (): Promise<{ celsius: number }> => {
        throw new DOMException("the weather API request was aborted", "AbortError");
      },
    });
    const result = await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Weather in Paris?", tools: { get_weather: aborting }, stopWhen: stepCountIs(3), telemetry });
    expect(result.steps).toHaveLength(2);
    await flush();
    const toolSpan = only(h.memory, "execute_tool get_weather");
    expect(toolSpan.statusCode).toBe("error");
    expect(toolSpan.attributes["error.type"]).toBe("AbortError");
    expect(toolSpan.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(h.debug.filter((m) => m.includes("on ended span"))).toEqual([]);
  });

  it.each([
    ["captureContent: false", { captureContent: false }, telemetry, "every span"],
    ["recordInputs: false", {}, { ...telemetry, recordInputs: false }, "every span"],
    // The next model call's input quotes the tool's error back to the model: an input, recorded.
    ["recordOutputs: false", {}, { ...telemetry, recordOutputs: false }, "the tool's span"],
  ] as const)("with %s records a tool's error by its type only, not its message", async (_label, options, tel, clean) => {
    h = start(options);
    const failing = tool({
      description: "Weather in a city",
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }): Promise<{ city: string; celsius: number }> => {
        throw new RangeError(`weather API down for ${city}`);
      },
    });
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Weather in Paris?", tools: { get_weather: failing }, stopWhen: stepCountIs(3), telemetry: tel });
    await flush();
    const toolSpan = only(h.memory, "execute_tool get_weather");
    expect(toolSpan.statusCode).toBe("error");
    expect(toolSpan.statusMessage).toBeUndefined();
    expect(toolSpan.attributes["error.type"]).toBe("RangeError");
    expect(toolSpan.events.map((e) => e.attributes)).toEqual([{ "exception.type": "RangeError" }]);
    for (const s of clean === "every span" ? h.memory.spans : [toolSpan]) expect(JSON.stringify([s.statusMessage, s.events, s.attributes]), s.name).not.toContain("API down");
  });

  it("records streamText with usage, cost and time to first token, named by functionId", async () => {
    h = start();
    const run = observe(
      async () => {
        const result = streamText({ model: openai.chat("gpt-4o-mini"), prompt: "stream please", telemetry: { ...telemetry, functionId: "streamer" } });
        let out = "";
        for await (const delta of result.textStream) out += delta;
        return out;
      },
      { name: "caller" },
    );
    expect(await run()).toBe("Hello from the stream.");
    await flush();
    const caller = only(h.memory, "caller");
    expect(tree(caller)).toEqual(["caller [span]", "  invoke_agent streamer [agent]", "    step 1 [workflow]", "      chat gpt-4o-mini [llm]"]);
    expect(only(h.memory, "invoke_agent streamer").attributes).toMatchObject({ "gen_ai.agent.name": "streamer", "ai.operationId": "ai.streamText", "output.value": "Hello from the stream." });
    const chat = only(h.memory, "chat gpt-4o-mini");
    expect(chat.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.id": "chatcmpl-stream-1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 19,
      "gen_ai.usage.output_tokens": 5,
      "llm.token_count.total": 24,
      "output.value": "Hello from the stream.",
    });
    expect(chat.attributes["llm.cost.total"]).toBeCloseTo((19 * 0.15 + 5 * 0.6) / 1e6, 12);
    expect(typeof chat.attributes["gen_ai.response.time_to_first_chunk"]).toBe("number");
    expect(chat.attributes["llm.time_to_first_token_ms"] as number).toBeGreaterThanOrEqual(0);
  });

  it("prices Anthropic's one-hour cache writes at their own rate from the provider's raw usage", async () => {
    h = start();
    // @ai-sdk/anthropic is not installed here, so this model (the AI SDK's own test model) answers
    // as it does: the usage converted to the AI SDK's shape, and Anthropic's own usage as `raw`.
    const raw = { input_tokens: 50, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 }, output_tokens: 40 };
    const model = new MockLanguageModelV4({
      provider: "anthropic.messages",
      modelId: "claude-sonnet-4-5",
      doGenerate: {
        content: [{ type: "text", text: "Hi!" }],
        finishReason: { unified: "stop", raw: "end_turn" },
        usage: { inputTokens: { total: 3050, noCache: 50, cacheRead: 2000, cacheWrite: 1000 }, outputTokens: { total: 40, text: 40, reasoning: undefined }, raw },
        warnings: [],
      },
    });
    expect((await generateText({ model, prompt: "Hi", telemetry })).text).toBe("Hi!");
    await flush();
    const chat = only(h.memory, "chat claude-sonnet-4-5");
    expect(chat.attributes).toMatchObject({ "gen_ai.provider.name": "anthropic", "gen_ai.usage.input_tokens": 3050, "gen_ai.usage.cache_creation.input_tokens": 1000 });
    // claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 five-minute write, $6 one-hour write, $15 output per million.
    expect(chat.attributes["llm.cost.prompt"]).toBeCloseTo((50 * 3 + 2000 * 0.3 + 400 * 3.75 + 600 * 6) / 1e6, 12);
    expect(chat.attributes["llm.cost.completion"]).toBeCloseTo((40 * 15) / 1e6, 12);
  });

  it("records generateObject as an agent with a JSON chat call", async () => {
    h = start();
    const { object } = await generateObject({ model: openai.chat("gpt-4o-mini"), schema: z.object({ city: z.string(), celsius: z.number() }), prompt: "Weather in Paris as JSON", telemetry });
    expect(object).toEqual({ city: "Paris", celsius: 18 });
    await flush();
    const agent = only(h.memory, "invoke_agent gpt-4o-mini");
    expect(tree(agent)).toEqual(["invoke_agent gpt-4o-mini [agent]", "  step 1 [workflow]", "    chat gpt-4o-mini [llm]"]);
    expect(agent.attributes).toMatchObject({ "ai.operationId": "ai.generateObject", "spanwise.agent.usage.input_tokens": 1200, "output.value": '{"city":"Paris","celsius":18}' });
    const chat = only(h.memory, "chat gpt-4o-mini");
    expect(chat.attributes).toMatchObject({
      "gen_ai.output.type": "json",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 300,
      "output.value": '{"city":"Paris","celsius":18}',
    });
    expect(JSON.parse(chat.attributes["gen_ai.input.messages"] as string)[0]).toMatchObject({ role: "user" });
    expect(chat.attributes["llm.cost.total"]).toBeCloseTo(0.000345, 12);
  });

  it("records embed and embedMany as an embed span over embeddings calls with tokens and cost", async () => {
    h = start();
    const one = await embed({ model: openai.embedding("text-embedding-3-small"), value: "a", telemetry });
    expect(one.embedding).toEqual([0.1, 0.2, 0.3]);
    const many = await embedMany({ model: openai.embedding("text-embedding-3-small"), values: ["a", "b"], telemetry });
    expect(many.embeddings).toHaveLength(2);
    await flush();
    const root = only(h.memory, "embed text-embedding-3-small");
    expect(tree(root)).toEqual(["embed text-embedding-3-small [workflow]", "  embeddings text-embedding-3-small [embedding]"]);
    expect(root.attributes).toMatchObject({ "ai.operationId": "ai.embed", "input.value": "a" });
    const manyRoot = only(h.memory, "embedMany text-embedding-3-small");
    expect(tree(manyRoot)).toEqual(["embedMany text-embedding-3-small [workflow]", "  embeddings text-embedding-3-small [embedding]"]);
    for (const s of h.memory.spans.filter((x) => x.type === "embedding")) {
      expect(s.attributes).toMatchObject({ "gen_ai.operation.name": "embeddings", "gen_ai.provider.name": "openai", "embedding.model_name": "text-embedding-3-small", "gen_ai.usage.input_tokens": 8, "llm.token_count.prompt": 8, "llm.token_count.total": 8, "openinference.span.kind": "EMBEDDING" });
      expect(s.attributes["llm.cost.total"]).toBeCloseTo((8 * 0.02) / 1e6, 15);
    }
    expect(JSON.parse(childrenOf(manyRoot)[0]!.attributes["input.value"] as string)).toEqual(["a", "b"]);
  });

  it("records a provider error on the chat, step and agent spans and rethrows the AI SDK's error", async () => {
    h = start();
    const error = await generateText({ model: openai.chat("rate-limited"), prompt: "x", maxRetries: 0, telemetry }).catch((e: unknown) => e);
    expect((error as { statusCode?: number }).statusCode).toBe(429);
    await flush();
    for (const name of ["invoke_agent rate-limited", "step 1", "chat rate-limited"]) {
      const s = only(h.memory, name);
      expect(s.statusCode).toBe("error");
      expect(s.statusMessage).toBe("Rate limit reached for requests");
      expect(s.events[0]?.name).toBe("exception");
    }
    const chat = only(h.memory, "chat rate-limited");
    expect(chat.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(chat.attributes["llm.cost.total"]).toBeUndefined();
  });

  it("records a stream that ends after an error chunk as an error on its chat and step spans", async () => {
    h = start();
    const result = streamText({ model: openai.chat("stream-error"), prompt: "x", telemetry, onError: () => {} });
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    expect(parts).toContain("error");
    await flush();
    for (const name of ["chat stream-error", "step 1"]) {
      const s = only(h.memory, name);
      expect(s.statusCode, name).toBe("error");
    }
    expect(only(h.memory, "chat stream-error").attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
  });

  it("ends a streamText aborted through its AbortSignal as cancelled, with no token counts invented", async () => {
    h = start();
    const abort = new AbortController();
    const result = streamText({ model: openai.chat("hang"), prompt: "x", abortSignal: abort.signal, telemetry });
    const parts: string[] = [];
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === "text-start") abort.abort();
    }
    expect(parts).toContain("abort");
    await provider.hangClosed;
    await flush();
    const agent = only(h.memory, "invoke_agent hang");
    expect(tree(agent)).toEqual(["invoke_agent hang [agent]", "  step 1 [workflow]", "    chat hang [llm]"]);
    for (const s of [agent, ...childrenOf(agent), ...childrenOf(childrenOf(agent)[0]!)]) {
      expect(s.attributes["spanwise.cancelled"]).toBe(true);
      expect(s.statusCode).not.toBe("error");
      expect(Object.keys(s.attributes).filter((k) => k.includes("usage") || k.startsWith("llm.token_count") || k.startsWith("llm.cost"))).toEqual([]);
    }
  });

  it("ends a streamText whose consumer breaks out without a signal as cancelled and abandoned once idle past the limit", async () => {
    h = start();
    const result = streamText({ model: openai.chat("hang"), prompt: "x", telemetry: { integrations: [spanwiseTelemetry({ idleTimeoutMs: 20 })] } });
    for await (const _ of result.textStream) break;
    await flush();
    // Nothing ended yet: the call is not idle long enough.
    expect(h.memory.spans.filter((s) => s.name === "chat hang")).toEqual([]);
    await sleep(40);
    await flush();
    const agent = only(h.memory, "invoke_agent hang");
    expect(tree(agent)).toEqual(["invoke_agent hang [agent]", "  step 1 [workflow]", "    chat hang [llm]"]);
    for (const s of [agent, ...childrenOf(agent), ...childrenOf(childrenOf(agent)[0]!)]) {
      expect(s.attributes["spanwise.cancelled"]).toBe(true);
      expect(s.attributes["spanwise.abandoned"]).toBe(true);
      expect(s.statusCode).not.toBe("error");
      expect(Object.keys(s.attributes).filter((k) => k.includes("usage") || k.startsWith("llm.token_count") || k.startsWith("llm.cost"))).toEqual([]);
    }
  });

  it("ends a call abandoned on an integration made per call when another call starts, in a server that never flushes", async () => {
    h = start();
    // A fresh process: no sweep has run in the last second.
    G.lastSweep = undefined;
    const abandoned = streamText({ model: openai.chat("hang"), prompt: "x", telemetry: { integrations: [spanwiseTelemetry({ idleTimeoutMs: 20 })] } });
    for await (const _ of abandoned.textStream) break;
    await sleep(40);
    const before = stats().ended;
    // Another request, with an integration of its own: the abandoned call's instance never sees another call.
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Say hello", telemetry: { integrations: [spanwiseTelemetry()] } });
    // Its three spans, and the abandoned call's three, before any flush.
    expect(stats().ended - before).toBe(6);
    await flush();
    const agent = only(h.memory, "invoke_agent hang");
    expect(agent.attributes).toMatchObject({ "spanwise.cancelled": true, "spanwise.abandoned": true });
  });

  it("ends a call still open at shutdown(), idle or not, and exports it", async () => {
    h = start();
    const left = streamText({ model: openai.chat("hang"), prompt: "x", telemetry: { integrations: [spanwiseTelemetry()] } });
    for await (const _ of left.textStream) break;
    await shutdown();
    expect(only(h.memory, "invoke_agent hang").attributes).toMatchObject({ "spanwise.cancelled": true, "spanwise.abandoned": true });
    expect(stats().started).toBe(stats().ended);
  });

  it("ends the abandoned calls of a serverless invocation when the invocation flushes", async () => {
    h = start();
    const t = G.tracer as Tracer;
    const inv = startInvocation(t, "POST /chat", { spanKind: "server" });
    await t.storage.run(inv.context, async () => {
      const result = streamText({ model: openai.chat("hang"), prompt: "x", telemetry: { integrations: [spanwiseTelemetry()] } });
      for await (const _ of result.textStream) break;
    });
    await finishInvocation(t, inv, { timeoutMs: 5_000 });
    const agent = only(h.memory, "invoke_agent hang");
    expect(agent.parentSpanId).toBe(only(h.memory, "POST /chat").spanId);
    expect(tree(agent)).toEqual(["invoke_agent hang [agent]", "  step 1 [workflow]", "    chat hang [llm]"]);
    for (const s of [agent, ...childrenOf(agent), ...childrenOf(childrenOf(agent)[0]!)]) {
      expect(s.attributes).toMatchObject({ "spanwise.cancelled": true, "spanwise.abandoned": true });
      expect(s.attributes["spanwise.unfinished"]).toBeUndefined();
    }
  });

  // With recordInputs or recordOutputs false the AI SDK hands telemetry a stand-in for every
  // error, which says neither abort nor timeout: what the model call threw is read instead.
  const FILTERS = [
    ["", {}],
    [" (recordInputs: false)", { recordInputs: false }],
    [" (recordOutputs: false)", { recordOutputs: false }],
  ] as const;

  it.each(FILTERS)("ends a generateText aborted through its AbortSignal as cancelled%s", async (_label, filter) => {
    h = start();
    const abort = new AbortController();
    const before = provider.requests.filter((r) => r.body.model === "hang" && r.body.stream !== true).length;
    const pending = generateText({ model: openai.chat("hang"), prompt: "y", abortSignal: abort.signal, maxRetries: 0, telemetry: { ...telemetry, ...filter } }).catch((e: unknown) => e);
    while (provider.requests.filter((r) => r.body.model === "hang" && r.body.stream !== true).length === before) await sleep(5);
    abort.abort();
    const error = await pending;
    expect((error as Error).name).toBe("AbortError");
    await flush();
    const chat = only(h.memory, "chat hang");
    expect(chat.attributes["spanwise.cancelled"]).toBe(true);
    expect(chat.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(only(h.memory, "invoke_agent hang").attributes["spanwise.cancelled"]).toBe(true);
    for (const s of h.memory.spans) expect(s.statusCode, s.name).not.toBe("error");
  });

  it.each(FILTERS)("ends a generateText that ran past its timeout as an error of type TimeoutError, not a cancel%s", async (_label, filter) => {
    h = start();
    const error = await generateText({ model: openai.chat("hang"), prompt: "z", timeout: 200, maxRetries: 0, telemetry: { ...telemetry, ...filter } }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
    await flush();
    for (const name of ["chat hang", "step 1", "invoke_agent hang"]) {
      const s = only(h.memory, name);
      expect(s.statusCode, name).toBe("error");
      expect(s.attributes["error.type"], name).toBe("TimeoutError");
      expect(s.attributes["spanwise.cancelled"], name).toBeUndefined();
    }
  });

  it("records no prompt or completion when the call sets recordInputs and recordOutputs to false", async () => {
    h = start();
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "secret", telemetry: { ...telemetry, recordInputs: false, recordOutputs: false } });
    await flush();
    for (const s of h.memory.spans) for (const key of ["input.value", "output.value", "gen_ai.input.messages", "gen_ai.output.messages"]) expect(s.attributes[key]).toBeUndefined();
    expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.usage.input_tokens"]).toBe(1200);
  });

  it("nests two concurrent generateText calls each under its own caller span", async () => {
    h = start();
    const ask = (name: string, prompt: string) => observe(() => generateText({ model: openai.chat("gpt-4o-mini"), prompt, telemetry: { ...telemetry, functionId: name } }), { name })();
    const [a, b] = await Promise.all([ask("first", "one"), ask("second", "two")]);
    expect([a.text, b.text]).toEqual(["Hello there!", "Hello there!"]);
    await flush();
    for (const [name, prompt] of [["first", "one"], ["second", "two"]] as const) {
      const caller = only(h.memory, name);
      expect(tree(caller)).toEqual([`${name} [span]`, `  invoke_agent ${name} [agent]`, "    step 1 [workflow]", "      chat gpt-4o-mini [llm]"]);
      const chat = childrenOf(childrenOf(childrenOf(caller)[0]!)[0]!)[0]!;
      expect(chat.traceId).toBe(caller.traceId);
      expect(JSON.parse(chat.attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: prompt }] }]);
    }
    expect(only(h.memory, "first").traceId).not.toBe(only(h.memory, "second").traceId);
  });

  const CONTENT_KEYS = ["input.value", "output.value", "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result"];
  const weatherTool = () => tool({ description: "Weather in a city", inputSchema: z.object({ city: z.string() }), execute: async ({ city }: { city: string }) => ({ city, celsius: 18 }) });

  it("records no content at all with init({ captureContent: false }), tool loops included, but keeps tokens and tool definitions", async () => {
    h = start({ captureContent: false });
    await generateText({ model: openai.chat("gpt-4o-mini"), system: "Be brief.", prompt: "Weather in Paris?", tools: { get_weather: weatherTool() }, stopWhen: stepCountIs(3), telemetry });
    await flush();
    expect(h.memory.spans.map((s) => s.name)).toContain("execute_tool get_weather");
    for (const s of h.memory.spans) for (const key of CONTENT_KEYS) expect(s.attributes[key], `${s.name} ${key}`).toBeUndefined();
    const chats = h.memory.spans.filter((s) => s.name === "chat gpt-4o-mini");
    expect(chats.map((c) => c.attributes["gen_ai.usage.input_tokens"])).toEqual([1200, 1200]);
    expect(JSON.parse(chats[0]!.attributes["gen_ai.tool.definitions"] as string)[0]).toMatchObject({ name: "get_weather" });
  });

  it("records no input, system prompt or tool arguments with recordInputs: false, and still records outputs", async () => {
    h = start();
    await generateText({ model: openai.chat("gpt-4o-mini"), system: "Secret system prompt.", prompt: "Weather in Paris?", tools: { get_weather: weatherTool() }, stopWhen: stepCountIs(3), telemetry: { ...telemetry, recordInputs: false } });
    await flush();
    for (const s of h.memory.spans) for (const key of ["input.value", "gen_ai.input.messages", "gen_ai.system_instructions", "gen_ai.tool.call.arguments"]) expect(s.attributes[key], `${s.name} ${key}`).toBeUndefined();
    expect(JSON.stringify(h.memory.spans.map((s) => s.attributes))).not.toContain("Secret system prompt.");
    expect(only(h.memory, "invoke_agent gpt-4o-mini").attributes["output.value"]).toBe("It is 18°C in Paris.");
  });

  it("records a 500 from the provider on the chat, step and agent spans", async () => {
    h = start();
    const error = await generateText({ model: openai.chat("broken"), prompt: "x", maxRetries: 0, telemetry }).catch((e: unknown) => e);
    expect((error as { statusCode?: number }).statusCode).toBe(500);
    await flush();
    for (const name of ["invoke_agent broken", "step 1", "chat broken"]) {
      const s = only(h.memory, name);
      expect(s.statusCode).toBe("error");
      expect(s.statusMessage).toBe("The server had an error while processing your request.");
    }
    expect(only(h.memory, "chat broken").attributes["llm.cost.total"]).toBeUndefined();
  });

  it("records a streamText tool loop: two steps, the tool under the first", async () => {
    h = start();
    const result = streamText({ model: openai.chat("gpt-4o-mini"), prompt: "Weather in Paris?", tools: { get_weather: weatherTool() }, stopWhen: stepCountIs(3), telemetry });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).not.toBe("");
    await flush();
    const agent = only(h.memory, "invoke_agent gpt-4o-mini");
    expect(tree(agent)).toEqual([
      "invoke_agent gpt-4o-mini [agent]",
      "  step 1 [workflow]",
      "    chat gpt-4o-mini [llm]",
      "    execute_tool get_weather [tool]",
      "  step 2 [workflow]",
      "    chat gpt-4o-mini [llm]",
    ]);
    const [first, second] = h.memory.spans.filter((s) => s.name === "chat gpt-4o-mini").sort((a, b) => a.startTime - b.startTime) as [ReadableSpan, ReadableSpan];
    expect(first.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool-calls"]);
    expect(second.attributes["gen_ai.response.finish_reasons"]).toEqual(["stop"]);
    for (const chat of [first, second]) expect(typeof chat.attributes["gen_ai.usage.output_tokens"]).toBe("number");
    expect(only(h.memory, "execute_tool get_weather").attributes["gen_ai.tool.call.result"]).toBe('{"city":"Paris","celsius":18}');
  });

  it("traces no more than 10,000 open calls at once, counts and says once what it refused, and every call still answers", async () => {
    h = start();
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        await gate;
        return { content: [{ type: "text", text: "ok" }], finishReason: { unified: "stop", raw: "stop" }, usage: { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } }, warnings: [] };
      },
    });
    const own = { integrations: [spanwiseTelemetry()] };
    const calls = Array.from({ length: 10_002 }, () => generateText({ model, prompt: "hi", telemetry: own }));
    await sleep(0);
    // Calls earlier tests left open count towards the 10,000 too.
    expect(stats().dropped.tooManyOpen).toBeGreaterThanOrEqual(2);
    expect(h.warnings.filter((w) => w.includes("10000 AI SDK calls are open at once"))).toHaveLength(1);
    release();
    expect((await Promise.all(calls)).every((r) => r.text === "ok")).toBe(true);
    await flush();
    // Every call was either traced, its agent span ended and exported, or counted as refused.
    expect(h.memory.spans.filter((s) => s.type === "agent").length + stats().dropped.tooManyOpen).toBe(10_002);
    expect(stats().started).toBe(stats().ended);
    // Traced again once they ended.
    await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "Say hello", telemetry: own });
    await flush();
    expect(h.memory.spans.filter((s) => s.type === "agent")).toHaveLength(10_002 - stats().dropped.tooManyOpen + 1);
  }, 60_000);

  it("does nothing before init, and the call works as usual", async () => {
    const result = await generateText({ model: openai.chat("gpt-4o-mini"), prompt: "hi", telemetry });
    expect(result.text).toBe("Hello there!");
  });
});
