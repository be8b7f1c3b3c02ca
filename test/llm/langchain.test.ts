import { Document } from "@langchain/core/documents";
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { BaseRetriever } from "@langchain/core/retrievers";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { OutputParserException, StructuredOutputParser } from "@langchain/core/output_parsers";
import type { ChatResult } from "@langchain/core/outputs";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { RunnableLambda } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { flush, observe, shutdown } from "spanwise/node";
import { CallbackHandler } from "spanwise/langchain";
import { wrapOpenAI } from "spanwise/openai";
import OpenAI from "openai";
import { only, start } from "../core/helpers.js";
import { type FakeProvider, startFakeProvider } from "./fake-provider.js";

/** A retriever (a real BaseRetriever) that answers a query with the documents `find` gives. */
function retriever(find: (query: string) => Document[]): BaseRetriever {
  return new (class extends BaseRetriever {
    override lc_namespace = ["test"];
    override async _getRelevantDocuments(query: string): Promise<Document[]> {
      return find(query);
    }
  })();
}

/** A chat model with a fixed answer and fixed usage, reported the way LangChain's providers do. */
class FixedChatModel extends BaseChatModel {
  _llmType(): string {
    return "fixed";
  }
  override get lc_id(): string[] {
    return ["test", "FixedChatModel"];
  }
  override invocationParams(): Record<string, unknown> {
    return { model: "gpt-4o-mini", temperature: 0 };
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    if (messages.some((m) => String(m.content).includes("fail"))) throw new Error("model unavailable");
    const message = new AIMessage({ content: "Paris", usage_metadata: { input_tokens: 20, output_tokens: 2, total_tokens: 22 }, response_metadata: { model_name: "gpt-4o-mini-2024-07-18", finish_reason: "stop" } });
    return { generations: [{ text: "Paris", message, generationInfo: { finish_reason: "stop" } }] };
  }
}

/**
 * A chat model that answers as ChatAnthropic (@langchain/anthropic, not installed here) does:
 * usage_metadata counts cache reads and writes in its input tokens, and response_metadata holds
 * Anthropic's own response, whose usage splits the cache writes by lifetime.
 */
class AnthropicLikeChatModel extends BaseChatModel {
  _llmType(): string {
    return "anthropic";
  }
  override invocationParams(): Record<string, unknown> {
    return { model: "claude-sonnet-4-5" };
  }
  async _generate(): Promise<ChatResult> {
    const usage = { input_tokens: 50, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000, cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 600 }, output_tokens: 40 };
    const message = new AIMessage({
      content: "Hi!",
      usage_metadata: { input_tokens: 3050, output_tokens: 40, total_tokens: 3090, input_token_details: { cache_creation: 1000, cache_read: 2000 } },
      response_metadata: { id: "msg_1", model: "claude-sonnet-4-5-20250929", stop_reason: "end_turn", usage, type: "message", role: "assistant" },
    });
    return { generations: [{ text: "Hi!", message }] };
  }
}

/** A chat model that calls an OpenAI-compatible API with fetch, as ChatOpenAI does through the openai SDK. */
class FetchingChatModel extends BaseChatModel {
  constructor(private readonly baseURL: string) {
    super({});
  }
  _llmType(): string {
    return "fetching";
  }
  override invocationParams(): Record<string, unknown> {
    return { model: "gpt-4o-mini" };
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const body = { model: "gpt-4o-mini", messages: messages.map((m) => ({ role: "user", content: String(m.content) })) };
    const r = await fetch(`${this.baseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = (await r.json()) as { model: string; choices: { message: { content: string } }[]; usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } };
    const text = json.choices[0]?.message.content ?? "";
    const message = new AIMessage({ content: text, usage_metadata: { input_tokens: json.usage.prompt_tokens, output_tokens: json.usage.completion_tokens, total_tokens: json.usage.total_tokens }, response_metadata: { model_name: json.model, finish_reason: "stop" } });
    return { generations: [{ text, message }] };
  }
}

/** A chat model that reports itself as OpenAI's gpt-4o-mini; subclasses say how it answers. */
abstract class MiniChatModel extends BaseChatModel {
  _llmType(): string {
    return "openai";
  }
  override invocationParams(): Record<string, unknown> {
    return { model: "gpt-4o-mini" };
  }
}

/** A chat model that thinks, answers and calls a tool, in LangChain's own message shape. */
class ToolCallingChatModel extends MiniChatModel {
  async _generate(): Promise<ChatResult> {
    const message = new AIMessage({
      content: [{ type: "reasoning", reasoning: "The user wants the weather." }, { type: "text", text: "Let me check." }],
      tool_calls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" }, type: "tool_call" }],
      usage_metadata: { input_tokens: 20, output_tokens: 10, total_tokens: 30 },
      response_metadata: { model_name: "gpt-4o-mini-2024-07-18", finish_reason: "tool_calls" },
    });
    return { generations: [{ text: "Let me check.", message }] };
  }
}

/** A chat model that answers after `ms`, or rejects with the signal's reason once it is aborted. */
class SlowChatModel extends MiniChatModel {
  async _generate(_messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 10_000);
      options.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(options.signal?.reason);
      });
    });
    return { generations: [{ text: "late", message: new AIMessage("late") }] };
  }
}

let provider: FakeProvider;
beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
afterEach(() => shutdown());

describe("CallbackHandler with the real @langchain/core", () => {
  it("leaves a wrapped client's call for the same model, made while a chat model runs, recorded as its own", async () => {
    const h = start();
    const client = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0 }));
    // Server code without a span of its own: a LangChain run and another request's direct call.
    const stop = new AbortController();
    const run = new SlowChatModel({}).invoke("x", { callbacks: [new CallbackHandler()], runName: "slow run", signal: stop.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "direct call" }] });
    stop.abort();
    await run;
    await flush();
    const llm = h.memory.spans.filter((s) => s.type === "llm");
    expect(llm).toHaveLength(2);
    expect(llm.some((s) => String(s.attributes["input.value"]).includes("direct call"))).toBe(true);
  });

  it("records a chain with its chat model run nested under the current span, with tokens and cost", async () => {
    const h = start();
    const chain = ChatPromptTemplate.fromMessages([["user", "Capital of {country}?"]]).pipe(new FixedChatModel({}));
    const run = observe(() => chain.invoke({ country: "France" }, { callbacks: [new CallbackHandler()] }), { name: "request", kind: "agent" });
    const answer = await run();
    expect(answer.content).toBe("Paris");
    await flush();
    const root = only(h.memory, "request");
    const seq = only(h.memory, "RunnableSequence");
    expect(seq.parentSpanId).toBe(root.spanId);
    expect(seq.type).toBe("workflow");
    const llm = h.memory.spans.find((s) => s.type === "llm");
    expect(llm?.parentSpanId).toBe(seq.spanId);
    expect(llm?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 20,
      "gen_ai.usage.output_tokens": 2,
      "gen_ai.response.finish_reasons": ["stop"],
      "output.value": "Paris",
    });
    expect(JSON.parse(llm?.attributes["gen_ai.input.messages"] as string)).toEqual([{ role: "user", parts: [{ type: "text", content: "Capital of France?" }] }]);
    expect(JSON.parse(llm?.attributes["gen_ai.output.messages"] as string)[0]?.finish_reason).toBe("stop");
    expect(llm?.attributes["llm.cost.total"]).toBeCloseTo((20 * 0.15 + 2 * 0.6) / 1e6, 12);
  });

  it("keeps two alike tool calls without ids, whichever outputVersion the model uses", async () => {
    const h = start();
    const calls = [{ name: "get_weather", args: { city: "Paris" }, type: "tool_call" as const }, { name: "get_weather", args: { city: "Rome" }, type: "tool_call" as const }];
    const model = class extends ToolCallingChatModel {
      override async _generate(): Promise<ChatResult> {
        const message = new AIMessage({ content: "", tool_calls: calls, response_metadata: { finish_reason: "tool_calls" } });
        return { generations: [{ text: "", message }] };
      }
    };
    for (const outputVersion of ["v0", "v1"] as const) await new model({ outputVersion }).invoke("Weather?", { callbacks: [new CallbackHandler()], runName: `twice-${outputVersion}` });
    await flush();
    for (const name of ["twice-v0", "twice-v1"]) {
      const out = JSON.parse(only(h.memory, name).attributes["gen_ai.output.messages"] as string) as { parts: { type: string; arguments?: unknown }[] }[];
      expect(out[0]?.parts.filter((p) => p.type === "tool_call").map((p) => p.arguments)).toEqual([{ city: "Paris" }, { city: "Rome" }]);
    }
  });

  it("records a tool call once and reasoning as GenAI parts, whichever outputVersion the model uses", async () => {
    const h = start();
    for (const outputVersion of ["v0", "v1"] as const) {
      const answer = await new ToolCallingChatModel({ outputVersion }).invoke("Weather in Paris?", { callbacks: [new CallbackHandler()], runName: `model-${outputVersion}` });
      expect(answer.tool_calls).toHaveLength(1);
    }
    await flush();
    const expected = [{ type: "reasoning", content: "The user wants the weather." }, { type: "text", content: "Let me check." }, { type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }];
    for (const name of ["model-v0", "model-v1"]) {
      const out = JSON.parse(only(h.memory, name).attributes["gen_ai.output.messages"] as string) as { parts: unknown[] }[];
      expect(out[0]?.parts).toEqual(expected);
    }
  });

  it("records the caller's abort as a cancel and a timeout signal as an error, and the caller gets LangChain's error", async () => {
    const h = start();
    const aborted = new AbortController();
    const cancel = new SlowChatModel({}).invoke("x", { callbacks: [new CallbackHandler()], runName: "aborted", signal: aborted.signal }).catch((e: unknown) => e);
    setTimeout(() => aborted.abort(), 20);
    expect(((await cancel) as Error).name).toBe("AbortError");
    const timeout = await new SlowChatModel({}).invoke("x", { callbacks: [new CallbackHandler()], runName: "timed out", signal: AbortSignal.timeout(20) }).catch((e: unknown) => e);
    expect((timeout as Error).name).toBe("TimeoutError");
    await flush();
    const a = only(h.memory, "aborted");
    expect(a.attributes["spanwise.cancelled"]).toBe(true);
    expect(a.statusCode).not.toBe("error");
    expect(a.attributes["error.type"]).toBeUndefined();
    const t = only(h.memory, "timed out");
    expect(t.statusCode).toBe("error");
    expect(t.attributes["error.type"]).toBe("TimeoutError");
    expect(t.attributes["spanwise.cancelled"]).toBeUndefined();
  });

  it("names a provider LangChain spells its own way (ls_provider) by its GenAI and OpenInference names", async () => {
    const h = start();
    const names: [string, string, string][] = [];
    for (const [lsProvider, model] of [["google_genai", "gemini-2.5-flash"], ["google_vertexai", "gemini-2.5-pro"], ["amazon_bedrock", "anthropic.claude-sonnet-4-5"], ["mistralai", "mistral-small-latest"], ["azure_openai", "gpt-4o"], ["my_gateway", "m-1"]] as const) {
      // A provider package reports its name in getLsParams, as ChatGoogleGenerativeAI does.
      const chat = new (class extends FixedChatModel {
        override getLsParams(options: this["ParsedCallOptions"]): ReturnType<FixedChatModel["getLsParams"]> {
          return { ...super.getLsParams(options), ls_provider: lsProvider, ls_model_name: model };
        }
        override invocationParams(): Record<string, unknown> {
          return { model };
        }
      })({});
      await chat.invoke("Capital of France?", { callbacks: [new CallbackHandler()] });
    }
    await flush();
    for (const s of h.memory.spans) names.push([s.attributes["gen_ai.provider.name"] as string, s.attributes["llm.provider"] as string, s.attributes["llm.system"] as string]);
    expect(names).toEqual([
      ["gcp.gemini", "google", "vertexai"],
      ["gcp.vertex_ai", "google", "vertexai"],
      ["aws.bedrock", "aws", "amazon"],
      ["mistral_ai", "mistralai", "mistralai"],
      ["azure.ai.openai", "azure", "openai"],
      ["my_gateway", "my_gateway", "my_gateway"],
    ]);
  });

  it("records a retriever's query and documents in both conventions: GenAI ids and scores, OpenInference's documents one by one", async () => {
    const h = start();
    const docs = retriever((query) => [
      new Document({ id: "doc-1", pageContent: `Paris is the capital (${query})`, metadata: { score: 0.92, source: "atlas" } }),
      new Document({ pageContent: "Lyon is a city", metadata: { relevance_score: 0.41 } }),
    ]);
    await docs.invoke("capital of France", { callbacks: [new CallbackHandler()], runName: "atlas-search" });
    await flush();
    const s = only(h.memory, "atlas-search");
    expect(s.type).toBe("retrieval");
    expect(s.attributes).toMatchObject({
      "gen_ai.operation.name": "retrieval",
      "openinference.span.kind": "RETRIEVER",
      "gen_ai.retrieval.query.text": "capital of France",
      "retrieval.documents.count": 2,
      "retrieval.documents.0.document.id": "doc-1",
      "retrieval.documents.0.document.score": 0.92,
      "retrieval.documents.0.document.content": "Paris is the capital (capital of France)",
      "retrieval.documents.1.document.score": 0.41,
      "retrieval.documents.1.document.content": "Lyon is a city",
    });
    expect(JSON.parse(s.attributes["retrieval.documents.0.document.metadata"] as string)).toEqual({ score: 0.92, source: "atlas" });
    expect(JSON.parse(s.attributes["gen_ai.retrieval.documents"] as string)).toEqual([{ id: "doc-1", score: 0.92 }, { score: 0.41 }]);
  });

  it("records no more documents one by one than leave room for the span's own attributes, and numeric ids as strings", async () => {
    const h = start({ maxAttributes: 64 });
    const many = retriever(() => Array.from({ length: 25 }, (_, i) => new Document({ pageContent: `doc ${i}`, metadata: { id: i, score: 1 - i / 100 } })));
    await many.invoke("q", { callbacks: [new CallbackHandler()], runName: "many" });
    await flush();
    const s = only(h.memory, "many");
    expect(s.droppedAttributesCount).toBe(0);
    expect(s.attributes["openinference.span.kind"]).toBe("RETRIEVER");
    expect(s.attributes["output.value"]).toBeDefined();
    expect(s.attributes["retrieval.documents.5.document.id"]).toBe("5");
    expect(s.attributes["retrieval.documents.6.document.id"]).toBeUndefined();
    expect(JSON.parse(s.attributes["gen_ai.retrieval.documents"] as string)).toHaveLength(25);
  });

  it("keeps a retriever's query and document texts off the span with captureContent: false, and its ids and scores on", async () => {
    const h = start({ captureContent: false });
    const docs = retriever(() => [new Document({ id: "doc-1", pageContent: "secret text", metadata: { score: 0.5 } })]);
    await docs.invoke("private query", { callbacks: [new CallbackHandler()], runName: "private-search" });
    await flush();
    const a = only(h.memory, "private-search").attributes;
    expect(a["retrieval.documents.0.document.id"]).toBe("doc-1");
    expect(a["retrieval.documents.0.document.score"]).toBe(0.5);
    expect(JSON.stringify(a)).not.toMatch(/secret text|private query/);
  });

  it("prices a chat model's Anthropic one-hour cache writes at their own rate", async () => {
    const h = start();
    await new AnthropicLikeChatModel({}).invoke("hi", { callbacks: [new CallbackHandler()] });
    await flush();
    const llm = h.memory.spans.find((s) => s.type === "llm");
    expect(llm?.attributes).toMatchObject({ "gen_ai.usage.input_tokens": 3050, "gen_ai.usage.cache_read.input_tokens": 2000, "gen_ai.usage.cache_creation.input_tokens": 1000 });
    // claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 five-minute write, $6 one-hour write per million.
    expect(llm?.attributes["llm.cost.prompt"]).toBeCloseTo((50 * 3 + 2000 * 0.3 + 400 * 3.75 + 600 * 6) / 1e6, 12);
    // ChatAnthropic's stop_reason is the finish reason, on the span and on its output message.
    expect(llm?.attributes["gen_ai.response.finish_reasons"]).toEqual(["end_turn"]);
    expect(JSON.parse(llm?.attributes["gen_ai.output.messages"] as string)).toEqual([{ role: "assistant", parts: [{ type: "text", content: "Hi!" }], finish_reason: "end_turn" }]);
  });

  it("records a chat model's provider call once when init({ instrument }) traces that provider's fetch too", async () => {
    const h = start({ instrument: [{ baseURL: `${provider.url}/v1`, provider: "openai" }] });
    const model = new FetchingChatModel(`${provider.url}/v1`);
    const answer = await model.invoke("hi", { callbacks: [new CallbackHandler()] });
    expect(answer.content).toBe("Hello there!");
    // Without LangChain's handler the same call is the fetch level's to record.
    await model.invoke("hi again");
    await flush();
    const llm = h.memory.spans.filter((s) => s.type === "llm");
    expect(llm.map((s) => [s.name, s.attributes["gen_ai.provider.name"], s.attributes["gen_ai.usage.output_tokens"]])).toEqual([
      ["chat gpt-4o-mini", "FetchingChatModel", 300],
      ["chat gpt-4o-mini", "openai", 300],
    ]);
  });

  it("records tools with their call id, and errors on the run that failed", async () => {
    const h = start();
    const weather = tool(async ({ city }: { city: string }) => `18°C in ${city}`, { name: "get_weather", description: "Weather", schema: z.object({ city: z.string() }) });
    const handler = new CallbackHandler();
    const out = await weather.invoke({ type: "tool_call", id: "call_9", name: "get_weather", args: { city: "Paris" } }, { callbacks: [handler] });
    expect(out.content).toBe("18°C in Paris");
    const failing = RunnableLambda.from(async () => {
      throw new Error("boom");
    }).withConfig({ runName: "step" });
    await expect(failing.invoke({}, { callbacks: [handler] })).rejects.toThrow("boom");
    await expect(new FixedChatModel({}).invoke("please fail", { callbacks: [handler] })).rejects.toThrow("model unavailable");
    await flush();
    const t = only(h.memory, "get_weather");
    expect(t.type).toBe("tool");
    expect(t.attributes).toMatchObject({ "gen_ai.tool.name": "get_weather", "gen_ai.tool.call.id": "call_9", "output.value": "18°C in Paris" });
    const step = only(h.memory, "step");
    expect(step.statusCode).toBe("error");
    expect(step.statusMessage).toBe("boom");
    expect(step.attributes["error.type"]).toBe("Error");
    expect(step.events[0]?.attributes).toMatchObject({ "exception.type": "Error", "exception.message": "boom" });
    const llm = h.memory.spans.find((s) => s.type === "llm");
    expect(llm?.statusCode).toBe("error");
    expect(llm?.attributes["gen_ai.usage.input_tokens"]).toBeUndefined();
  });

  it("with captureContent: false keeps error messages, which can carry the model's output or a tool's input, off the spans, and keeps the error's type and status", async () => {
    const h = start({ captureContent: false });
    const handler = new CallbackHandler();
    // A parser that cannot read the model's answer says so with the answer in its message.
    const chain = ChatPromptTemplate.fromMessages([["user", "Capital of {country}?"]]).pipe(new FixedChatModel({})).pipe(StructuredOutputParser.fromZodSchema(z.object({ city: z.string() })));
    const parseError = await chain.invoke({ country: "France" }, { callbacks: [handler] }).catch((e: unknown) => e);
    expect(parseError).toBeInstanceOf(OutputParserException);
    expect((parseError as Error).message).toContain('Text: "Paris"');
    const weather = tool(async ({ city }: { city: string }) => {
      throw new Error(`no weather for ${city}`);
    }, { name: "get_weather", description: "Weather", schema: z.object({ city: z.string() }) });
    await expect(weather.invoke({ city: "Atlantis" }, { callbacks: [handler] })).rejects.toThrow("no weather for Atlantis");
    await expect(new FixedChatModel({}).invoke("please fail", { callbacks: [handler] })).rejects.toThrow("model unavailable");
    await flush();
    const recorded = JSON.stringify(h.memory.spans.map((s) => [s.attributes, s.events, s.statusMessage]));
    for (const content of ["Paris", "Atlantis", "model unavailable"]) expect(recorded).not.toContain(content);
    const failed = h.memory.spans.filter((s) => s.statusCode === "error");
    expect(failed.map((s) => [s.name, s.attributes["error.type"]]).sort()).toEqual([
      ["RunnableSequence", "OutputParserException"],
      ["StructuredOutputParser", "OutputParserException"],
      ["chat gpt-4o-mini", "Error"],
      ["get_weather", "Error"],
    ]);
    for (const s of failed) expect(s.events.filter((e) => e.name === "exception").map((e) => e.attributes?.["exception.type"])).toEqual([s.attributes["error.type"]]);
  });
});
