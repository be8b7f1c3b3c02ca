import type { Context } from "../../core/context.js";
import { setIO } from "../../core/llm/attributes.js";
import { str } from "../../core/llm/provider-adapter.js";
import type { Tracer } from "../../core/tracer.js";
import type { Call } from "./call.js";
import type { AIStartEvent } from "./events.js";
import { promptValue } from "./prompt-value.js";
import { genAIProviderName } from "../../core/llm/provider-name.js";

const AGENT_OPERATIONS = new Set(["ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject"]);

/**
 * Starts the root span of an AI SDK operation under `ctx`: `invoke_agent <functionId or model>`
 * for text and object generation, `<operation> <model>` (workflow) for the rest.
 *
 * @param t - the tracer
 * @param ctx - the caller's context
 * @param event - the AI SDK's `onStart` event
 * @returns the call, its root span started
 * @example
 * calls.add(event.callId, startCall(t, t.storage.get(), event));
 */
export function startCall(t: Tracer, ctx: Context | undefined, event: AIStartEvent): Call {
  const operation = str(event.operationId) ?? "ai";
  const model = str(event.modelId) ?? "";
  const provider = genAIProviderName(event.provider);
  // Text and object generation are agents; embed, rerank, speech and transcription are
  // plain operations (their model calls, where the AI SDK reports them, nest beneath).
  const plain = !AGENT_OPERATIONS.has(operation);
  const agent = event.functionId ?? model;
  const root = plain
    ? t.start(`${operation.replace(/^ai\./, "")} ${model}`, "workflow", "internal", undefined, ctx, ctx?.scope)
    : t.start(`invoke_agent ${agent}`, "agent", "internal", undefined, ctx, ctx?.scope);
  const call: Call = { t, ctx, operation, provider, stream: operation.startsWith("ai.stream"), inputs: event.recordInputs !== false && t.config.captureContent, outputs: event.recordOutputs !== false && t.config.captureContent, root, tools: new Map(), embeds: new Map(), lastEventAt: Date.now(), busy: 0, thrown: new Map() };
  root.setAttribute("ai.operationId", operation);
  root.setAttribute("gen_ai.provider.name", provider);
  root.setAttribute("gen_ai.request.model", model);
  if (!plain) {
    root.setAttribute("gen_ai.operation.name", "invoke_agent");
    root.setAttribute("gen_ai.agent.name", agent);
    if (event.temperature !== undefined) root.setAttribute("gen_ai.request.temperature", event.temperature);
    if (event.maxOutputTokens !== undefined) root.setAttribute("gen_ai.request.max_tokens", event.maxOutputTokens);
    if (event.topP !== undefined) root.setAttribute("gen_ai.request.top_p", event.topP);
  }
  if (call.inputs) setIO(root, "input", plain ? event.value : promptValue(event), t.limits.captureLength);
  return call;
}
