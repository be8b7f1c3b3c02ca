import type { Usage } from "../span.js";
import type { LLMResult } from "./llm-span.js";
import { type Message, type MessagePart, toParts } from "./messages.js";
import { type ProviderAdapter, num, obj, outputType, parseJson, real, str, strings } from "./provider-adapter.js";

function geminiUsage(u: unknown): Usage {
  const usage = obj(u);
  return {
    inputTokens: num(usage.promptTokenCount),
    // Gemini counts thinking apart from the candidates; GenAI output includes reasoning.
    outputTokens: usage.candidatesTokenCount === undefined && usage.thoughtsTokenCount === undefined ? undefined : (num(usage.candidatesTokenCount) ?? 0) + (num(usage.thoughtsTokenCount) ?? 0),
    totalTokens: num(usage.totalTokenCount),
    cacheReadTokens: num(usage.cachedContentTokenCount),
    reasoningTokens: num(usage.thoughtsTokenCount),
  };
}

/** Google Gemini `generateContent` / `streamGenerateContent` (the model is in the URL). */
export function geminiGenerate(model: string | undefined, provider = "gcp.gemini"): ProviderAdapter {
  return {
    provider,
    parseRequest(body) {
      const config = obj(body.generationConfig);
      const messages: Message[] = (Array.isArray(body.contents) ? (body.contents as Record<string, unknown>[]) : []).map((c) => ({ role: str(c?.role) ?? "user", parts: toParts(c?.parts) }));
      const system = obj(body.systemInstruction ?? body.system_instruction).parts;
      return {
        provider,
        operation: "generate_content",
        model,
        temperature: num(config.temperature),
        maxTokens: num(config.maxOutputTokens),
        topP: num(config.topP),
        topK: num(config.topK),
        seed: real(config.seed),
        frequencyPenalty: real(config.frequencyPenalty),
        presencePenalty: real(config.presencePenalty),
        stopSequences: strings(config.stopSequences),
        choiceCount: num(config.candidateCount),
        outputType: outputType(config.responseMimeType),
        messages,
        system: system === undefined ? undefined : toParts(system),
        tools: Array.isArray(body.tools) ? body.tools : undefined,
        raw: body.contents,
      };
    },
    // streamGenerateContent without alt=sse answers one JSON array of chunks.
    parseResponse: (b) => build(Array.isArray(b) ? b.map(obj) : [obj(b)]),
    stream() {
      const chunks: Record<string, unknown>[] = [];
      return {
        event(_name, data) {
          const chunk = obj(parseJson(data));
          chunks.push(chunk);
          const parts = obj(obj((chunk.candidates as unknown[] | undefined)?.[0]).content).parts;
          return { content: Array.isArray(parts) && parts.length > 0, drop: false };
        },
        result: () => build(chunks),
      };
    },
  };
}

/** Folds one answer, or a stream's chunks, into a result: text joined, the last usage and finish reason. */
function build(chunks: Record<string, unknown>[]): LLMResult {
  const parts: MessagePart[] = [];
  let reason: string | undefined;
  let usage: Usage = {};
  let responseModel: string | undefined;
  let id: string | undefined;
  for (const chunk of chunks) {
    const candidate = obj((chunk.candidates as unknown[] | undefined)?.[0]);
    for (const p of toParts(obj(candidate.content).parts)) {
      const last = parts[parts.length - 1];
      if (p.type === "text" && last?.type === "text") (last as { content: string }).content += (p as { content: string }).content;
      else parts.push(p);
    }
    // A prompt Gemini blocks gets no candidate: why is in promptFeedback.
    reason = str(candidate.finishReason) ?? str(obj(chunk.promptFeedback).blockReason) ?? reason;
    if (chunk.usageMetadata) usage = geminiUsage(chunk.usageMetadata);
    responseModel = str(chunk.modelVersion) ?? responseModel;
    id = str(chunk.responseId) ?? id;
  }
  const text = parts.map((p) => (p.type === "text" ? (p as { content: string }).content : "")).join("");
  return { model: responseModel, id, finishReasons: reason ? [reason] : [], usage, output: parts.length > 0 ? [{ role: "assistant", parts, finish_reason: reason }] : [], outputValue: text !== "" ? text : parts.length > 0 ? parts : undefined };
}
