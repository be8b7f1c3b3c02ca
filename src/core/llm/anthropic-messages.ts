import type { CostUsage } from "./cost.js";
import type { LLMResult } from "./llm-span.js";
import { type Message, type MessagePart, toParts } from "./messages.js";
import { type ProviderAdapter, num, obj, parseJson, providerError, str, strings } from "./provider-adapter.js";

/**
 * Anthropic usage in spanwise terms: input tokens include cache reads and writes, as GenAI counts
 * them; of the cache writes, those to the one-hour cache (`cache_creation`) are kept apart for cost;
 * thinking tokens (`output_tokens_details`) are the reasoning tokens.
 *
 * @param u - Anthropic's `usage` object (any value)
 * @param withOutput - false for message_start's provisional output count
 * @returns the usage, counts that are missing left undefined
 * @example
 * anthropicUsage({ input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 }) // { inputTokens: 100, outputTokens: 5, cacheReadTokens: 90, ... }
 */
export function anthropicUsage(u: unknown, withOutput = true): CostUsage {
  const usage = obj(u);
  const input = num(usage.input_tokens);
  const read = num(usage.cache_read_input_tokens);
  const split = obj(usage.cache_creation);
  const longWrite = num(split.ephemeral_1h_input_tokens);
  const shortWrite = num(split.ephemeral_5m_input_tokens);
  const write = num(usage.cache_creation_input_tokens) ?? (longWrite === undefined && shortWrite === undefined ? undefined : (longWrite ?? 0) + (shortWrite ?? 0));
  return {
    inputTokens: input === undefined ? undefined : input + (read ?? 0) + (write ?? 0),
    outputTokens: withOutput ? num(usage.output_tokens) : undefined,
    // Thinking tokens, counted within output_tokens as OpenAI's reasoning tokens are.
    reasoningTokens: withOutput ? num(obj(usage.output_tokens_details).thinking_tokens) : undefined,
    cacheReadTokens: read,
    cacheWriteTokens: write,
    cacheWrite1hTokens: longWrite,
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
        topK: num(body.top_k),
        stopSequences: strings(body.stop_sequences),
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
      let usage: CostUsage = {};
      // The usage members seen so far: message_start's, then those message_delta repeats.
      let reported: Record<string, unknown> = {};
      let reason: string | undefined;
      let error: LLMResult["error"];
      let ended = false;
      const blocks = new Map<number, { type: string; text: string; id?: string; name?: string; json: string; raw: Record<string, unknown> }>();
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
            reported = { ...obj(m.usage), output_tokens: undefined };
            usage = anthropicUsage(reported, false);
          } else if (type === "content_block_start") {
            const b = obj(e.content_block);
            blocks.set(num(e.index) ?? 0, { type: String(b.type), text: str(b.text) ?? str(b.thinking) ?? "", id: str(b.id), name: str(b.name), json: "", raw: b });
          } else if (type === "content_block_delta") {
            const d = obj(e.delta);
            const block = blocks.get(num(e.index) ?? 0);
            if (block && typeof d.text === "string") block.text += d.text;
            if (block && typeof d.thinking === "string") block.text += d.thinking;
            if (block && typeof d.partial_json === "string") block.json += d.partial_json;
            content = true;
          } else if (type === "message_stop") {
            ended = true;
          } else if (type === "error") {
            // Overloaded and other failures after the answer began: an error event ends the stream.
            error = providerError(e.error, "error");
          } else if (type === "message_delta") {
            reason = str(obj(e.delta).stop_reason) ?? reason;
            // Cumulative counts: a member message_delta sends replaces message_start's; one it
            // leaves out or sends as null (the cache-write split, which it never carries) stays.
            reported = { ...reported, ...Object.fromEntries(Object.entries(obj(e.usage)).filter(([, v]) => v !== null && v !== undefined)) };
            usage = anthropicUsage(reported);
          }
          return { content, drop: false };
        },
        result(): LLMResult {
          const parts: MessagePart[] = [];
          for (const [, b] of [...blocks].sort((a, c) => a[0] - c[0])) {
            if (b.type === "tool_use") parts.push({ type: "tool_call", id: b.id, name: b.name ?? "", arguments: b.json === "" ? {} : (parseJson(b.json) ?? b.json) });
            else if (b.type === "text") parts.push({ type: "text", content: b.text });
            else if (b.type === "thinking") parts.push({ type: "reasoning", content: b.text });
            // Other blocks (redacted_thinking, server tool calls and their results) as the
            // non-streamed answer keeps them: their own fields, a streamed input parsed.
            else if (str(b.raw.type) !== undefined) parts.push({ ...b.raw, type: b.type, ...(b.json !== "" ? { input: parseJson(b.json) ?? b.json } : {}) });
          }
          const text = textOf(parts);
          return { model, id, finishReasons: reason ? [reason] : [], usage, output: blocks.size > 0 ? [{ role: "assistant", parts, finish_reason: reason }] : [], outputValue: text !== "" ? text : parts.length > 0 ? parts : undefined, error, ended };
        },
      };
    },
  };
}
