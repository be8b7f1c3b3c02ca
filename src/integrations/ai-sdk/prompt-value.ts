import type { Message } from "../../core/llm/messages.js";
import type { AIStartEvent } from "./events.js";
import { toGenAIMessages } from "./to-genai-messages.js";

/**
 * The agent span's `input.value`: the prompt text when the call is one user message, otherwise
 * the GenAI messages.
 *
 * @param event - the operation's start event
 * @returns a string or the messages
 * @example
 * promptValue({ callId: "c", prompt: "Say hello" }) // "Say hello"
 */
export function promptValue(event: AIStartEvent): unknown {
  if (typeof event.prompt === "string") return event.prompt;
  const { messages } = toGenAIMessages(event.messages);
  const only: Message | undefined = messages.length === 1 ? messages[0] : undefined;
  const part = only?.role === "user" && only.parts.length === 1 ? only.parts[0] : undefined;
  return part?.type === "text" ? (part as { content: string }).content : messages;
}
