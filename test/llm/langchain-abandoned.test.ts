// LangChain calls no end callback when a consumer stops reading a `.stream()`: the handler ends
// such runs once idle, wherever the sweep comes from, so a long-lived server keeps nothing.
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { afterEach, describe, expect, it } from "vitest";
import { flush, shutdown, stats } from "spanwise/node";
import { CallbackHandler } from "spanwise/langchain";
import { only, sleep, start } from "../core/helpers.js";
import { G } from "../../src/core/global.js";

/**
 * A chat model that streams `tokens` words, one every `everyMs`, as a provider's stream does;
 * invoked, it answers "done" after `thinkMs`, without streaming.
 */
class FakeChatModel extends BaseChatModel {
  constructor(private readonly tokens: number, private readonly everyMs: number, private readonly thinkMs = 0) {
    super({});
  }
  _llmType(): string {
    return "fake";
  }
  override invocationParams(): Record<string, unknown> {
    return { model: "gpt-4o-mini" };
  }
  async _generate(): Promise<ChatResult> {
    await sleep(this.thinkMs);
    return { generations: [{ text: "done", message: new AIMessage("done") }] };
  }
  override async *_streamResponseChunks(_messages: BaseMessage[], _options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    for (let i = 0; i < this.tokens; i++) {
      await sleep(this.everyMs);
      const text = `w${i} `;
      yield new ChatGenerationChunk({ text, message: new AIMessageChunk(text) });
      // After the yield, as LangChain's providers do: a chunk's token is reported once it is taken.
      await runManager?.handleLLMNewToken(text);
    }
  }
}

afterEach(() => shutdown());

/** Reads two chunks (LangChain reports a token once it has been handed over), then leaves the stream. */
async function leaveAfterTwo(stream: AsyncIterable<unknown>): Promise<void> {
  let n = 0;
  for await (const _ of stream) if (++n === 2) break;
}

describe("LangChain runs whose stream is left unread", () => {
  it("ends a chat model run whose consumer broke out of its stream as cancelled and abandoned, once idle past the limit", async () => {
    const h = start();
    await leaveAfterTwo(await new FakeChatModel(100, 1).stream("hi", { callbacks: [new CallbackHandler({ idleTimeoutMs: 300 })] }));
    await flush();
    // Not idle long enough yet.
    expect(h.memory.spans.filter((s) => s.type === "llm")).toEqual([]);
    await sleep(400);
    await flush();
    const llm = h.memory.spans.find((s) => s.type === "llm");
    expect(llm?.attributes).toMatchObject({ "spanwise.cancelled": true, "spanwise.abandoned": true });
    expect(llm?.statusCode).not.toBe("error");
    expect(stats().started).toBe(stats().ended);
  });

  it("ends every run still open at shutdown(), idle or not, and exports it, so none outlives the tracer", async () => {
    const h = start();
    const handler = new CallbackHandler();
    // Left at its first chunk: nothing marks it as left yet.
    for await (const _ of await new FakeChatModel(100, 1).stream("hi", { callbacks: [handler] })) break;
    await shutdown();
    expect(h.memory.spans.find((s) => s.type === "llm")?.attributes["spanwise.abandoned"]).toBe(true);
    expect(stats().started).toBe(stats().ended);
    // Traced again: the same handler's next run is a root of the new tracer's, exported.
    const again = start();
    await new FakeChatModel(2, 1).invoke("hi", { callbacks: [handler] });
    await flush();
    expect(again.memory.spans.filter((s) => s.type === "llm")).toHaveLength(1);
    expect(stats().started).toBe(stats().ended);
  });

  it("never ends a run waiting on a model that does not stream, however long past idleTimeoutMs, and records its answer", async () => {
    const h = start();
    const handler = new CallbackHandler({ idleTimeoutMs: 100 });
    const answer = new FakeChatModel(0, 0, 200).invoke("hi", { callbacks: [handler] });
    await sleep(120);
    // A sweep while the model thinks.
    await flush();
    expect((await answer).content).toBe("done");
    await flush();
    const llm = h.memory.spans.find((s) => s.type === "llm");
    expect(llm?.attributes["spanwise.abandoned"]).toBeUndefined();
    expect(llm?.attributes["output.value"]).toBe("done");
  });

  it("ends a stream left at its first chunk (whose token LangChain never reported) after three times idleTimeoutMs", async () => {
    const h = start();
    const stream = await new FakeChatModel(100, 1).stream("hi", { callbacks: [new CallbackHandler({ idleTimeoutMs: 100 })] });
    for await (const _ of stream) break;
    await sleep(100);
    await flush();
    expect(h.memory.spans.filter((s) => s.type === "llm")).toEqual([]);
    await sleep(300);
    await flush();
    expect(h.memory.spans.find((s) => s.type === "llm")?.attributes["spanwise.abandoned"]).toBe(true);
  });

  it("ends a chain and the model inside it in the same sweep", async () => {
    const h = start();
    const chain = ChatPromptTemplate.fromMessages([["user", "{q}"]]).pipe(new FakeChatModel(100, 1)).withConfig({ runName: "answer" });
    await leaveAfterTwo(await chain.stream({ q: "hi" }, { callbacks: [new CallbackHandler({ idleTimeoutMs: 30 })] }));
    await sleep(60);
    await flush();
    const chainSpan = only(h.memory, "answer");
    expect(chainSpan.attributes["spanwise.abandoned"]).toBe(true);
    expect(h.memory.spans.find((s) => s.type === "llm")?.parentSpanId).toBe(chainSpan.spanId);
    expect(stats().started).toBe(stats().ended);
  });

  it("keeps a stream read slowly open, however long it takes, and ends it as usual", async () => {
    const h = start();
    const stream = await new FakeChatModel(6, 40).stream("hi", { callbacks: [new CallbackHandler({ idleTimeoutMs: 150 })] });
    let text = "";
    for await (const chunk of stream) {
      text += String(chunk.content);
      // Each flush sweeps: the tokens keep the run alive past the 150 ms limit (6 × 40 ms).
      await flush();
    }
    expect(text).toBe("w0 w1 w2 w3 w4 w5 ");
    await flush();
    const llm = h.memory.spans.find((s) => s.type === "llm");
    expect(llm?.attributes["spanwise.abandoned"]).toBeUndefined();
    expect(llm?.attributes["output.value"]).toBe("w0 w1 w2 w3 w4 w5 ");
  });

  it("traces no more than 10,000 open runs at once, counts and says once what it refused, and traces again when they end", async () => {
    const h = start();
    const handler = new CallbackHandler();
    // As LangChain's callback manager calls a handler: (runId, parentRunId, tags, metadata, runType, runName).
    const startRun = (id: string): void => handler.handleChainStart({ id: ["chain"] }, {}, id, undefined, undefined, undefined, undefined, `run ${id}`);
    for (let i = 0; i < 10_001; i++) startRun(String(i));
    // Runs earlier tests left open (no token yet, so not swept) count too.
    expect(stats().started).toBeGreaterThan(9_990);
    expect(stats().started).toBeLessThanOrEqual(10_000);
    // Every run is either traced or counted as refused.
    expect(stats().started + stats().dropped.tooManyOpen).toBe(10_001);
    expect(h.warnings.filter((w) => w.includes("10000 LangChain runs are open at once"))).toHaveLength(1);
    for (let i = 0; i < 10_001; i++) handler.handleChainEnd({}, String(i));
    startRun("after");
    handler.handleChainEnd({}, "after");
    await flush();
    expect(h.memory.spans.map((s) => s.name)).toContain("run after");
    expect(stats().started).toBe(stats().ended);
  });

  it("ends a run abandoned on a handler made per request when another run starts, in a server that never flushes", async () => {
    start();
    // A fresh process: no sweep has run in the last second.
    G.lastSweep = undefined;
    await leaveAfterTwo(await new FakeChatModel(100, 1).stream("hi", { callbacks: [new CallbackHandler({ idleTimeoutMs: 20 })] }));
    await sleep(40);
    const before = stats().ended;
    // The next request, with a handler of its own: the first handler never hears from LangChain again.
    await new FakeChatModel(2, 1).invoke("hi", { callbacks: [new CallbackHandler()] });
    // Its own span, and the abandoned one, before any flush.
    expect(stats().ended - before).toBe(2);
  });
});
