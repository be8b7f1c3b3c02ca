import type { AttributeValue, Attributes } from "../attributes.js";
import type { SpanRecord, SpanType } from "../span.js";
import { mergeMetadata, mergeTags } from "../llm/attributes.js";

function putMissing(span: SpanRecord, key: string, value: AttributeValue | undefined): void {
  if (value !== undefined && !span.hasAttribute(key)) span.putAttribute(key, value);
}

function putAll(span: SpanRecord, more: Attributes | undefined): void {
  if (more) for (const key in more) if (!span.hasAttribute(key)) span.putAttribute(key, more[key]!);
}

const OPENINFERENCE_KIND: Partial<Record<SpanType, string>> = {
  agent: "AGENT",
  llm: "LLM",
  tool: "TOOL",
  retrieval: "RETRIEVER",
  embedding: "EMBEDDING",
  workflow: "CHAIN",
};

const OPERATION: Partial<Record<SpanType, string>> = {
  agent: "invoke_agent",
  tool: "execute_tool",
  llm: "chat",
  embedding: "embeddings",
  retrieval: "retrieval",
  workflow: "invoke_workflow",
};

/**
 * Adds what the span's kind, its `withAttributes` scope, `updateCurrentTrace` and the global
 * attributes imply, at flush time so the hot path never pays for it. What the span set itself
 * always wins: span > trace update > scope > global.
 */
export function enrichSpan(span: SpanRecord, maxLength: number): void {
  const type = span.type;
  // Own properties only: from JavaScript a type can be any string, "constructor" among them.
  if (Object.hasOwn(OPENINFERENCE_KIND, type)) putMissing(span, "openinference.span.kind", OPENINFERENCE_KIND[type]);
  const genai = Object.hasOwn(OPERATION, type);
  if (genai) putMissing(span, "gen_ai.operation.name", OPERATION[type]);
  if (type === "agent") putMissing(span, "gen_ai.agent.name", span.name);
  if (type === "tool") {
    // One name under GenAI's key and OpenInference's: the one the span set, else the span's. The
    // attributes are read as an object (which costs the span its compact list) only then.
    const own = span.hasAttribute("gen_ai.tool.name");
    const name = own === span.hasAttribute("tool.name") ? span.name : span.attributes[own ? "gen_ai.tool.name" : "tool.name"];
    putMissing(span, "gen_ai.tool.name", name);
    putMissing(span, "tool.name", name);
  }

  const trace = span.trace.update;
  const scope = span.scope;
  putMissing(span, "user.id", trace?.userId ?? scope?.userId);
  const session = trace?.sessionId ?? scope?.sessionId;
  putMissing(span, "session.id", session);
  // GenAI names a session a conversation, on the spans of its own operations.
  if (genai) putMissing(span, "gen_ai.conversation.id", session);
  if (trace?.tags) mergeTags(span, trace.tags);
  if (scope?.tags) mergeTags(span, scope.tags);
  if (trace?.metadata) mergeMetadata(span, trace.metadata, maxLength);
  if (scope?.metadata) mergeMetadata(span, scope.metadata, maxLength);
  putAll(span, trace?.attributes);
  putAll(span, scope?.attributes);
  putAll(span, span.globals);
  if (trace && span.trace.root === span) {
    putMissing(span, "spanwise.trace.name", trace.name);
    putMissing(span, "spanwise.trace.input", trace.input);
    putMissing(span, "spanwise.trace.output", trace.output);
  }
}
