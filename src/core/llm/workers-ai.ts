import { now } from "../clock.js";
import { G } from "../global.js";
import type { SpanRecord } from "../span.js";
import { finishLLMSpan, startLLMSpan } from "./llm-span.js";
import { toParts } from "./messages.js";
import { type ProviderAdapter, num, obj, parseJson, real, str } from "./provider-adapter.js";
import { traceStream } from "./trace-llm-fetch.js";

/** The part of a Workers AI binding spanwise wraps: `env.AI.run(model, inputs, options)`. */
export interface WorkersAIBinding {
  run(model: string, inputs: Record<string, unknown>, options?: unknown): Promise<unknown>;
}

const PROVIDER = "cloudflare.workers_ai";

function usageOf(u: unknown): { inputTokens?: number; outputTokens?: number; totalTokens?: number } {
  const usage = obj(u);
  return { inputTokens: num(usage.prompt_tokens), outputTokens: num(usage.completion_tokens), totalTokens: num(usage.total_tokens) };
}

const adapter = (model: string): ProviderAdapter => ({
  provider: PROVIDER,
  parseRequest(body) {
    const isEmbedding = body.text !== undefined && body.messages === undefined && body.prompt === undefined;
    const messages = Array.isArray(body.messages)
      ? (body.messages as Record<string, unknown>[]).map((m) => ({ role: String(m?.role), parts: toParts(m?.content) }))
      : typeof body.prompt === "string"
        ? [{ role: "user", parts: toParts(body.prompt) }]
        : undefined;
    return {
      provider: PROVIDER,
      operation: isEmbedding ? "embeddings" : "chat",
      model,
      temperature: num(body.temperature),
      maxTokens: num(body.max_tokens),
      topP: num(body.top_p),
      topK: num(body.top_k),
      seed: real(body.seed),
      frequencyPenalty: real(body.frequency_penalty),
      presencePenalty: real(body.presence_penalty),
      stream: body.stream === true,
      messages,
      tools: Array.isArray(body.tools) ? body.tools : undefined,
      raw: body.messages ?? body.prompt ?? body.text,
    };
  },
  parseResponse(b) {
    const body = obj(b);
    const text = str(body.response);
    const parts = text !== undefined ? toParts(text) : [];
    for (const call of Array.isArray(body.tool_calls) ? (body.tool_calls as Record<string, unknown>[]) : []) parts.push({ type: "tool_call", name: String(call.name), arguments: call.arguments });
    return { finishReasons: [], usage: usageOf(body.usage), output: parts.length > 0 ? [{ role: "assistant", parts }] : [], outputValue: text, embeddings: Array.isArray(body.data) ? body.data.length : undefined };
  },
  stream() {
    let text = "";
    let usage = {};
    let ended = false;
    return {
      event(_name, data) {
        if (data === "[DONE]") {
          ended = true;
          return { content: false, drop: false };
        }
        const e = obj(parseJson(data));
        if (e.usage) usage = usageOf(e.usage);
        const piece = str(e.response) ?? "";
        text += piece;
        return { content: piece !== "", drop: false };
      },
      result: () => ({ finishReasons: [], ended, usage, outputValue: text !== "" ? text : undefined, output: text !== "" ? [{ role: "assistant", parts: [{ type: "text", content: text }] }] : [] }),
    };
  },
});

/**
 * Traces `env.AI.run()` of a Cloudflare Workers AI binding: each call is an LLM (or embedding)
 * span with the model, usage when Workers AI reports it, the prompt and answer, and for
 * `stream: true` the SSE stream read as it passes to the caller. Everything else on the binding
 * is untouched, and `run` returns what the binding returned.
 *
 * @param ai - the `env.AI` binding
 * @returns a binding of the same type whose `run` is traced
 * @example
 * const ai = wrapWorkersAI(env.AI);
 * const { response } = await ai.run("@cf/meta/llama-3.1-8b-instruct", { messages });
 */
export function wrapWorkersAI<B extends WorkersAIBinding>(ai: B): B {
  if (!ai || typeof ai.run !== "function") return ai;
  return new Proxy(ai, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (key !== "run" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (model: string, inputs: Record<string, unknown>, ...rest: unknown[]) => traced(target, value as WorkersAIBinding["run"], model, inputs, rest);
    },
  });
}

function traced(target: WorkersAIBinding, run: WorkersAIBinding["run"], model: string, inputs: Record<string, unknown>, rest: unknown[]): Promise<unknown> {
  const t = G.tracer;
  const call = (): Promise<unknown> => run.call(target, model, inputs, ...rest);
  if (t === undefined) return call();
  let span: SpanRecord | undefined;
  let a: ProviderAdapter | undefined;
  try {
    const ctx = t.storage.get();
    if (!ctx?.suppressed && typeof model === "string" && inputs && typeof inputs === "object") {
      a = adapter(model);
      span = startLLMSpan(t, ctx, a.parseRequest(inputs));
    }
  } catch (err) {
    t.internalError("workers ai", err);
  }
  if (span === undefined || a === undefined) return call();
  const s = span;
  const ad = a;
  const started = now();
  let pending: Promise<unknown>;
  try {
    pending = call();
  } catch (err) {
    finishLLMSpan(t, s, { finishReasons: [], usage: {} }, { error: err });
    throw err;
  }
  return Promise.resolve(pending).then(
    (result) => {
      try {
        if (typeof ReadableStream !== "undefined" && result instanceof ReadableStream) return traceStream(t, s, ad, result as ReadableStream<Uint8Array>, false, started);
        finishLLMSpan(t, s, ad.parseResponse(result));
      } catch (err) {
        t.internalError("workers ai", err);
        if (s.endTime === 0) s.end();
      }
      return result;
    },
    (err: unknown) => {
      finishLLMSpan(t, s, { finishReasons: [], usage: {} }, { error: err });
      throw err;
    },
  );
}
