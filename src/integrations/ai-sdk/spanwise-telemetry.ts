import type { Context } from "../../core/context.js";
import { G } from "../../core/global.js";
import { setIO } from "../../core/llm/attributes.js";
import { claimLLMCall } from "../../core/llm/claimed-calls.js";
import { type LLMEnd, type LLMResult, finishLLMSpan, startLLMSpan } from "../../core/llm/llm-span.js";
import type { Message } from "../../core/llm/messages.js";
import { num, obj, str } from "../../core/llm/provider-adapter.js";
import type { SpanRecord, Usage } from "../../core/span.js";
import type { Tracer } from "../../core/tracer.js";
import type {
  AIEmbedEvent,
  AIEndEvent,
  AIModelCallEndEvent,
  AIModelCallStartEvent,
  AIObjectStepEndEvent,
  AIObjectStepStartEvent,
  AIStartEvent,
  AIStepEndEvent,
  AIStepEvent,
  AIToolEndEvent,
  AIToolStartEvent,
  AIUsage,
} from "./events.js";
import { genAIProviderName } from "./provider-name.js";
import { toGenAIMessages, toGenAIParts, toSystemParts } from "./to-genai-messages.js";

/**
 * The AI SDK v7 telemetry integration spanwise provides: the lifecycle callbacks of `ai`'s
 * `Telemetry` interface, plus the two wrappers that run provider calls and tool executions
 * inside their spans.
 */
export interface SpanwiseTelemetry {
  onStart(event: AIStartEvent): void;
  onStepStart(event: AIStepEvent): void;
  onLanguageModelCallStart(event: AIModelCallStartEvent): void;
  onLanguageModelCallEnd(event: AIModelCallEndEvent): void;
  onToolExecutionStart(event: AIToolStartEvent): void;
  onToolExecutionEnd(event: AIToolEndEvent): void;
  onStepEnd(event: AIStepEndEvent): void;
  onStepError(event: AIStepEvent): void;
  onObjectStepStart(event: AIObjectStepStartEvent): void;
  onObjectStepEnd(event: AIObjectStepEndEvent): void;
  onEmbedStart(event: AIEmbedEvent): void;
  onEmbedEnd(event: AIEmbedEvent): void;
  onEnd(event: AIEndEvent): void;
  onAbort(event: { readonly callId: string }): void;
  onError(error: unknown): void;
  executeLanguageModelCall<T>(options: { readonly callId: string; readonly execute: () => PromiseLike<T> }): PromiseLike<T>;
  executeTool<T>(options: { readonly callId: string; readonly toolCallId: string; readonly execute: () => PromiseLike<T> }): PromiseLike<T>;
}

/** One AI SDK operation (a generateText call, an embed call, ...) while it runs. */
interface Call {
  t: Tracer;
  /** The caller's context when the operation started: its scope and baggage carry on. */
  ctx: Context | undefined;
  operation: string;
  provider: string;
  stream: boolean;
  inputs: boolean;
  outputs: boolean;
  root: SpanRecord;
  step?: SpanRecord | undefined;
  chat?: SpanRecord | undefined;
  tools: Map<string, SpanRecord>;
  embeds: Map<string, SpanRecord>;
}

const EMPTY: LLMResult = { finishReasons: [], usage: {} };

/**
 * Creates spanwise's telemetry integration for the Vercel AI SDK v7. Register it once with
 * `registerTelemetry()` from `ai`, or per call in `telemetry: { integrations: [...] }`. Every
 * `generateText`, `streamText`, `generateObject`, `streamObject`, `embed` and `embedMany` then
 * becomes a span tree under the current span: `invoke_agent` → `step N` → `chat <model>` (with
 * tokens, cost and, for streams, time to first token) and `execute_tool <name>`; embeddings
 * become `embed <model>` → `embeddings <model>`. Errors are recorded on the spans they end;
 * an abort ends them as cancelled, with no token count invented. The integration never throws.
 *
 * @returns the integration; one instance serves any number of concurrent calls
 * @example
 * import { registerTelemetry } from "ai";
 * import { spanwiseTelemetry } from "spanwise/ai-sdk";
 * registerTelemetry(spanwiseTelemetry());
 */
export function spanwiseTelemetry(): SpanwiseTelemetry {
  const calls = new Map<string, Call>();

  /** Runs one callback body with its call, isolating the AI SDK from any error of ours. */
  const on = <E extends { readonly callId?: string }>(where: string, body: (call: Call, event: E) => void) => (event: E): void => {
    const call = typeof event?.callId === "string" ? calls.get(event.callId) : undefined;
    if (call === undefined) return;
    try {
      body(call, event);
    } catch (err) {
      call.t.internalError(`ai-sdk ${where}`, err);
    }
  };

  const child = (call: Call, name: string, type: "workflow" | "tool", parent: SpanRecord): SpanRecord => call.t.start(name, type, "internal", parent, call.ctx, call.ctx?.scope);

  const finishAll = (call: Call, how: LLMEnd): void => {
    for (const s of call.tools.values()) end(s, how);
    call.tools.clear();
    if (call.chat) finishLLMSpan(call.t, call.chat, EMPTY, how);
    call.chat = undefined;
    for (const s of call.embeds.values()) finishLLMSpan(call.t, s, EMPTY, how);
    call.embeds.clear();
    if (call.step) end(call.step, how);
    call.step = undefined;
  };

  return {
    onStart(event) {
      const t = G.tracer;
      if (t === undefined || typeof event?.callId !== "string") return;
      try {
        const ctx = t.storage.get();
        if (ctx?.suppressed) return;
        const operation = str(event.operationId) ?? "ai";
        const model = str(event.modelId) ?? "";
        const provider = genAIProviderName(event.provider);
        const embedding = operation === "ai.embed" || operation === "ai.embedMany";
        const agent = event.functionId ?? model;
        const root = embedding
          ? t.start(`${operation.slice(3)} ${model}`, "workflow", "internal", undefined, ctx, ctx?.scope)
          : t.start(`invoke_agent ${agent}`, "agent", "internal", undefined, ctx, ctx?.scope);
        const call: Call = { t, ctx, operation, provider, stream: operation.startsWith("ai.stream"), inputs: event.recordInputs !== false && t.config.captureContent, outputs: event.recordOutputs !== false && t.config.captureContent, root, tools: new Map(), embeds: new Map() };
        calls.set(event.callId, call);
        root.setAttribute("ai.operationId", operation);
        root.setAttribute("gen_ai.provider.name", provider);
        root.setAttribute("gen_ai.request.model", model);
        if (!embedding) {
          root.setAttribute("gen_ai.operation.name", "invoke_agent");
          root.setAttribute("gen_ai.agent.name", agent);
          if (event.temperature !== undefined) root.setAttribute("gen_ai.request.temperature", event.temperature);
          if (event.maxOutputTokens !== undefined) root.setAttribute("gen_ai.request.max_tokens", event.maxOutputTokens);
          if (event.topP !== undefined) root.setAttribute("gen_ai.request.top_p", event.topP);
        }
        if (call.inputs) setIO(root, "input", embedding ? event.value : promptValue(event), t.limits.captureLength);
      } catch (err) {
        t.internalError("ai-sdk onStart", err);
      }
    },

    onStepStart: on<AIStepEvent>("onStepStart", (call, event) => {
      if (call.step) end(call.step, {});
      call.step = child(call, `step ${(num(event.stepNumber) ?? 0) + 1}`, "workflow", call.root);
    }),

    onLanguageModelCallStart: on<AIModelCallStartEvent>("onLanguageModelCallStart", (call, event) => {
      const { messages, system } = toGenAIMessages(event.messages);
      const chat = startLLMSpan(call.t, { ...call.ctx, span: call.step ?? call.root }, {
        provider: genAIProviderName(event.provider) || call.provider,
        operation: "chat",
        model: str(event.modelId),
        temperature: num(event.temperature),
        maxTokens: num(event.maxOutputTokens),
        topP: num(event.topP),
        stream: call.stream,
        messages: call.inputs ? messages : undefined,
        system: call.inputs ? (toSystemParts(event.instructions) ?? (system.length > 0 ? system : undefined)) : undefined,
        tools: Array.isArray(event.tools) && event.tools.length > 0 ? [...event.tools] : undefined,
        raw: call.inputs ? messages : undefined,
      });
      claimLLMCall(chat);
      if (call.chat) finishLLMSpan(call.t, call.chat, EMPTY, {});
      call.chat = chat;
    }),

    onLanguageModelCallEnd: on<AIModelCallEndEvent>("onLanguageModelCallEnd", (call, event) => {
      const chat = call.chat;
      if (chat === undefined) return;
      call.chat = undefined;
      const reason = str(event.finishReason);
      if (reason === "error") chat.setStatus("error", "the model call finished with an error");
      const parts = toGenAIParts(event.content);
      const text = parts.map((p) => (p.type === "text" ? (p as { content: string }).content : "")).join("");
      finishLLMSpan(call.t, chat, {
        model: str(event.modelId),
        id: str(event.responseId),
        finishReasons: reason ? [reason] : [],
        usage: toUsage(event.usage),
        output: call.outputs ? [{ role: "assistant", parts, finish_reason: reason }] : undefined,
        outputValue: call.outputs ? (text !== "" ? text : parts.length > 0 ? parts : undefined) : undefined,
      }, { timeToFirstTokenMs: call.stream ? num(event.performance?.timeToFirstOutputMs) : undefined });
    }),

    onToolExecutionStart: on<AIToolStartEvent>("onToolExecutionStart", (call, event) => {
      const tc = obj(event.toolCall);
      const name = str(tc.toolName) ?? "tool";
      const id = str(tc.toolCallId) ?? "";
      const s = child(call, `execute_tool ${name}`, "tool", call.step ?? call.root);
      s.setAttribute("gen_ai.operation.name", "execute_tool");
      s.setAttribute("gen_ai.tool.name", name);
      s.setAttribute("tool.name", name);
      if (id !== "") s.setAttribute("gen_ai.tool.call.id", id);
      s.setAttribute("gen_ai.tool.type", tc.providerExecuted === true ? "extension" : "function");
      if (call.inputs && tc.input !== undefined) {
        s.setAttribute("gen_ai.tool.call.arguments", tc.input);
        setIO(s, "input", tc.input, call.t.limits.captureLength);
      }
      call.tools.set(id, s);
    }),

    onToolExecutionEnd: on<AIToolEndEvent>("onToolExecutionEnd", (call, event) => {
      const id = str(obj(event.toolCall).toolCallId) ?? "";
      const s = call.tools.get(id);
      if (s === undefined) return;
      call.tools.delete(id);
      const out = obj(event.toolOutput);
      if (out.type === "tool-error") s.recordException(out.error);
      else if (call.outputs && out.output !== undefined) {
        s.setAttribute("gen_ai.tool.call.result", out.output);
        setIO(s, "output", out.output, call.t.limits.captureLength);
      }
      s.end();
    }),

    onStepEnd: on<AIStepEndEvent>("onStepEnd", (call, event) => {
      // A stream that closes after an error chunk ends its step without a model-call end.
      if (call.chat) finishLLMSpan(call.t, call.chat, EMPTY, {});
      call.chat = undefined;
      if (call.step === undefined) return;
      if (event.finishReason === "error") call.step.setStatus("error", "the step finished with an error");
      call.step.end();
      call.step = undefined;
    }),

    onStepError: on<AIStepEvent>("onStepError", (call, event) => finishAll(call, ending(event.error))),

    onObjectStepStart: on<AIObjectStepStartEvent>("onObjectStepStart", (call, event) => {
      call.step = child(call, "step 1", "workflow", call.root);
      const { messages, system } = toGenAIMessages(event.promptMessages);
      const chat = startLLMSpan(call.t, { ...call.ctx, span: call.step }, {
        provider: genAIProviderName(event.provider) || call.provider,
        operation: "chat",
        model: str(event.modelId),
        temperature: num(call.root.attributes["gen_ai.request.temperature"]),
        maxTokens: num(call.root.attributes["gen_ai.request.max_tokens"]),
        topP: num(call.root.attributes["gen_ai.request.top_p"]),
        stream: call.stream,
        messages: call.inputs ? messages : undefined,
        system: call.inputs && system.length > 0 ? system : undefined,
        raw: call.inputs ? messages : undefined,
      });
      claimLLMCall(chat);
      chat.setAttribute("gen_ai.output.type", "json");
      call.chat = chat;
    }),

    onObjectStepEnd: on<AIObjectStepEndEvent>("onObjectStepEnd", (call, event) => {
      const chat = call.chat;
      call.chat = undefined;
      const reason = str(event.finishReason);
      if (chat) {
        if (reason === "error") chat.setStatus("error", "the model call finished with an error");
        const text = str(event.objectText);
        finishLLMSpan(call.t, chat, {
          model: str(event.response?.modelId),
          id: str(event.response?.id),
          finishReasons: reason ? [reason] : [],
          usage: toUsage(event.usage),
          output: call.outputs && text !== undefined ? [{ role: "assistant", parts: [{ type: "text", content: text }], finish_reason: reason }] : undefined,
          outputValue: call.outputs ? text : undefined,
        }, { timeToFirstTokenMs: call.stream ? num(event.msToFirstChunk) : undefined });
      }
      call.step?.end();
      call.step = undefined;
    }),

    onEmbedStart: on<AIEmbedEvent>("onEmbedStart", (call, event) => {
      const s = startLLMSpan(call.t, { ...call.ctx, span: call.root }, { provider: genAIProviderName(event.provider) || call.provider, operation: "embeddings", model: str(event.modelId), raw: call.inputs ? event.values : undefined });
      claimLLMCall(s);
      call.embeds.set(String(event.embedCallId), s);
    }),

    onEmbedEnd: on<AIEmbedEvent>("onEmbedEnd", (call, event) => {
      const s = call.embeds.get(String(event.embedCallId));
      if (s === undefined) return;
      call.embeds.delete(String(event.embedCallId));
      finishLLMSpan(call.t, s, { model: str(event.modelId), finishReasons: [], usage: { inputTokens: num(event.usage?.tokens) }, embeddings: Array.isArray(event.embeddings) ? event.embeddings.length : undefined });
    }),

    onEnd(event) {
      const call = typeof event?.callId === "string" ? calls.get(event.callId) : undefined;
      if (call === undefined) return;
      calls.delete(event.callId);
      try {
        finishAll(call, {});
        const root = call.root;
        const reason = str(event.finishReason);
        if (root.type === "agent") {
          if (reason) root.setAttribute("gen_ai.response.finish_reasons", [reason]);
          // GenAI's invoke_agent usage only: OpenInference sums llm.token_count.* and cost
          // from the chat spans, so repeating them here would count every token twice.
          const usage = toUsage(event.usage);
          if (usage.inputTokens !== undefined) root.setAttribute("gen_ai.usage.input_tokens", usage.inputTokens);
          if (usage.outputTokens !== undefined) root.setAttribute("gen_ai.usage.output_tokens", usage.outputTokens);
          if (reason === "error") root.setStatus("error", "the generation finished with an error");
        }
        if (call.outputs) {
          const output = typeof event.text === "string" ? event.text : event.object;
          if (output !== undefined) setIO(root, "output", output, call.t.limits.captureLength);
        }
      } catch (err) {
        call.t.internalError("ai-sdk onEnd", err);
      }
      if (call.root.endTime === 0) call.root.end();
    },

    onAbort(event) {
      close(event?.callId, { cancelled: true });
    },

    onError(error) {
      const e = obj(error);
      close(str(e.callId), ending("error" in e ? e.error : error));
    },

    executeLanguageModelCall({ callId, execute }) {
      return within(calls.get(callId), (call) => call.chat, execute);
    },

    executeTool({ callId, toolCallId, execute }) {
      return within(calls.get(callId), (call) => call.tools.get(toolCallId), execute);
    },
  };

  function close(callId: string | undefined, how: LLMEnd): void {
    const call = callId === undefined ? undefined : calls.get(callId);
    if (call === undefined || callId === undefined) return;
    calls.delete(callId);
    try {
      finishAll(call, how);
      end(call.root, how);
    } catch (err) {
      call.t.internalError("ai-sdk end", err);
      if (call.root.endTime === 0) call.root.end();
    }
  }
}

/** Runs `execute` once with `span` as the current span, so spans made inside nest under it. */
function within<T>(call: Call | undefined, pick: (call: Call) => SpanRecord | undefined, execute: () => PromiseLike<T>): PromiseLike<T> {
  let span: SpanRecord | undefined;
  try {
    span = call === undefined ? undefined : pick(call);
  } catch {
    span = undefined;
  }
  if (call === undefined || span === undefined) return execute();
  const inner: Context = { ...call.ctx, span };
  return call.t.storage.run(inner, execute);
}

/** Ends a span as `how` says: cancelled (marked, not an error), failed, or plainly. */
function end(s: SpanRecord, how: LLMEnd): void {
  if (s.endTime !== 0) return;
  if (how.cancelled) s.setAttribute("spanwise.cancelled", true);
  if (how.error !== undefined) s.recordException(how.error);
  s.end();
}

/** An abort or timeout ends the spans as cancelled; anything else as an error. */
function ending(error: unknown): LLMEnd {
  let e: unknown = error;
  for (let i = 0; i < 4 && e !== null && typeof e === "object"; i++) {
    const name = (e as { name?: unknown }).name;
    if (name === "AbortError" || name === "TimeoutError" || name === "ResponseAborted") return { cancelled: true };
    e = (e as { cause?: unknown }).cause;
  }
  return { error };
}

function toUsage(u: AIUsage | unknown): Usage {
  const usage = obj(u);
  return {
    inputTokens: num(usage.inputTokens),
    outputTokens: num(usage.outputTokens),
    totalTokens: num(usage.totalTokens),
    cacheReadTokens: num(obj(usage.inputTokenDetails).cacheReadTokens),
    cacheWriteTokens: num(obj(usage.inputTokenDetails).cacheWriteTokens),
    reasoningTokens: num(obj(usage.outputTokenDetails).reasoningTokens),
  };
}

/** The agent's input: the prompt text when it is one user message, otherwise the GenAI messages. */
function promptValue(event: AIStartEvent): unknown {
  if (typeof event.prompt === "string") return event.prompt;
  const { messages } = toGenAIMessages(event.messages);
  const only: Message | undefined = messages.length === 1 ? messages[0] : undefined;
  const part = only?.role === "user" && only.parts.length === 1 ? only.parts[0] : undefined;
  return part?.type === "text" ? (part as { content: string }).content : messages;
}
