/** One part of a GenAI message (OpenTelemetry GenAI `{role, parts}` shape). */
export type MessagePart =
  | { type: "text"; content: string }
  | { type: "tool_call"; id?: string | undefined; name: string; arguments?: unknown }
  | { type: "tool_call_response"; id?: string | undefined; response: unknown }
  | { type: string; [key: string]: unknown };

/** A GenAI input or output message. */
export interface Message {
  role: string;
  parts: MessagePart[];
  finish_reason?: string | undefined;
}

/**
 * Turns OpenAI-style or Anthropic-style message content (a string, or a list of content blocks)
 * into GenAI parts. Unknown blocks keep their type and data.
 *
 * @param content - the `content` field of a message
 * @returns the parts
 * @example
 * toParts("hi") // [{ type: "text", content: "hi" }]
 */
export function toParts(content: unknown): MessagePart[] {
  if (typeof content === "string") return [{ type: "text", content }];
  if (!Array.isArray(content)) return content === undefined || content === null ? [] : [{ type: "unknown", content }];
  const parts: MessagePart[] = [];
  for (const block of content as Record<string, unknown>[]) {
    if (typeof block === "string") parts.push({ type: "text", content: block });
    else if (!block || typeof block !== "object") continue;
    else if (typeof block.text === "string") parts.push({ type: "text", content: block.text });
    // Anthropic's extended thinking is GenAI's reasoning part; its signature is an opaque check value.
    else if (block.type === "thinking" && typeof block.thinking === "string") parts.push({ type: "reasoning", content: block.thinking });
    // LangChain's standard blocks (outputVersion "v1"): reasoning as `reasoning`, a call's arguments as `args`.
    else if (block.type === "reasoning" && typeof block.reasoning === "string") parts.push({ type: "reasoning", content: block.reasoning });
    else if (block.type === "tool_call" && "args" in block) parts.push({ type: "tool_call", id: str(block.id), name: String(block.name), arguments: block.args });
    else if (block.type === "tool_use") parts.push({ type: "tool_call", id: str(block.id), name: String(block.name), arguments: block.input });
    else if (block.type === "tool_result") parts.push({ type: "tool_call_response", id: str(block.tool_use_id), response: block.content });
    else if (block.functionCall && typeof block.functionCall === "object") {
      const call = block.functionCall as Record<string, unknown>;
      parts.push({ type: "tool_call", name: String(call.name), arguments: call.args });
    } else if (block.functionResponse && typeof block.functionResponse === "object") {
      const r = block.functionResponse as Record<string, unknown>;
      parts.push({ type: "tool_call_response", id: str(r.name), response: r.response });
    } else parts.push({ ...block, type: typeof block.type === "string" ? block.type : "unknown" });
  }
  return parts;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
