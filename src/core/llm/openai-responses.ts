import type { Usage } from "../span.js";
import type { LLMResult } from "./llm-span.js";
import { type Message, type MessagePart, toParts } from "./messages.js";
import { type ProviderAdapter, num, obj, outputType, parseJson, providerError, str } from "./provider-adapter.js";

function responsesUsage(u: unknown): Usage {
  const usage = obj(u);
  return {
    inputTokens: num(usage.input_tokens),
    outputTokens: num(usage.output_tokens),
    totalTokens: num(usage.total_tokens),
    cacheReadTokens: num(obj(usage.input_tokens_details).cached_tokens),
    reasoningTokens: num(obj(usage.output_tokens_details).reasoning_tokens),
  };
}

function fromResponse(r: Record<string, unknown>): LLMResult {
  const parts: MessagePart[] = [];
  for (const item of Array.isArray(r.output) ? (r.output as Record<string, unknown>[]) : []) {
    if (item?.type === "message") parts.push(...toParts((item.content as Record<string, unknown>[] | undefined)?.map((c) => ({ ...c, type: c.type === "output_text" ? "text" : c.type }))));
    else if (item?.type === "function_call") parts.push({ type: "tool_call", id: str(item.call_id), name: String(item.name), arguments: parseJson(String(item.arguments)) ?? item.arguments });
  }
  const status = str(r.status);
  const reason = status === "incomplete" ? (str(obj(r.incomplete_details).reason) ?? status) : status === "completed" ? "stop" : status;
  const text = parts.map((p) => (p.type === "text" ? (p as { content: string }).content : "")).join("");
  const output: Message[] = parts.length > 0 ? [{ role: "assistant", parts, finish_reason: reason }] : [];
  return { model: str(r.model), id: str(r.id), finishReasons: reason ? [reason] : [], usage: responsesUsage(r.usage), output, outputValue: text !== "" ? text : parts.length > 0 ? parts : undefined, error: status === "failed" ? providerError(r.error, "response.failed") : undefined };
}


/** One Responses API input item: a message, or a tool call and its output made GenAI messages. */
function inputMessage(item: Record<string, unknown> | undefined): Message {
  const m = obj(item);
  if (m.type === "function_call") return { role: "assistant", parts: [{ type: "tool_call", id: str(m.call_id), name: String(m.name), arguments: typeof m.arguments === "string" ? (parseJson(m.arguments) ?? m.arguments) : m.arguments }] };
  if (m.type === "function_call_output") return { role: "tool", parts: [{ type: "tool_call_response", id: str(m.call_id), response: m.output }] };
  return { role: str(m.role) ?? str(m.type) ?? "user", parts: toParts(m.content ?? m.output) };
}

/**
 * The adapter for OpenAI's Responses API (`/responses`): requests, JSON answers and streams.
 *
 * @param provider - `gen_ai.provider.name` for its spans
 * @returns the adapter
 * @example
 * const adapter = openaiResponses("openai");
 */
export function openaiResponses(provider = "openai"): ProviderAdapter {
  return {
    provider,
    parseRequest(body) {
      const input = body.input;
      const messages: Message[] =
        typeof input === "string"
          ? [{ role: "user", parts: [{ type: "text", content: input }] }]
          : (Array.isArray(input) ? (input as Record<string, unknown>[]) : []).map(inputMessage);
      return {
        provider,
        operation: "chat",
        model: str(body.model),
        temperature: num(body.temperature),
        maxTokens: num(body.max_output_tokens),
        topP: num(body.top_p),
        stream: body.stream === true,
        outputType: outputType(obj(obj(body.text).format).type),
        messages,
        system: body.instructions === undefined || body.instructions === null ? undefined : toParts(body.instructions),
        tools: Array.isArray(body.tools) ? body.tools : undefined,
        raw: input,
      };
    },
    parseResponse: (b) => fromResponse(obj(b)),
    stream() {
      let last: LLMResult = { finishReasons: [], usage: {} };
      let text = "";
      let error: LLMResult["error"];
      return {
        event(name, data) {
          const e = obj(parseJson(data));
          const type = str(e.type) ?? name;
          if (type === "response.output_text.delta" && typeof e.delta === "string") {
            text += e.delta;
            return { content: true, drop: false };
          }
          if (type === "response.created") last = { ...fromResponse(obj(e.response)), finishReasons: [], usage: {} };
          else if (type === "response.completed" || type === "response.incomplete" || type === "response.failed") last = fromResponse(obj(e.response));
          else if (type === "error") error = providerError(e, "response.failed");
          return { content: type === "response.function_call_arguments.delta", drop: false };
        },
        result() {
          const failed = last.error ?? error;
          // A stream cut short has only the deltas: keep their text, invent nothing else.
          if (last.output && last.output.length > 0) return { ...last, error: failed };
          return { ...last, error: failed, outputValue: text !== "" ? text : undefined, output: text !== "" ? [{ role: "assistant", parts: [{ type: "text", content: text }] }] : [] };
        },
      };
    },
  };
}
