import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flush, observe, shutdown, stats } from "spanwise/node";
import { type Harness, only, start } from "../core/helpers.js";
import { type FakeProvider, chatStreamText, geminiStreamText, mistralStreamText, responsesStreamText, startFakeProvider } from "./fake-provider.js";

let provider: FakeProvider;
let h: Harness;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
afterEach(() => shutdown());

// A JSON answer is read for the span from a copy of the body, which settles in the same turn
// as the caller's read; let that turn finish before flushing.
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const post = (url: string, body: unknown, signal?: AbortSignal): Promise<Response> => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });

/** Reads a body to the end through a BYOB reader with views of `size` bytes, as text. */
async function readByob(body: ReadableStream<Uint8Array>, size: number): Promise<string> {
  const reader = body.getReader({ mode: "byob" });
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const r = await reader.read(new Uint8Array(size));
    if (r.done) return text + decoder.decode();
    expect(r.value.byteLength).toBeLessThanOrEqual(size);
    text += decoder.decode(r.value, { stream: true });
  }
}

describe("init({ instrument }) traces LLM APIs at the fetch level", () => {
  it("traces an OpenAI-compatible host given by base URL, and restores fetch at shutdown", async () => {
    const before = globalThis.fetch;
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "vllm" }] });
    expect(globalThis.fetch).not.toBe(before);
    const run = observe(async () => (await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })).json(), { name: "agent", kind: "agent" });
    const answer = (await run()) as { choices: { message: { content: string } }[] };
    expect(answer.choices[0]?.message.content).toBe("Hello there!");
    await settled();
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.parentSpanId).toBe(only(h.memory, "agent").spanId);
    expect(s.attributes).toMatchObject({ "gen_ai.provider.name": "vllm", "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 300 });
    expect(s.attributes["llm.cost.total"]).toBeCloseTo(0.000345, 12);
    await shutdown();
    expect(globalThis.fetch).toBe(before);
  });

  it("keeps what the fetch it replaces carries (Bun's preconnect, the mark Next.js leaves on the fetch it patched)", async () => {
    const real = globalThis.fetch;
    const preconnect = (url: string): string => `preconnect ${url}`;
    const patched = Object.assign((input: RequestInfo | URL, init?: RequestInit) => real(input, init), { preconnect, __nextPatched: true as const });
    globalThis.fetch = patched as typeof fetch;
    try {
      h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "vllm" }] });
      const traced = globalThis.fetch as typeof patched;
      expect(traced).not.toBe(patched);
      expect(traced.preconnect).toBe(preconnect);
      expect(traced.__nextPatched).toBe(true);
      await (await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })).json();
      await settled();
      await flush();
      expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.provider.name"]).toBe("vllm");
      await shutdown();
      expect(globalThis.fetch).toBe(patched);
    } finally {
      globalThis.fetch = real;
    }
  });

  it("leaves other requests and other hosts alone", async () => {
    h = start({ instrument: [{ baseURL: "https://llm.example.com/v1", provider: "other" }] });
    await (await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", messages: [] })).json();
    // A traced call would have started its span before the answer came back.
    expect(stats().started).toBe(0);
  });

  it("passes a raw SSE body through with include_usage taken back out", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    const r = await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "x" }] });
    expect(r.headers.get("content-type")).toBe("text/event-stream");
    expect(await r.text()).toBe(chatStreamText("gpt-4o-mini", false));
    await flush();
    expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.usage.output_tokens"]).toBe(5);
  });

  it("keeps a traced SSE body a byte stream, as fetch gave it, so a BYOB reader reads it with include_usage taken back out", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    const r = await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "x" }] });
    expect(await readByob(r.body as ReadableStream<Uint8Array>, 64)).toBe(chatStreamText("gpt-4o-mini", false));
    await flush();
    expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.usage.output_tokens"]).toBe(5);
  });

  it("keeps a traced SSE body a byte stream when it passes the provider's chunks on as they came", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/mistral/v1`, provider: "proxy", streamUsage: false }] });
    const r = await post(`${provider.url}/mistral/v1/chat/completions`, { model: "m", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(await readByob(r.body as ReadableStream<Uint8Array>, 7)).toBe(mistralStreamText("m"));
    await flush();
    expect(only(h.memory, "chat m").attributes).toMatchObject({ "gen_ai.usage.output_tokens": 5, "output.value": "Hello from the stream." });
  });

  it("records Responses API function_call and function_call_output input items as tool call messages", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    const input = [
      { role: "user", content: "Weather in Paris?" },
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "call_1", output: '{"celsius":18}' },
    ];
    await (await post(`${provider.url}/v1/responses`, { model: "gpt-4.1-mini", input })).json();
    await settled();
    await flush();
    expect(JSON.parse(only(h.memory, "chat gpt-4.1-mini").attributes["gen_ai.input.messages"] as string)).toEqual([
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: '{"celsius":18}' }] },
    ]);
  });

  it.each([
    ["failed", "server_error", "The model crashed."],
    ["stream-error", "rate_limit_exceeded", "Too many tokens mid-stream."],
  ])("records a Responses API stream that ends in failure (%s) as an error with the provider's message", async (model, code, message) => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    const r = await post(`${provider.url}/v1/responses`, { model, stream: true, input: "x" });
    expect(await r.text()).toBe(responsesStreamText(model));
    await flush();
    const s = only(h.memory, `chat ${model}`);
    expect(s.statusCode).toBe("error");
    expect(s.statusMessage).toBe(message);
    expect(s.events[0]?.attributes).toMatchObject({ "exception.type": code, "exception.message": message });
    expect(s.attributes["error.type"]).toBe(code);
    expect(s.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
  });

  it("traces Gemini generateContent with thinking tokens counted as output", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1beta`, provider: "gcp.gemini", api: "gemini" }] });
    const r = await post(`${provider.url}/v1beta/models/gemini-2.5-flash:generateContent`, { contents: [{ role: "user", parts: [{ text: "Say ciao" }] }], generationConfig: { temperature: 0.1, maxOutputTokens: 64, topK: 20, seed: 7, candidateCount: 1, stopSequences: ["."], responseMimeType: "application/json" } });
    expect(((await r.json()) as { responseId: string }).responseId).toBe("gem-0");
    await settled();
    await flush();
    const s = only(h.memory, "generate_content gemini-2.5-flash");
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "generate_content",
      "gen_ai.provider.name": "gcp.gemini",
      // OpenInference spells the cloud its own way.
      "llm.provider": "google",
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(provider.url).port),
      "gen_ai.request.temperature": 0.1,
      "gen_ai.request.max_tokens": 64,
      "gen_ai.request.top_k": 20,
      "gen_ai.request.seed": 7,
      "gen_ai.request.stop_sequences": ["."],
      "gen_ai.output.type": "json",
      "gen_ai.response.id": "gem-0",
      "gen_ai.response.finish_reasons": ["STOP"],
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 150,
      "gen_ai.usage.reasoning.output_tokens": 50,
      "output.value": "Ciao!",
    });
    // gemini-2.5-flash: $0.30 input, $2.50 output per million.
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((1000 * 0.3 + 150 * 2.5) / 1e6, 12);
  });

  it("calls a stream whose body ends before its end marker and any finish reason incomplete, and one ended by [DONE] or a blocked prompt not", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }, { baseURL: `${provider.url}/v1beta`, provider: "gcp.gemini", api: "gemini" }] });
    await (await post(`${provider.url}/v1/responses`, { model: "stream-cut", stream: true, input: "x" })).text();
    await (await post(`${provider.url}/v1/chat/completions`, { model: "no-reason", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "x" }] })).text();
    await (await post(`${provider.url}/v1beta/models/blocked:streamGenerateContent?alt=sse`, { contents: [{ role: "user", parts: [{ text: "x" }] }] })).text();
    await flush();
    const cut = only(h.memory, "chat stream-cut");
    expect(cut.statusCode).toBe("error");
    expect(cut.attributes["error.type"]).toBe("incomplete_stream");
    const noReason = only(h.memory, "chat no-reason");
    expect(noReason.statusCode).not.toBe("error");
    expect(noReason.attributes["gen_ai.usage.output_tokens"]).toBe(5);
    const blocked = only(h.memory, "generate_content blocked");
    expect(blocked.statusCode).not.toBe("error");
    expect(blocked.attributes["gen_ai.response.finish_reasons"]).toEqual(["PROHIBITED_CONTENT"]);
  });

  it("traces Gemini streamGenerateContent (SSE with CRLF) and hands the bytes through", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1beta`, provider: "gcp.gemini", api: "gemini" }] });
    const r = await post(`${provider.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { contents: [{ role: "user", parts: [{ text: "x" }] }] });
    expect(await r.text()).toBe(geminiStreamText("gemini-2.5-flash"));
    await flush();
    const s = only(h.memory, "generate_content gemini-2.5-flash");
    expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 11, "gen_ai.usage.output_tokens": 4, "output.value": "Ciao mondo", "gen_ai.response.finish_reasons": ["STOP"] });
    expect(typeof s.attributes["llm.time_to_first_token_ms"]).toBe("number");
  });

  it("asks a host given by base URL for stream usage unless told streamUsage: false", async () => {
    const body = { model: "m", stream: true, messages: [{ role: "user", content: "hi" }] };
    // The fake's /mistral prefix refuses stream_options, as Mistral's API does.
    h = start({ instrument: [{ baseURL: `${provider.url}/mistral/v1`, provider: "proxy" }] });
    expect((await post(`${provider.url}/mistral/v1/chat/completions`, body)).status).toBe(422);
    await shutdown();
    h = start({ instrument: [{ baseURL: `${provider.url}/mistral/v1`, provider: "proxy", streamUsage: false }] });
    const r = await post(`${provider.url}/mistral/v1/chat/completions`, body);
    expect(await r.text()).toBe(mistralStreamText("m"));
    await flush();
    expect(only(h.memory, "chat m").attributes).toMatchObject({ "gen_ai.provider.name": "proxy", "gen_ai.usage.output_tokens": 5 });
    expect(() => start({ instrument: [{ baseURL: provider.url, provider: "p", streamUsage: "no" as unknown as boolean }] })).toThrow(/instrument/);
  });

  it("records an SDK client's own timeout as a TimeoutError, and the caller's abort as a cancel", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    // Made after init, so the client sends through the fetch that init({ instrument }) wrapped. The
    // fetch sees the SDK's own signal, aborted alike by its timer and by the caller's signal; it
    // tells them apart by the whole seconds the SDK announces in X-Stainless-Timeout (the openai
    // package announces a request's own `timeout` only, @anthropic-ai/sdk every timeout).
    const openai = new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0 });
    const request = { model: "hang", messages: [{ role: "user" as const, content: "x" }] };
    const timedOut = await openai.chat.completions.create(request, { timeout: 1000 }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const aborted = await openai.chat.completions.create(request, { timeout: 1000, signal: caller.signal }).catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(OpenAI.APIUserAbortError);
    // fetch's own timeout signal is a timeout too, before the answer and while its stream is read.
    const direct = await post(`${provider.url}/v1/chat/completions`, { model: "hang", messages: [] }, AbortSignal.timeout(100)).catch((e: unknown) => e);
    expect((direct as Error).name).toBe("TimeoutError");
    const streamed = await post(`${provider.url}/v1/chat/completions`, { model: "hang", stream: true, messages: [] }, AbortSignal.timeout(300));
    expect(((await streamed.text().catch((e: unknown) => e)) as Error).name).toBe("TimeoutError");
    await flush();
    const [timeout, cancel, directSpan, streamSpan] = h.memory.spans.filter((s) => s.name === "chat hang").sort((a, b) => a.startTime - b.startTime);
    for (const s of [timeout, directSpan, streamSpan]) {
      expect(s?.statusCode).toBe("error");
      expect(s?.attributes["error.type"]).toBe("TimeoutError");
      expect(s?.attributes["spanwise.cancelled"]).toBeUndefined();
    }
    expect(cancel?.attributes["spanwise.cancelled"]).toBe(true);
    expect(cancel?.statusCode).not.toBe("error");
  });

  it("rejects an unknown API name with a ConfigError naming instrument", () => {
    expect(() => start({ instrument: ["nope" as "openai"] })).toThrow(/instrument/);
  });
});

/**
 * Sends requests for the real provider hosts to the fake provider. Installed as globalThis.fetch
 * before init(), so spanwise classifies the real URL and this fetch, underneath, delivers it.
 */
function routeHostsToFake(): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname === "127.0.0.1") return original(input, init);
    const path = url.pathname.slice(url.pathname.indexOf("/v1"));
    // Mistral's host gets the fake's Mistral behaviour (see startFakeProvider).
    return original(`${provider.url}${url.hostname === "api.mistral.ai" ? "/mistral" : ""}${path}${url.search}`, init);
  };
  return () => {
    globalThis.fetch = original;
  };
}

describe("the built-in hosts, routed by their real URLs", () => {
  let restore: () => void = () => {};
  afterEach(() => restore());

  it("traces Gemini generateContent on generativelanguage.googleapis.com", async () => {
    restore = routeHostsToFake();
    h = start({ instrument: ["gemini"] });
    const r = await post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key=k", { contents: [{ role: "user", parts: [{ text: "Say ciao" }] }], systemInstruction: { parts: [{ text: "Be brief." }] } });
    expect(((await r.json()) as { responseId: string }).responseId).toBe("gem-0");
    await settled();
    await flush();
    const s = only(h.memory, "generate_content gemini-2.5-flash");
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "generate_content",
      "gen_ai.provider.name": "gcp.gemini",
      "gen_ai.request.model": "gemini-2.5-flash",
      "gen_ai.usage.input_tokens": 1000,
      "gen_ai.usage.output_tokens": 150,
      "llm.token_count.total": 1150,
      "output.value": "Ciao!",
    });
    expect(JSON.parse(s.attributes["gen_ai.system_instructions"] as string)).toEqual([{ type: "text", content: "Be brief." }]);
    expect(JSON.parse(s.attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "Say ciao" }] }]);
  });

  it("traces Gemini streamGenerateContent on generativelanguage.googleapis.com, bytes unchanged", async () => {
    restore = routeHostsToFake();
    h = start({ instrument: ["gemini"] });
    const r = await post("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", { contents: [{ role: "user", parts: [{ text: "x" }] }] });
    expect(await r.text()).toBe(geminiStreamText("gemini-2.0-flash"));
    await flush();
    const s = only(h.memory, "generate_content gemini-2.0-flash");
    expect(s.attributes).toMatchObject({ "gen_ai.provider.name": "gcp.gemini", "gen_ai.response.id": "gem-1", "gen_ai.usage.input_tokens": 11, "gen_ai.usage.output_tokens": 4, "output.value": "Ciao mondo" });
    // gemini-2.0-flash: $0.10 input, $0.40 output per million.
    expect(s.attributes["llm.cost.total"]).toBeCloseTo((11 * 0.1 + 4 * 0.4) / 1e6, 12);
    expect(typeof s.attributes["gen_ai.response.time_to_first_chunk"]).toBe("number");
  });

  it.each([
    ["groq", "https://api.groq.com/openai/v1/chat/completions", "groq"],
    ["together", "https://api.together.xyz/v1/chat/completions", "together"],
    ["openrouter", "https://openrouter.ai/api/v1/chat/completions", "openrouter"],
  ] as const)("traces the OpenAI-compatible host %s by its URL", async (name, url, providerName) => {
    restore = routeHostsToFake();
    h = start({ instrument: [name] });
    const r = await post(url, { model: "mistral-small-latest", messages: [{ role: "user", content: "hi" }] });
    expect(((await r.json()) as { id: string }).id).toBe("chatcmpl-1");
    const streamed = await post(url, { model: "mistral-small-latest", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(await streamed.text()).toBe(chatStreamText("mistral-small-latest", false));
    await settled();
    await flush();
    const [plain, stream] = h.memory.spans.filter((s) => s.name === "chat mistral-small-latest").sort((a, b) => a.startTime - b.startTime);
    expect(plain?.attributes).toMatchObject({ "gen_ai.provider.name": providerName, "llm.provider": providerName, "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 300 });
    expect(stream?.attributes).toMatchObject({ "gen_ai.provider.name": providerName, "gen_ai.usage.input_tokens": 19, "gen_ai.usage.output_tokens": 5 });
    expect(provider.requests.at(-1)?.body.stream_options).toEqual({ include_usage: true });
    // mistral-small: $0.10 input, $0.30 output per million (the fake answers "mistral-small-latest-2024-07-18").
    expect(plain?.attributes["llm.cost.total"]).toBeCloseTo((1200 * 0.1 + 300 * 0.3) / 1e6, 12);
  });

  it("traces Mistral's streams without asking for usage, which its API refuses, and reads the usage it sends unasked", async () => {
    restore = routeHostsToFake();
    h = start({ instrument: ["mistral"] });
    const url = "https://api.mistral.ai/v1/chat/completions";
    const r = await post(url, { model: "mistral-small-latest", messages: [{ role: "user", content: "hi" }] });
    expect(((await r.json()) as { id: string }).id).toBe("chatcmpl-1");
    const streamed = await post(url, { model: "mistral-small-latest", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toBe(mistralStreamText("mistral-small-latest"));
    expect(provider.requests.at(-1)?.body).not.toHaveProperty("stream_options");
    await settled();
    await flush();
    const [plain, stream] = h.memory.spans.filter((s) => s.name === "chat mistral-small-latest").sort((a, b) => a.startTime - b.startTime);
    expect(plain?.attributes).toMatchObject({ "gen_ai.provider.name": "mistral_ai", "gen_ai.usage.input_tokens": 1200, "gen_ai.usage.output_tokens": 300 });
    expect(stream?.attributes).toMatchObject({ "gen_ai.provider.name": "mistral_ai", "gen_ai.usage.input_tokens": 19, "gen_ai.usage.output_tokens": 5 });
    expect(stream?.statusCode).toBe("unset");
  });

  it("traces api.anthropic.com and prices one-hour cache writes at twice the input price, streamed and not", async () => {
    restore = routeHostsToFake();
    h = start({ instrument: ["anthropic"] });
    // Made after init, so the client sends through the fetch that init({ instrument }) wrapped.
    const anthropic = new Anthropic({ apiKey: "sk-ant-test", maxRetries: 0 });
    const system = [{ type: "text" as const, text: "You are a weather assistant.", cache_control: { type: "ephemeral" as const, ttl: "1h" as const } }];
    const msg = await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 100, system, messages: [{ role: "user", content: "Weather in Paris?" }] });
    expect(msg.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 });
    const stream = await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 100, stream: true, system, messages: [{ role: "user", content: "Say bonjour" }] });
    for await (const e of stream) expect(e.type).not.toBe("error");
    await settled();
    await flush();
    const [plain, streamed] = h.memory.spans.filter((s) => s.name === "chat claude-haiku-4-5").sort((a, b) => a.startTime - b.startTime);
    expect(plain?.attributes).toMatchObject({ "gen_ai.provider.name": "anthropic", "gen_ai.usage.input_tokens": 3050, "gen_ai.usage.cache_creation.input_tokens": 1000 });
    expect(streamed?.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 1121, "gen_ai.usage.cache_creation.input_tokens": 1000, "gen_ai.usage.output_tokens": 7 });
    // claude-haiku-4-5: $1 input, $0.10 cache read, $1.25 five-minute write, $2 one-hour write per million.
    expect(plain?.attributes["llm.cost.prompt"]).toBeCloseTo((50 * 1 + 2000 * 0.1 + 400 * 1.25 + 600 * 2) / 1e6, 12);
    expect(streamed?.attributes["llm.cost.prompt"]).toBeCloseTo((21 * 1 + 100 * 0.1 + 400 * 1.25 + 600 * 2) / 1e6, 12);
  });

  it("leaves a host that was not listed alone", async () => {
    restore = routeHostsToFake();
    h = start({ instrument: ["groq"] });
    await (await post("https://api.together.xyz/v1/chat/completions", { model: "m", messages: [] })).json();
    expect(stats().started).toBe(0);
  });
});
