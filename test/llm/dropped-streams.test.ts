import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flush, shutdown, stats } from "spanwise/node";
import { wrapAnthropic } from "spanwise/anthropic";
import { wrapOpenAI } from "spanwise/openai";
import { type Harness, only, start } from "../core/helpers.js";
import { collectUntil } from "../helpers/collect-garbage.js";
import { type FakeProvider, startFakeProvider } from "./fake-provider.js";

// An SDK stream its caller drops (an error before the loop, a handler that returns early) is
// never read to its end nor cancelled: only the collector knows it is gone.

let provider: FakeProvider;
let h: Harness;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
afterEach(() => shutdown());

const messages = [{ role: "user" as const, content: "x" }];
const openai = (): OpenAI => wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `${provider.url}/v1`, maxRetries: 0 }));
const anthropic = (): Anthropic => wrapAnthropic(new Anthropic({ apiKey: "sk-test", baseURL: provider.url, maxRetries: 0 }));

describe("an LLM stream dropped without being read to its end", () => {
  it("ends its span as cancelled and abandoned once collected, with what it received", async () => {
    h = start();
    // Read one chunk, then let the stream go: not `break` (which cancels it), just no more reads.
    // "hang" sends its first two chunks and then waits: the generation cannot be whole.
    await (async () => {
      const stream = await openai().chat.completions.create({ model: "hang", stream: true, messages });
      await stream[Symbol.asyncIterator]().next();
    })();
    expect(stats().ended).toBe(0);
    expect(await collectUntil(() => stats().ended > 0)).toBe(true);
    await flush();
    const s = only(h.memory, "chat hang");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["spanwise.abandoned"]).toBe(true);
    expect(s.attributes["gen_ai.response.id"]).toBe("chatcmpl-stream-1");
    expect(s.statusCode).not.toBe("error");
  });

  it("ends the span of a stream never iterated, and lets its connection go", async () => {
    h = start();
    // A provider of its own, so that the connection it sees closed is this test's.
    const own = await startFakeProvider();
    try {
      await (async () => {
        const client = wrapOpenAI(new OpenAI({ apiKey: "sk-test", baseURL: `${own.url}/v1`, maxRetries: 0 }));
        await client.chat.completions.create({ model: "hang", stream: true, messages });
      })();
      expect(await collectUntil(() => stats().ended > 0)).toBe(true);
      await flush();
      const s = only(h.memory, "chat hang");
      expect(s.attributes["spanwise.abandoned"]).toBe(true);
      expect(s.attributes["gen_ai.usage.output_tokens"]).toBeUndefined();
      // The provider sees the client go: the body was cancelled, not left holding the socket.
      await own.hangClosed;
    } finally {
      await own.close();
    }
  });

  it("does the same for an Anthropic stream never iterated", async () => {
    // (Once iterated, the Anthropic SDK cancels a stream whose reader it sees collected: that
    // ends the span as cancelled, as a `break` does.)
    h = start();
    // "hang" sends the first events and then waits: the stream cannot have ended by itself.
    await (async () => {
      await anthropic().messages.create({ model: "hang", max_tokens: 100, stream: true, messages });
    })();
    expect(await collectUntil(() => stats().ended > 0)).toBe(true);
    await flush();
    const s = only(h.memory, "chat hang");
    expect(s.attributes["spanwise.cancelled"]).toBe(true);
    expect(s.attributes["spanwise.abandoned"]).toBe(true);
    expect(s.attributes["gen_ai.request.model"]).toBe("hang");
  });

  it("leaves a stream read to its end as it was", async () => {
    h = start();
    await (async () => {
      const stream = await openai().chat.completions.create({ model: "gpt-4o-mini", stream: true, messages });
      for await (const _ of stream) void _;
    })();
    await collectUntil(() => false, 300);
    await flush();
    const s = only(h.memory, "chat gpt-4o-mini");
    expect(s.attributes["spanwise.abandoned"]).toBeUndefined();
    expect(s.attributes["spanwise.cancelled"]).toBeUndefined();
    expect(s.attributes["gen_ai.usage.output_tokens"]).toBe(5);
  });
});

