import OpenAIv6 from "openai";
import OpenAIv7 from "openai-v7";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { observe, type ReadableSpan, shutdown } from "spanwise/node";
import { wrapOpenAI } from "spanwise/openai";
import { createPriceLookup } from "spanwise/llm";
import { type Harness, only, start } from "../core/helpers.js";
import { closedPort } from "../helpers/collector.js";
import { captureReceived } from "./capture-received.js";
import { type FakeProvider, chatStreamText, responsesStreamText, startFakeProvider } from "./fake-provider.js";
import { flushSettled as flush } from "./flush-settled.js";

let provider: FakeProvider;
let h: Harness;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
afterEach(() => shutdown());

const text = (chunks: Uint8Array[]): string => new TextDecoder().decode(Buffer.concat(chunks));
const llmSpans = (spans: readonly ReadableSpan[]): ReadableSpan[] => spans.filter((s) => s.type === "llm" || s.type === "embedding");

// The current major (7, which asks for Node 22 in its engines but runs on 20) and the one before
// it: the same suite runs against both packages.
const majors = [
  { major: 6, OpenAI: OpenAIv6 },
  { major: 7, OpenAI: OpenAIv7 as unknown as typeof OpenAIv6 },
];

describe.each(majors)("wrapOpenAI with the real openai package, major $major", ({ major, OpenAI }) => {
  it("is the major it says", async () => {
    // The User-Agent the client sends names its version.
    let agent: string | null = null;
    const probe = new OpenAI({ apiKey: "sk-test", baseURL: "http://127.0.0.1:9/v1", maxRetries: 0, fetch: async (_input, init) => ((agent = new Headers(init?.headers).get("user-agent")), new Response("{}", { status: 500 })) });
    await probe.models.list().catch(() => undefined);
    expect(agent).toMatch(new RegExp(`^OpenAI/JS ${major}\\.`));
  });

  /** The bytes the caller's fetch receives, captured underneath the traced fetch the wrapper installs. */
  function client(received?: { bytes: Uint8Array[] }, options?: Parameters<typeof wrapOpenAI>[1]): OpenAIv6 {
    const raw = new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0 });
    const c = wrapOpenAI(raw, options);
    // Observe what the SDK itself reads, after spanwise's tracing, byte for byte.
    return received ? captureReceived(c, received.bytes) : c;
  }

  it("returns the same client, with only its fetch replaced", () => {
    h = start();
    const raw = new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1` });
    const hooks = raw as unknown as Record<string, unknown>;
    const untraced = hooks.fetch;
    expect(wrapOpenAI(raw)).toBe(raw);
    expect(hooks.fetch).not.toBe(untraced);
    // openai 7 refuses X.509 workload identity requests when its fetch hooks are replaced.
    const proto = OpenAI.prototype as unknown as Record<string, unknown>;
    for (const hook of ["fetchWithTimeout", "fetchWithAuth"]) expect(Object.hasOwn(hooks, hook) ? hooks[hook] : proto[hook], hook).toBe(proto[hook]);
    expect(Object.hasOwn(hooks, "fetchWithTimeout")).toBe(false);
  });

  it("records a connection failure as an error with its type", async () => {
    h = start();
    const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 0 }));
    const error = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.statusCode).toBe("error");
    expect(s.attributes["error.type"]).toBe(s.events[0]?.attributes["exception.type"]);
    expect(s.attributes["error.type"]).toEqual(expect.stringMatching(/Error$/));
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("records a plain chat call with GenAI and OpenInference attributes, tokens and cost", async () => {
    h = start();
    const openai = client();
    const answer = observe(async () => (await openai.chat.completions.create({ model: "gpt-4o-mini", temperature: 0.2, max_tokens: 400, top_p: 0.9, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello" }] })).choices[0]?.message.content, { name: "answer", kind: "agent" });
    expect(await answer()).toBe("Hello there!");
    await flush();
    const agent = only(h.memory, "answer");
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.parentSpanId).toBe(agent.spanId);
    expect(s.traceId).toBe(agent.traceId);
    expect(s.type).toBe("llm");
    expect(s.kind).toBe("client");
    expect(s.statusCode).toBe("unset");
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.request.temperature": 0.2,
      "gen_ai.request.max_tokens": 400,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.response.id": "chatcmpl-1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 300,
      "gen_ai.usage.cache_read.input_tokens": 200,
      "openinference.span.kind": "LLM",
      "llm.provider": "openai",
      "llm.model_name": "gpt-4o-mini-2024-07-18",
      "llm.token_count.prompt": 1200,
      "llm.token_count.completion": 300,
      "llm.token_count.total": 1500,
      "output.value": "Hello there!",
      "http.response.status_code": 200,
    });
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
    expect(s.attributes["llm.cost.prompt"]).toBeCloseTo((1000 * 0.15 + 200 * 0.075) / 1e6, 12);
    expect(s.attributes["llm.cost.completion"]).toBeCloseTo((300 * 0.6) / 1e6, 12);
    expect(s.attributes["llm.cost.total"]).toBeCloseTo(0.000345, 12);
    expect(JSON.parse(s.attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "Say hello" }] }]);
    expect(JSON.parse(s.attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Be brief." }]);
    expect(JSON.parse(s.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "text", content: "Hello there!" }], finish_reason: "stop" }]);
    expect(s.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
  });

  it("keeps content attributes valid JSON when a prompt is longer than maxAttributeValueLength, its long text cut", async () => {
    h = start();
    const context = `Documents:\n${"Le \"rapport\" annuel, page suivante. ".repeat(1_000)}`;
    await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: "Answer from the documents." }, { role: "user", content: context }, { role: "user", content: "Summarise." }] });
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    const input = JSON.parse(s.attributes["gen_ai.input.messages"] as string) as { role: string; parts: { content: string }[] }[];
    expect(input.map((m) => m.role)).toEqual(["user", "user"]);
    expect(input[0]?.parts[0]?.content.endsWith("…")).toBe(true);
    expect(context.startsWith(input[0]?.parts[0]?.content.slice(0, -1) as string)).toBe(true);
    expect(input[1]?.parts[0]?.content).toBe("Summarise.");
    const raw = JSON.parse(s.attributes["input.value"] as string) as { role: string; content: string }[];
    expect(raw.map((m) => m.content.slice(0, 10))).toEqual(["Answer fro", "Documents:", "Summarise."]);
    expect(s.attributes["input.mime_type"]).toBe("application/json");
    for (const key of ["gen_ai.input.messages", "input.value"]) expect((s.attributes[key] as string).length).toBeLessThanOrEqual(16_384);
  });

  it("keeps APIPromise methods such as withResponse()", async () => {
    h = start();
    const { data, response } = await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe("Hello there!");
    expect(response.status).toBe(200);
    await flush();
    expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.usage.output_tokens"]).toBe(300);
  });

  it("records a streamed call with usage, output, TTFT, and hands the caller the provider's bytes without the added usage chunk", async () => {
    h = start();
    const received = { bytes: [] as Uint8Array[] };
    const stream = await client(received).chat.completions.create({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "stream please" }] });
    let out = "";
    const chunks: unknown[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      out += chunk.choices[0]?.delta.content ?? "";
    }
    expect(out).toBe("Hello from the stream.");
    // spanwise asked for usage, the caller did not: the provider got include_usage...
    expect(provider.requests.at(-1)?.body.stream_options).toEqual({ include_usage: true });
    // ...and the caller saw exactly what the provider sends without it: no usage-only chunk, no "usage":null.
    expect(chatStreamText("gpt-4o-mini", true)).toContain('"usage":null');
    expect(text(received.bytes)).toBe(chatStreamText("gpt-4o-mini", false));
    expect(chunks.every((c) => (c as { choices: unknown[] }).choices.length > 0)).toBe(true);
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.id": "chatcmpl-stream-1",
      "gen_ai.response.model": "gpt-4o-mini",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 19,
      "gen_ai.usage.output_tokens": 5,
      "llm.token_count.total": 24,
      "output.value": "Hello from the stream.",
    });
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((19 * 0.15 + 5 * 0.6) / 1e6, 12);
    expect(typeof s.attributes["gen_ai.response.time_to_first_chunk"]).toBe("number");
    expect(s.attributes["gen_ai.response.time_to_first_chunk"] as number).toBeGreaterThanOrEqual(0);
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("passes a stream that already asked for usage through byte for byte", async () => {
    h = start();
    const received = { bytes: [] as Uint8Array[] };
    const stream = await client(received).chat.completions.create({ model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "x" }] });
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 5 });
    expect(text(received.bytes)).toBe(chatStreamText("gpt-4o-mini", true));
    await flush();
    expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.usage.output_tokens"]).toBe(5);
  });

  it("with streamUsage: false leaves the request alone and invents no token counts", async () => {
    h = start();
    const received = { bytes: [] as Uint8Array[] };
    const stream = await client(received, { streamUsage: false }).chat.completions.create({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "x" }] });
    for await (const _ of stream) void _;
    expect(provider.requests.at(-1)?.body.stream_options).toBeUndefined();
    expect(text(received.bytes)).toBe(chatStreamText("gpt-4o-mini", false));
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeUndefined();
    expect(s.attributes["output.value"]).toBe("Hello from the stream.");
  });

  it("ends an abandoned stream as cancelled with what was received and no token counts", async () => {
    h = start();
    const stream = await client().chat.completions.create({ model: "hang", stream: true, messages: [{ role: "user", content: "x" }] });
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.content).toBe("");
      break;
    }
    await provider.hangClosed;
    await flush();
    const s = only(h.memory, "chat hang");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["gen_ai.response.id"]).toBe("chatcmpl-stream-1");
    expect(s.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
    expect(s.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeUndefined();
    expect(s.statusCode).not.toBe("error");
  });

  it("records the client's own timeout as a TimeoutError, and the caller's abort as a cancel", async () => {
    h = start();
    // The "hang" model never answers. The SDK aborts its request when `timeout` runs out, and when
    // the caller's signal aborts: the same abort either way, which the span must tell apart.
    const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0, timeout: 300 }));
    const timedOut = await openai.chat.completions.create({ model: "hang", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const aborted = await openai.chat.completions.create({ model: "hang", messages: [{ role: "user", content: "x" }] }, { signal: caller.signal }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(OpenAI.APIUserAbortError);
    await flush();
    const [timeout, cancel] = h.memory.spans.filter((s) => s.name === "chat hang").sort((a, b) => a.startTime - b.startTime) as [ReadableSpan, ReadableSpan];
    expect(timeout.statusCode).toBe("error");
    expect(timeout.attributes["error.type"]).toBe("TimeoutError");
    expect(timeout.events[0]?.attributes).toMatchObject({ "exception.type": "TimeoutError" });
    expect(timeout.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(cancel.attributes["spanwise.cancelled"]).toBe(true);
    expect(cancel.statusCode).not.toBe("error");
    expect(cancel.attributes["error.type"]).toBeUndefined();
  });

  it("records a shorter timeout set with withOptions() as a TimeoutError, and the caller's abort through that client as a cancel", async () => {
    h = start();
    const openai = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0, timeout: 60_000 }));
    // Only a per-request timeout is announced in X-Stainless-Timeout: this one is known from the derived client.
    const quick = openai.withOptions({ timeout: 300 });
    const timedOut = await quick.chat.completions.create({ model: "hang", messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    // A client made from the derived one, with a timeout of its own, and the caller's abort before it.
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 350);
    const aborted = await quick.withOptions({ timeout: 5_000 }).chat.completions.create({ model: "hang", messages: [{ role: "user", content: "x" }] }, { signal: caller.signal }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(OpenAI.APIUserAbortError);
    // Still answered through the one traced fetch: one span per call.
    expect((await quick.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })).choices[0]?.message.content).toBe("Hello there!");
    await flush();
    const [timeout, cancel] = h.memory.spans.filter((s) => s.name === "chat hang").sort((a, b) => a.startTime - b.startTime) as [ReadableSpan, ReadableSpan];
    expect(timeout.attributes["error.type"]).toBe("TimeoutError");
    expect(timeout.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(cancel.attributes["spanwise.cancelled"]).toBe(true);
    expect(cancel.attributes["error.type"]).toBeUndefined();
    expect(h.memory.spans.filter((s) => s.type === "llm")).toHaveLength(3);
  });

  it("records a provider error mid-stream as the span's error, not a cancel, and prices no partial answer", async () => {
    h = start({ pricing: { "stream-error": { input: 3, output: 15 } } });
    const stream = await client().chat.completions.create({ model: "stream-error", stream: true, messages: [{ role: "user", content: "x" }] });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain("Overloaded mid-stream.");
    await flush();
    const s = only(h.memory, "chat stream-error");
    expect(s.statusCode).toBe("error");
    expect(s.statusMessage).toBe("Overloaded mid-stream.");
    expect(s.events[0]?.attributes).toMatchObject({ "exception.type": "server_error", "exception.message": "Overloaded mid-stream." });
    expect(s.attributes["error.type"]).toBe("server_error");
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeUndefined();
  });

  it("records a refusal as the answer, streamed or not, with the time to its first chunk", async () => {
    h = start();
    const plain = await client().chat.completions.create({ model: "refuser", messages: [{ role: "user", content: "x" }] });
    expect(plain.choices[0]?.message.refusal).toBe("I can't help with that.");
    const stream = await client().chat.completions.create({ model: "refuser", stream: true, messages: [{ role: "user", content: "x" }] });
    let refusal = "";
    for await (const chunk of stream) refusal += chunk.choices[0]?.delta.refusal ?? "";
    expect(refusal).toBe("I can't help with that.");
    await flush();
    const spans = h.memory.spans.filter((s) => s.name === "chat refuser").sort((a, b) => a.startTime - b.startTime);
    expect(spans).toHaveLength(2);
    for (const s of spans) {
      expect(JSON.parse(s.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "refusal", content: "I can't help with that." }], finish_reason: "stop" }]);
      expect(s.attributes["output.value"]).toBe("I can't help with that.");
    }
    expect(spans[1]?.attributes["gen_ai.response.time_to_first_chunk"]).toBeGreaterThan(0);
  });

  it("records a stream whose body ends before any finish reason as an incomplete generation, and the caller still gets what arrived", async () => {
    h = start({ pricing: { "stream-cut": { input: 3, output: 15 } } });
    const stream = await client().chat.completions.create({ model: "stream-cut", stream: true, messages: [{ role: "user", content: "x" }] });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello");
    await flush();
    const s = only(h.memory, "chat stream-cut");
    expect(s.statusCode).toBe("error");
    expect(s.attributes["error.type"]).toBe("incomplete_stream");
    expect(s.attributes["gen_ai.response.finish_reasons"]).toBeUndefined();
    expect(s.attributes["output.value"]).toBe("Hello");
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(s.attributes["llm.cost.total"]).toBeUndefined();
  });

  it("records a call once when the wrapped client's fetch is traced by init({ instrument }) too", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    // Made after init: the client's fetch is the one init({ instrument }) wrapped.
    const answer = await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    expect(answer.choices[0]?.message.content).toBe("Hello there!");
    const stream = await client().chat.completions.create({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "hi" }] });
    for await (const _ of stream);
    await flush();
    const calls = llmSpans(h.memory.spans);
    expect(calls.map((s) => [s.name, s.parentSpanId])).toEqual([
      ["chat gpt-4o-mini", undefined],
      ["chat gpt-4o-mini", undefined],
    ]);
    expect(calls.map((s) => s.attributes["gen_ai.usage.output_tokens"])).toEqual([300, 5]);
  });

  it("records a tool call round trip as two LLM spans with the tool call and its result", async () => {
    h = start();
    const openai = client();
    const tools = [{ type: "function" as const, function: { name: "get_weather", description: "Weather in a city", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
    const run = observe(
      async () => {
        const messages: OpenAIv6.Chat.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
        const first = await openai.chat.completions.create({ model: "gpt-4o-mini", messages, tools });
        const call = first.choices[0]?.message.tool_calls?.[0];
        if (!call || call.type !== "function") throw new Error("no tool call");
        const result = await observe(async (city: string) => ({ city, celsius: 18 }), { name: "get_weather", kind: "tool" })(JSON.parse(call.function.arguments).city);
        messages.push(first.choices[0]!.message, { role: "tool", tool_call_id: call.id, content: JSON.stringify(result) });
        return (await openai.chat.completions.create({ model: "gpt-4o-mini", messages, tools })).choices[0]?.message.content;
      },
      { name: "weather-agent", kind: "agent" },
    );
    expect(await run()).toBe("It is 18°C in Paris.");
    await flush();
    const agent = only(h.memory, "weather-agent");
    const calls = llmSpans(h.memory.spans).sort((a, b) => a.startTime - b.startTime);
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.parentSpanId === agent.spanId)).toBe(true);
    expect(only(h.memory, "get_weather").parentSpanId).toBe(agent.spanId);
    const [first, second] = calls as [ReadableSpan, ReadableSpan];
    expect(first.attributes["gen_ai.response.finish_reasons"]).toEqual(["tool_calls"]);
    // In the shape of GenAI's tool-definitions schema, not OpenAI's nesting under `function`.
    expect(JSON.parse(first.attributes["gen_ai.tool.definitions"] as string)).toEqual([{ type: "function", name: "get_weather", description: "Weather in a city", parameters: tools[0]?.function.parameters }]);
    expect(JSON.parse(first.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }], finish_reason: "tool_calls" }]);
    expect(JSON.parse(second.attributes["gen_ai.input.messages"] as string)).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: '{"city":"Paris","celsius":18}' }] },
    ]);
    expect(second.attributes["output.value"]).toBe("It is 18°C in Paris.");
  });

  it("records a Responses API call with instructions, cached and reasoning tokens and cost", async () => {
    h = start();
    const r = await observe(() => client().responses.create({ model: "gpt-4.1-mini", instructions: "Be brief.", input: "Say hello", temperature: 0.3, max_output_tokens: 200 }), { name: "agent", kind: "agent" })();
    expect(r.output_text).toBe("Hello from responses!");
    await flush();
    const s = only(h.memory, "chat gpt-4.1-mini");
    expect(s.parentSpanId).toBe(only(h.memory, "agent").spanId);
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4.1-mini",
      "gen_ai.request.temperature": 0.3,
      "gen_ai.request.max_tokens": 200,
      "gen_ai.response.model": "gpt-4.1-mini-2025-04-14",
      "gen_ai.response.id": "resp_1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 900,
      "gen_ai.usage.output_tokens": 60,
      "gen_ai.usage.cache_read.input_tokens": 100,
      "gen_ai.usage.reasoning.output_tokens": 20,
      "llm.token_count.total": 960,
      "input.value": "Say hello",
      "output.value": "Hello from responses!",
    });
    // gpt-4.1-mini: $0.40 input, $0.10 cached input, $1.60 output per million tokens.
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((800 * 0.4 + 100 * 0.1 + 60 * 1.6) / 1e6, 12);
    expect(JSON.parse(s.attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Be brief." }]);
    expect(JSON.parse(s.attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "Say hello" }] }]);
    expect(JSON.parse(s.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "text", content: "Hello from responses!" }], finish_reason: "stop" }]);
  });

  it("records a streamed Responses API call with TTFT, and hands the caller the provider's bytes", async () => {
    h = start();
    const received = { bytes: [] as Uint8Array[] };
    const stream = await client(received).responses.create({ model: "gpt-4.1-mini", input: [{ role: "user", content: "stream please" }], stream: true });
    let out = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") out += event.delta;
    expect(out).toBe("Hello from responses!");
    expect(provider.requests.at(-1)?.body.stream_options).toBeUndefined();
    expect(text(received.bytes)).toBe(responsesStreamText("gpt-4.1-mini"));
    await flush();
    const s = only(h.memory, "chat gpt-4.1-mini");
    expect(s.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.response.id": "resp_1",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 900,
      "gen_ai.usage.output_tokens": 60,
      "output.value": "Hello from responses!",
    });
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((800 * 0.4 + 100 * 0.1 + 60 * 1.6) / 1e6, 12);
    expect(typeof s.attributes["gen_ai.response.time_to_first_chunk"]).toBe("number");
  });

  it("records the request parameters the GenAI conventions name: seed, choices, stops, penalties, JSON output", async () => {
    h = start();
    await client().chat.completions.create({ model: "gpt-4o-mini", seed: 42, n: 2, stop: ["\n\n", "END"], frequency_penalty: -0.5, presence_penalty: 0.25, response_format: { type: "json_object" }, messages: [{ role: "user", content: "Weather in Paris as JSON" }] });
    await client().chat.completions.create({ model: "gpt-4o", n: 1, stop: "END", messages: [{ role: "user", content: "x" }] });
    await client().responses.create({ model: "gpt-4.1-mini", input: "x", text: { format: { type: "json_schema", name: "w", schema: { type: "object" } } } });
    await client().embeddings.create({ model: "text-embedding-3-large", input: "a", dimensions: 256, encoding_format: "float" });
    await flush();
    expect(only(h.memory, "chat gpt-4o-mini").attributes).toMatchObject({
      "gen_ai.request.seed": 42,
      "gen_ai.request.choice.count": 2,
      "gen_ai.request.stop_sequences": ["\n\n", "END"],
      "gen_ai.request.frequency_penalty": -0.5,
      "gen_ai.request.presence_penalty": 0.25,
      "gen_ai.output.type": "json",
    });
    // OpenInference's one JSON object of the same parameters.
    expect(JSON.parse(only(h.memory, "chat gpt-4o-mini").attributes["llm.invocation_parameters"] as string)).toEqual({ seed: 42, n: 2, stop_sequences: ["\n\n", "END"], frequency_penalty: -0.5, presence_penalty: 0.25 });
    // One choice is the default, and is not recorded; a single stop string is a list of one.
    const plain = only(h.memory, "chat gpt-4o").attributes;
    expect(plain["gen_ai.request.choice.count"]).toBeUndefined();
    expect(plain["gen_ai.request.stop_sequences"]).toEqual(["END"]);
    expect(plain["gen_ai.output.type"]).toBeUndefined();
    expect(only(h.memory, "chat gpt-4.1-mini").attributes["gen_ai.output.type"]).toBe("json");
    const embedding = only(h.memory, "embeddings text-embedding-3-large").attributes;
    expect(embedding).toMatchObject({ "gen_ai.embeddings.dimension.count": 256, "gen_ai.request.encoding_formats": ["float"] });
    // OpenInference's key for an embedding call, with the format as it was sent.
    expect(JSON.parse(embedding["embedding.invocation_parameters"] as string)).toEqual({ dimensions: 256, encoding_format: "float" });
    expect(embedding["llm.invocation_parameters"]).toBeUndefined();
  });

  it("records an embeddings call", async () => {
    h = start();
    const r = await client().embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    expect(r.data).toHaveLength(2);
    await flush();
    const s = only(h.memory, "embeddings text-embedding-3-small");
    expect(s.type).toBe("embedding");
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "embeddings",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "text-embedding-3-small",
      "gen_ai.usage.input_tokens": 8,
      "openinference.span.kind": "EMBEDDING",
      "embedding.model_name": "text-embedding-3-small",
      "llm.token_count.total": 8,
    });
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((8 * 0.02) / 1e6, 15);
  });

  it.each([
    [429, "rate-limited", "Rate limit reached for requests", OpenAI.RateLimitError],
    [500, "broken", "The server had an error while processing your request.", OpenAI.InternalServerError],
  ])("records a %i from the provider on the span and rethrows the SDK's own error", async (status, model, message, ErrorClass) => {
    h = start();
    const error = await client().chat.completions.create({ model, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as { status: number }).status).toBe(status);
    await flush();
    const s = only(h.memory, `chat ${model}`);
    expect(s.statusCode).toBe("error");
    expect(s.statusMessage).toBe(message);
    expect(s.attributes["http.response.status_code"]).toBe(status);
    expect(s.attributes["error.type"]).toBe(String(status));
    expect(s.events[0]?.name).toBe("exception");
    expect(s.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
  });

  it("captures no prompt or completion with captureContent: false", async () => {
    h = start({ captureContent: false });
    await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "secret prompt" }] });
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    for (const key of ["input.value", "output.value", "gen_ai.input.messages", "gen_ai.output.messages"]) expect(s.attributes[key]).toBeUndefined();
    expect(s.attributes["gen_ai.usage.input_tokens"]).toBe(1200);
  });

  it("prices a model from the pricing option, and warns once for an unpriced one", async () => {
    h = start({ pricing: { "my-ft-*": { input: 10, output: 20 } } });
    const openai = client();
    await openai.chat.completions.create({ model: "my-ft-model", messages: [{ role: "user", content: "x" }] });
    await openai.chat.completions.create({ model: "mystery-model", messages: [{ role: "user", content: "x" }] });
    await openai.chat.completions.create({ model: "mystery-model", messages: [{ role: "user", content: "x" }] });
    await flush();
    expect(only(h.memory, "chat my-ft-model").attributes["llm.cost.total"]).toBeCloseTo((1200 * 10 + 300 * 20) / 1e6, 12);
    for (const s of h.memory.spans.filter((x) => x.name === "chat mystery-model")) expect(Object.keys(s.attributes).filter((k) => k.startsWith("llm.cost"))).toEqual([]);
    expect(h.warnings.filter((w) => w.includes("mystery-model-2024-07-18"))).toHaveLength(1);
  });

  it("prices a gateway alias or deployment by its own entry, though the provider names the model behind it", () => {
    const lookup = createPriceLookup({ "support-bot-deployment": { input: 1, output: 2 }, "gpt-4o": { input: 3, output: 4 } });
    // The user's entry for the name asked for wins over the built-in table's row for the model that answered.
    expect(lookup("gpt-4o-mini-2024-07-18", "support-bot-deployment")).toEqual({ input: 1, output: 2 });
    // The user's entry for the model that answered (without its date) wins over the alias.
    expect(lookup("gpt-4o-2024-08-06", "support-bot-deployment")).toEqual({ input: 3, output: 4 });
    // Nothing of the user's: the built-in row.
    expect(lookup("gpt-4o-mini-2024-07-18", "another-alias")).toMatchObject({ input: 0.15, output: 0.6 });
  });

  it("prices by an exact pricing entry for the model asked for, when the provider answers with a dated one", async () => {
    // The fake provider answers gpt-4o-mini-2024-07-18 for gpt-4o-mini, as OpenAI does.
    h = start({ pricing: { "gpt-4o-mini": { input: 10, output: 20 } } });
    await client().chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] });
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.attributes["gen_ai.response.model"]).toBe("gpt-4o-mini-2024-07-18");
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((1200 * 10 + 300 * 20) / 1e6, 12);
  });
});
