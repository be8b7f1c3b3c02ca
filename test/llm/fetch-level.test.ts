import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flush, observe, shutdown } from "spanwise/node";
import { type Harness, only, start } from "../core/helpers.js";
import { type FakeProvider, chatStreamText, geminiStreamText, startFakeProvider } from "./fake-provider.js";

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

const post = (url: string, body: unknown): Promise<Response> => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

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

  it("leaves other requests and other hosts alone", async () => {
    h = start({ instrument: [{ baseURL: "https://llm.example.com/v1", provider: "other" }] });
    await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", messages: [] });
    await flush();
    expect(h.memory.spans).toEqual([]);
  });

  it("passes a raw SSE body through with include_usage taken back out", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    const r = await post(`${provider.url}/v1/chat/completions`, { model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "x" }] });
    expect(r.headers.get("content-type")).toBe("text/event-stream");
    expect(await r.text()).toBe(chatStreamText("gpt-4o-mini", false));
    await flush();
    expect(only(h.memory, "chat gpt-4o-mini").attributes["gen_ai.usage.output_tokens"]).toBe(5);
  });

  it("traces Gemini generateContent with thinking tokens counted as output", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1beta`, provider: "gcp.gemini", api: "gemini" }] });
    const r = await post(`${provider.url}/v1beta/models/gemini-2.5-flash:generateContent`, { contents: [{ role: "user", parts: [{ text: "Say ciao" }] }], generationConfig: { temperature: 0.1, maxOutputTokens: 64 } });
    expect(((await r.json()) as { responseId: string }).responseId).toBe("gem-0");
    await settled();
    await flush();
    const s = only(h.memory, "generate_content gemini-2.5-flash");
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "generate_content",
      "gen_ai.provider.name": "gcp.gemini",
      "gen_ai.request.temperature": 0.1,
      "gen_ai.request.max_tokens": 64,
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

  it("traces Gemini streamGenerateContent (SSE with CRLF) and hands the bytes through", async () => {
    h = start({ instrument: [{ baseURL: `${provider.url}/v1beta`, provider: "gcp.gemini", api: "gemini" }] });
    const r = await post(`${provider.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { contents: [{ role: "user", parts: [{ text: "x" }] }] });
    expect(await r.text()).toBe(geminiStreamText("gemini-2.5-flash"));
    await flush();
    const s = only(h.memory, "generate_content gemini-2.5-flash");
    expect(s.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 11, "gen_ai.usage.output_tokens": 4, "output.value": "Ciao mondo", "gen_ai.response.finish_reasons": ["STOP"] });
    expect(typeof s.attributes["llm.time_to_first_token_ms"]).toBe("number");
  });

  it("rejects an unknown API name with a ConfigError naming instrument", () => {
    expect(() => start({ instrument: ["nope" as "openai"] })).toThrow(/instrument/);
  });
});
