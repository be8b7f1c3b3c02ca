import type { Message, MessagePart } from "../../core/llm/messages.js";
import { obj, str } from "../../core/llm/provider-adapter.js";

/**
 * Turns AI SDK content (a string, or text, reasoning, tool-call, tool-result and file parts)
 * into GenAI message parts. File data is left out: only its media type is kept.
 *
 * @param content - a message's `content`, or a model call's output content
 * @returns the parts
 * @example
 * toGenAIParts([{ type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } }])
 */
export function toGenAIParts(content: unknown): MessagePart[] {
  if (typeof content === "string") return [{ type: "text", content }];
  const parts: MessagePart[] = [];
  for (const raw of Array.isArray(content) ? (content as unknown[]) : []) {
    const p = obj(raw);
    if (p.type === "text" && typeof p.text === "string") parts.push({ type: "text", content: p.text });
    else if (p.type === "reasoning" && typeof p.text === "string") parts.push({ type: "reasoning", content: p.text });
    else if (p.type === "tool-call") parts.push({ type: "tool_call", id: str(p.toolCallId), name: String(p.toolName ?? ""), arguments: p.input });
    else if (p.type === "tool-result") {
      const out = obj(p.output);
      parts.push({ type: "tool_call_response", id: str(p.toolCallId), response: "value" in out ? out.value : p.output });
    } else if (p.type === "tool-error") parts.push({ type: "tool_call_response", id: str(p.toolCallId), response: String(obj(p.error).message ?? p.error) });
    else if (p.type === "file" || p.type === "image") parts.push({ type: "file", mime_type: str(p.mediaType) ?? str(p.mimeType) });
    else if (typeof p.type === "string") parts.push({ type: p.type });
  }
  return parts;
}

/**
 * Splits AI SDK model messages into GenAI input messages and system instructions.
 *
 * @param messages - `ModelMessage[]` (or a provider prompt, where system content is a string)
 * @returns the messages without the system ones, and the system parts
 * @example
 * toGenAIMessages([{ role: "user", content: "hi" }]) // { messages: [{ role: "user", parts: [...] }], system: [] }
 */
export function toGenAIMessages(messages: unknown): { messages: Message[]; system: MessagePart[] } {
  const out: Message[] = [];
  const system: MessagePart[] = [];
  for (const raw of Array.isArray(messages) ? (messages as unknown[]) : []) {
    const m = obj(raw);
    const role = str(m.role) ?? "user";
    if (role === "system") system.push(...toGenAIParts(m.content));
    else out.push({ role, parts: toGenAIParts(m.content) });
  }
  return { messages: out, system };
}

/**
 * The system instructions of an AI SDK call (`instructions` or `system`: a string, a system
 * message, or a list of them) as GenAI parts.
 *
 * @param instructions - the event's `instructions` or `system`
 * @returns the parts, or undefined when there are none
 * @example
 * toSystemParts("Be brief.") // [{ type: "text", content: "Be brief." }]
 */
export function toSystemParts(instructions: unknown): MessagePart[] | undefined {
  if (instructions === undefined || instructions === null) return undefined;
  if (typeof instructions === "string") return [{ type: "text", content: instructions }];
  const list = Array.isArray(instructions) ? (instructions as unknown[]) : [instructions];
  const parts = list.flatMap((m) => (typeof m === "string" ? [{ type: "text", content: m }] : toGenAIParts(obj(m).content)));
  return parts.length > 0 ? parts : undefined;
}
