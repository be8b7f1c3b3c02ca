import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleWorker } from "../helpers/bundle-worker.js";

const STREAM = 'data: {"response":"Hi","p":"abc"}\n\ndata: {"response":" there"}\n\ndata: {"response":"","usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}\n\ndata: [DONE]\n\n';

interface Answer {
  answer: string;
  gateway: string;
  spans: { name: string; type: string; parentSpanId?: string; spanId: string; attributes: Record<string, unknown> }[];
}

let mf: Miniflare;
let url: URL;

beforeAll(async () => {
  const entry = fileURLToPath(new URL("./fixtures/workers-ai-worker.ts", import.meta.url));
  mf = new Miniflare({
    modules: [{ type: "ESModule", path: "worker.mjs", contents: await bundleWorker(entry) }],
    compatibilityDate: "2025-04-01",
    compatibilityFlags: ["nodejs_als"],
    serviceBindings: {
      // The fake Workers AI: deterministic answers and usage, streamed or not.
      AI_SERVICE: async (request: Request) => {
        const inputs = (await request.json()) as { stream?: boolean };
        if (inputs.stream) return new Response(STREAM, { headers: { "content-type": "text/event-stream" } });
        return Response.json({ response: "Hello from the edge", usage: { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35 } });
      },
    },
  });
  url = await mf.ready;
});
afterAll(() => mf?.dispose());

describe("wrapWorkersAI in workerd", () => {
  it("records env.AI.run as an LLM span under the current span, and returns the binding's answer", async () => {
    const r = (await (await mf.dispatchFetch(new URL("/", url))).json()) as Answer;
    expect(r.answer).toBe("Hello from the edge");
    expect(r.gateway).toBe("g");
    const agent = r.spans.find((s) => s.name === "edge-agent");
    const llm = r.spans.find((s) => s.name === "chat @cf/meta/llama-3.1-8b-instruct");
    expect(llm?.parentSpanId).toBe(agent?.spanId);
    expect(llm?.type).toBe("llm");
    expect(llm?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "cloudflare.workers_ai",
      "gen_ai.request.model": "@cf/meta/llama-3.1-8b-instruct",
      "gen_ai.request.max_tokens": 64,
      "gen_ai.usage.input_tokens": 30,
      "gen_ai.usage.output_tokens": 5,
      "llm.token_count.total": 35,
      "output.value": "Hello from the edge",
    });
  });

  it("reads a streamed answer as it passes through, with usage and TTFT, and the caller gets the bytes", async () => {
    const r = (await (await mf.dispatchFetch(new URL("/?stream", url))).json()) as Answer;
    expect(r.answer).toBe(STREAM);
    const llm = r.spans.find((s) => s.name === "chat @cf/meta/llama-3.1-8b-instruct");
    expect(llm?.attributes).toMatchObject({ "gen_ai.request.stream": true, "gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 2, "output.value": "Hi there" });
    expect(typeof llm?.attributes["llm.time_to_first_token_ms"]).toBe("number");
  });
});
