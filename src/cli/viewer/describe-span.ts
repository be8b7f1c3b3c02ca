import type { ChatMessage, ChatPart, LlmDetails, SpanCategory, SpanView, ViewerAttributes, ViewerSpan, ViewerValue } from "./types.js";

const OPENINFERENCE: Record<string, SpanCategory> = {
  AGENT: "agent",
  LLM: "llm",
  TOOL: "tool",
  RETRIEVER: "retrieval",
  EMBEDDING: "embedding",
  CHAIN: "workflow",
  RERANKER: "retrieval",
};

const GEN_AI_OPERATION: Record<string, SpanCategory> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  embeddings: "embedding",
  execute_tool: "tool",
  invoke_agent: "agent",
  create_agent: "agent",
};

const num = (v: ViewerValue | undefined): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: ViewerValue | undefined): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * What a span is: spanwise's kinds (from `openinference.span.kind`), then GenAI operations, then
 * HTTP and database spans of any OpenTelemetry instrumentation.
 *
 * @param span - a stored span
 * @returns its category
 * @example
 * spanCategory(span) // "llm"
 */
export function spanCategory(span: ViewerSpan): SpanCategory {
  const a = span.attributes;
  // Own properties only: the attributes come from any sender, "constructor" among their values.
  const oi = str(a["openinference.span.kind"])?.toUpperCase();
  if (oi && Object.hasOwn(OPENINFERENCE, oi)) return OPENINFERENCE[oi]!;
  const op = str(a["gen_ai.operation.name"]);
  if (op && Object.hasOwn(GEN_AI_OPERATION, op)) return GEN_AI_OPERATION[op]!;
  if (str(a["gen_ai.request.model"]) || str(a["llm.model_name"])) return "llm";
  if (a["http.request.method"] !== undefined || a["http.method"] !== undefined) return "http";
  if (a["db.system"] !== undefined || a["db.system.name"] !== undefined) return "db";
  return "span";
}

/** Input and output token counts of a span, from GenAI or OpenInference attributes. */
export function spanTokens(a: ViewerAttributes): { input?: number; output?: number } {
  return {
    input: num(a["gen_ai.usage.input_tokens"]) ?? num(a["llm.token_count.prompt"]) ?? num(a["gen_ai.usage.prompt_tokens"]),
    output: num(a["gen_ai.usage.output_tokens"]) ?? num(a["llm.token_count.completion"]) ?? num(a["gen_ai.usage.completion_tokens"]),
  };
}

/**
 * The stored span with its category and, for LLM and embedding spans, the model, tokens, cost,
 * time to first token and the conversation.
 *
 * @param span - a stored span
 * @returns the span as the API serves it
 * @example
 * const view = describeSpan(span); view.llm?.inputTokens
 */
export function describeSpan(span: ViewerSpan): SpanView {
  const category = spanCategory(span);
  if (category !== "llm" && category !== "embedding") return { ...span, category };
  const a = span.attributes;
  const tokens = spanTokens(a);
  const ttftSeconds = num(a["gen_ai.response.time_to_first_chunk"]);
  const llm: LlmDetails = {
    model: str(a["gen_ai.response.model"]) ?? str(a["gen_ai.request.model"]) ?? str(a["llm.model_name"]),
    provider: str(a["gen_ai.provider.name"]) ?? str(a["gen_ai.system"]) ?? str(a["llm.provider"]),
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    cost: num(a["llm.cost.total"]),
    ttftMs: num(a["llm.time_to_first_token_ms"]) ?? (ttftSeconds === undefined ? undefined : ttftSeconds * 1000),
    input: [...messagesOf(a["gen_ai.system_instructions"], "system"), ...messagesOf(a["gen_ai.input.messages"], "user")],
    output: messagesOf(a["gen_ai.output.messages"], "assistant"),
  };
  const finish = a["gen_ai.response.finish_reasons"];
  if (Array.isArray(finish)) llm.finishReasons = finish.filter((f): f is string => typeof f === "string");
  // Instrumentations that only write OpenInference's flat values still get a conversation.
  if (llm.input.length === 0) llm.input = messagesOf(a["input.value"], "user");
  if (llm.output.length === 0) llm.output = messagesOf(a["output.value"], "assistant");
  return { ...span, category, llm };
}

/** Messages from a GenAI `{role, parts}` list (as JSON text or a value), or plain text as one message. */
function messagesOf(v: ViewerValue | undefined, role: string): ChatMessage[] {
  if (v === undefined || v === null || v === "") return [];
  let value: unknown = v;
  if (typeof v === "string") {
    try {
      value = JSON.parse(v);
    } catch {
      value = undefined;
    }
    // Plain text that happens to parse ("4", "true") is still plain text.
    if (value === null || typeof value !== "object") return [{ role, parts: [{ type: "text", text: v }] }];
  }
  if (Array.isArray(value) && value.every((m) => typeof m === "string")) value = value.map((m) => parseMaybe(m));
  if (!Array.isArray(value)) return typeof value === "string" ? [{ role, parts: [{ type: "text", text: value }] }] : [{ role, parts: [{ type: "json", data: value as ViewerValue }] }];
  // gen_ai.system_instructions is a list of parts, not of messages.
  if (value.every((m) => m && typeof m === "object" && "type" in m && !("role" in m))) return [{ role, parts: value.map(partOf) }];
  return value.map((m): ChatMessage => {
    if (!m || typeof m !== "object") return { role, parts: [{ type: "text", text: String(m) }] };
    const msg = m as Record<string, unknown>;
    const r = typeof msg.role === "string" ? msg.role : role;
    if (Array.isArray(msg.parts)) return { role: r, parts: msg.parts.map(partOf) };
    if (typeof msg.content === "string") return { role: r, parts: [{ type: "text", text: msg.content }] };
    return { role: r, parts: [{ type: "json", data: msg as ViewerValue }] };
  });
}

function parseMaybe(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function partOf(p: unknown): ChatPart {
  if (!p || typeof p !== "object") return { type: "text", text: String(p) };
  const part = p as Record<string, unknown>;
  const type = typeof part.type === "string" ? part.type : "unknown";
  if (type === "text" && typeof part.content === "string") return { type, text: part.content };
  if (type === "tool_call") return { type, name: typeof part.name === "string" ? part.name : "", data: (part.arguments ?? null) as ViewerValue };
  if (type === "tool_call_response") return { type, data: (part.response ?? null) as ViewerValue };
  return { type, data: part as ViewerValue };
}
