import type { Usage } from "../span.js";
import type { LLMResult } from "./llm-span.js";
import { type Message, type MessagePart, toParts } from "./messages.js";
import { type ProviderAdapter, num, obj, parseJson, providerError, str } from "./provider-adapter.js";

/** Anthropic usage in spanwise terms: input tokens include cache reads and writes, as GenAI counts them. */
export function anthropicUsage(u: unknown, withOutput = true): Usage {
  const usage = obj(u);
  const input = num(usage.input_tokens);
  const read = num(usage.cache_read_input_tokens);
  const write = num(usage.cache_creation_input_tokens);
  return {
    inputTokens: input === undefined ? undefined : input + (read ?? 0) + (write ?? 0),
    outputTokens: withOutput ? num(usage.output_tokens) : undefined,
    cacheReadTokens: read,
    cacheWriteTokens: write,
  };
}

const textOf = (parts: MessagePart[]): string => parts.map((p) => (p.type === "text" ? (p as { content: string }).content : "")).join("");

/** Anthropic's Messages API (`/v1/messages`). */
export function anthropicMessages(provider = "anthropic"): ProviderAdapter {
  return {
    provider,
    parseRequest(body) {
      const messages = (Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : []).map((m) => ({ role: String(m?.role), parts: toParts(m?.content) }));
      return {
        provider,
        operation: "chat",
        model: str(body.model),
        temperature: num(body.temperature),
        maxTokens: num(body.max_tokens),
        topP: num(body.top_p),
        stream: body.stream === true,
        messages,
        system: body.system === undefined ? undefined : toParts(body.system),
        tools: Array.isArray(body.tools) ? body.tools : undefined,
        raw: body.messages,
      };
    },
    parseResponse(b) {
      const body = obj(b);
      const parts = toParts(body.content);
      const reason = str(body.stop_reason);
      const text = textOf(parts);
      return {
        model: str(body.model),
        id: str(body.id),
        finishReasons: reason ? [reason] : [],
        usage: anthropicUsage(body.usage),
        output: [{ role: str(body.role) ?? "assistant", parts, finish_reason: reason }],
        outputValue: text !== "" ? text : parts,
      };
    },
    stream() {
      let model: string | undefined;
      let id: string | undefined;
      let usage: Usage = {};
      let reason: string | undefined;
      let error: LLMResult["error"];
      const blocks = new Map<number, { type: string; text: string; id?: string; name?: string; json: string }>();
      return {
        event(name, data) {
          const e = obj(parseJson(data));
          const type = str(e.type) ?? name;
          let content = false;
          if (type === "message_start") {
            const m = obj(e.message);
            model = str(m.model);
            id = str(m.id);
            // message_start's output count is provisional; only message_delta's is final.
            usage = anthropicUsage(m.usage, false);
          } else if (type === "content_block_start") {
            const b = obj(e.content_block);
            blocks.set(num(e.index) ?? 0, { type: String(b.type), text: str(b.text) ?? str(b.thinking) ?? "", id: str(b.id), name: str(b.name), json: "" });
          } else if (type === "content_block_delta") {
            const d = obj(e.delta);
            const block = blocks.get(num(e.index) ?? 0);
            if (block && typeof d.text === "string") block.text += d.text;
            if (block && typeof d.thinking === "string") block.text += d.thinking;
            if (block && typeof d.partial_json === "string") block.json += d.partial_json;
            content = true;
          } else if (type === "error") {
            // Overloaded and other failures after the answer began: an error event ends the stream.
            error = providerError(e.error, "error");
          } else if (type === "message_delta") {
            reason = str(obj(e.delta).stop_reason) ?? reason;
            const u = obj(e.usage);
            const later = anthropicUsage(u);
            usage = {
              ...usage,
              outputTokens: later.outputTokens ?? usage.outputTokens,
              ...(u.input_tokens !== undefined && u.input_tokens !== null ? { inputTokens: later.inputTokens, cacheReadTokens: later.cacheReadTokens, cacheWriteTokens: later.cacheWriteTokens } : {}),
            };
          }
          return { content, drop: false };
        },
        result(): LLMResult {
          const parts: MessagePart[] = [];
          for (const [, b] of [...blocks].sort((a, c) => a[0] - c[0])) {
            if (b.type === "tool_use") parts.push({ type: "tool_call", id: b.id, name: b.name ?? "", arguments: b.json === "" ? {} : (parseJson(b.json) ?? b.json) });
            else if (b.type === "text") parts.push({ type: "text", content: b.text });
            else if (b.type === "thinking") parts.push({ type: "reasoning", content: b.text });
          }
          const text = textOf(parts);
          return { model, id, finishReasons: reason ? [reason] : [], usage, output: blocks.size > 0 ? [{ role: "assistant", parts, finish_reason: reason }] : [], outputValue: text !== "" ? text : parts.length > 0 ? parts : undefined, error };
        },
      };
    },
  };
}
