import { describeError } from "../../core/describe-error.js";
import { runFlushHooksIfDue } from "../../core/flush-hooks.js";
import { G } from "../../core/global.js";
import { setIO } from "../../core/llm/attributes.js";
import { claimLLMCall, claimNextLLMCall, releaseLLMClaim } from "../../core/llm/claimed-calls.js";
import { type LLMEnd, type LLMResult, finishLLMSpan, startLLMSpan } from "../../core/llm/llm-span.js";
import { num, obj, real, str, strings } from "../../core/llm/provider-adapter.js";
import type { SpanRecord } from "../../core/span.js";
import type {
  AIEmbedEvent,
  AIEndEvent,
  AIModelCallEndEvent,
  AIModelCallStartEvent,
  AIObjectStepEndEvent,
  AIObjectStepStartEvent,
  AIStepEndEvent,
  AIStepEvent,
  AIToolEndEvent,
  AIToolStartEvent,
  SpanwiseTelemetry,
} from "./events.js";
import type { Call } from "./call.js";
import { endSpan } from "./end-span.js";
import { ending } from "./ending.js";
import { closeCall, finishAll } from "./finish-all.js";
import { createOpenCalls } from "./open-calls.js";
import { genAIProviderName } from "../../core/llm/provider-name.js";
import { startCall } from "./start-call.js";
import { toUsage } from "./to-usage.js";
import { toGenAIMessages, toGenAIParts, toSystemParts } from "./to-genai-messages.js";
import { within } from "./within.js";

const EMPTY: LLMResult = { finishReasons: [], usage: {} };
const MAX_OPEN_CALLS = 10_000;
const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Options of `spanwiseTelemetry`. */
export interface SpanwiseTelemetryOptions {
  /**
   * How long a call may go without any AI SDK event (and not waiting on a model or tool) before
   * its spans are ended as cancelled with `spanwise.abandoned=true`: the AI SDK reports nothing
   * when a consumer stops reading a stream without an `abortSignal`. Default 5 minutes.
   */
  idleTimeoutMs?: number;
}

/**
 * Creates spanwise's telemetry integration for the Vercel AI SDK v7. Register it once with
 * `registerTelemetry()` from `ai`, or per call in `telemetry: { integrations: [...] }`. Every
 * `generateText`, `streamText`, `generateObject`, `streamObject`, `embed` and `embedMany` then
 * becomes a span tree under the current span: `invoke_agent` → `step N` → `chat <model>` (with
 * tokens, cost and, for streams, time to first token) and `execute_tool <name>`; embeddings
 * become `embed <model>` → `embeddings <model>`. Errors are recorded on the spans they end;
 * an abort ends them as cancelled, with no token count invented. The integration never throws.
 *
 * @param options - `idleTimeoutMs`: when a call that reports nothing more counts as abandoned
 * @returns the integration; one instance serves any number of concurrent calls
 * @example
 * import { registerTelemetry } from "ai";
 * import { spanwiseTelemetry } from "spanwise/ai-sdk";
 * registerTelemetry(spanwiseTelemetry());
 */
export function spanwiseTelemetry(options: SpanwiseTelemetryOptions = {}): SpanwiseTelemetry {
  const calls = createOpenCalls(options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  const close = (callId: string | undefined, how: (call: Call) => LLMEnd): void => {
    const call = callId === undefined ? undefined : calls.take(callId);
    if (call !== undefined) closeCall(call, how(call));
  };

  /** Runs one callback body with its call, isolating the AI SDK from any error of ours. */
  const on = <E extends { readonly callId?: string }>(where: string, body: (call: Call, event: E) => void) => (event: E): void => {
    const call = typeof event?.callId === "string" ? calls.get(event.callId) : undefined;
    if (call === undefined) return;
    call.lastEventAt = Date.now();
    try {
      body(call, event);
    } catch (err) {
      call.t.internalError(`ai-sdk ${where}`, err);
    }
  };

  const child = (call: Call, name: string, type: "workflow" | "tool", parent: SpanRecord): SpanRecord => call.t.start(name, type, "internal", parent, call.ctx, call.ctx?.scope);

  return {
    onStart(event) {
      const t = G.tracer;
      if (t === undefined || typeof event?.callId !== "string") return;
      try {
        calls.sweepIfDue();
        // Other instances' calls too: one made per call never sees another call of its own.
        runFlushHooksIfDue();
        const ctx = t.storage.get();
        if (ctx?.suppressed) return;
        // Calls whose end never comes (a stream nobody reads) must not grow the map forever.
        if (calls.size >= MAX_OPEN_CALLS) {
          t.counters.dropped.tooManyOpen++;
          t.log.warnOnce("ai-sdk-open-calls", `${MAX_OPEN_CALLS} AI SDK calls are open at once; further calls are not traced until some end (counted in stats().dropped.tooManyOpen).`);
          return;
        }
        calls.add(event.callId, startCall(t, ctx, event));
      } catch (err) {
        t.internalError("ai-sdk onStart", err);
      }
    },

    onStepStart: on<AIStepEvent>("onStepStart", (call, event) => {
      if (call.step) endSpan(call.step, {});
      call.step = child(call, `step ${(num(event.stepNumber) ?? 0) + 1}`, "workflow", call.root);
    }),

    onLanguageModelCallStart: on<AIModelCallStartEvent>("onLanguageModelCallStart", (call, event) => {
      const { messages, system } = toGenAIMessages(event.messages);
      const chat = startLLMSpan(call.t, { ...call.ctx, span: call.step ?? call.root }, {
        provider: providerOf(call, event.provider),
        operation: "chat",
        model: str(event.modelId),
        temperature: num(event.temperature),
        maxTokens: num(event.maxOutputTokens),
        topP: num(event.topP),
        topK: num(event.topK),
        seed: real(event.seed),
        frequencyPenalty: real(event.frequencyPenalty),
        presencePenalty: real(event.presencePenalty),
        stopSequences: strings(event.stopSequences),
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
      if (out.type === "tool-error") {
        // The AI SDK reports the tool failed and goes on: an error, even when its cause was an abort.
        // With recordOutputs false it reports no error at all: the one the tool threw stands in.
        const error = asThrown(call, id, out.error) ?? new Error("the tool failed");
        call.thrown.delete(id);
        endSpan(s, { error, errorType: ending(error).errorType ?? describeError(error).type, hideMessage: !(call.inputs && call.outputs) });
        return;
      }
      if (call.outputs && out.output !== undefined) {
        s.setAttribute("gen_ai.tool.call.result", out.output);
        setIO(s, "output", out.output, call.t.limits.captureLength);
      }
      s.end();
    }),

    onStepEnd: on<AIStepEndEvent>("onStepEnd", (call, event) => {
      // A stream that closes after an error chunk may end its step without a model-call end.
      if (call.chat) {
        if (event.finishReason === "error") call.chat.setStatus("error", "the model call finished with an error");
        finishLLMSpan(call.t, call.chat, EMPTY, {});
      }
      call.chat = undefined;
      if (call.step === undefined) return;
      if (event.finishReason === "error") call.step.setStatus("error", "the step finished with an error");
      call.step.end();
      call.step = undefined;
    }),

    onStepError: on<AIStepEvent>("onStepError", (call, event) => finishAll(call, ending(asThrown(call, "", event.error)))),

    onObjectStepStart: on<AIObjectStepStartEvent>("onObjectStepStart", (call, event) => {
      call.step = child(call, "step 1", "workflow", call.root);
      const { messages, system } = toGenAIMessages(event.promptMessages);
      const chat = startLLMSpan(call.t, { ...call.ctx, span: call.step }, {
        provider: providerOf(call, event.provider),
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
      // generateObject makes its provider request outside executeLanguageModelCall, in this context.
      claimNextLLMCall(call.t.storage.get(), str(event.modelId), chat);
      chat.setAttribute("gen_ai.output.type", "json");
      call.chat = chat;
    }),

    onObjectStepEnd: on<AIObjectStepEndEvent>("onObjectStepEnd", (call, event) => {
      const chat = call.chat;
      call.chat = undefined;
      const reason = str(event.finishReason);
      if (chat) {
        releaseLLMClaim(chat);
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
      const s = startLLMSpan(call.t, { ...call.ctx, span: call.root }, { provider: providerOf(call, event.provider), operation: "embeddings", model: str(event.modelId), raw: call.inputs ? event.values : undefined });
      claimLLMCall(s);
      claimNextLLMCall(call.t.storage.get(), str(event.modelId), s);
      call.embeds.set(String(event.embedCallId), s);
    }),

    onEmbedEnd: on<AIEmbedEvent>("onEmbedEnd", (call, event) => {
      const s = call.embeds.get(String(event.embedCallId));
      if (s === undefined) return;
      call.embeds.delete(String(event.embedCallId));
      releaseLLMClaim(s);
      const tokens = num(event.usage?.tokens);
      finishLLMSpan(call.t, s, { model: str(event.modelId), finishReasons: [], usage: { inputTokens: tokens, totalTokens: tokens }, embeddings: Array.isArray(event.embeddings) ? event.embeddings.length : undefined });
    }),

    onEnd(event) {
      const call = typeof event?.callId === "string" ? calls.take(event.callId) : undefined;
      if (call === undefined) return;
      try {
        finishAll(call, {});
        const root = call.root;
        const reason = str(event.finishReason);
        if (root.type === "agent") {
          if (reason) root.setAttribute("gen_ai.response.finish_reasons", [reason]);
          // Totals under spanwise's own names: backends sum gen_ai.usage.* and llm.token_count.*
          // over a trace, so the chat spans alone carry those.
          const usage = toUsage(event.usage);
          if (usage.inputTokens !== undefined) root.setAttribute("spanwise.agent.usage.input_tokens", usage.inputTokens);
          if (usage.outputTokens !== undefined) root.setAttribute("spanwise.agent.usage.output_tokens", usage.outputTokens);
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
      close(event?.callId, () => ({ cancelled: true }));
    },

    onError(error) {
      const e = obj(error);
      close(str(e.callId), (call) => ending(asThrown(call, "", "error" in e ? e.error : error)));
    },

    executeLanguageModelCall({ callId, execute }) {
      return within(calls.get(callId), (call) => call.chat, execute, "");
    },

    executeTool({ callId, toolCallId, execute }) {
      return within(calls.get(callId), (call) => call.tools.get(toolCallId), execute, toolCallId);
    },
  };
}

/** The GenAI provider name of an event's model, or the call's when the event names none. */
function providerOf(call: Call, provider: unknown): string {
  return typeof provider === "string" && provider !== "" ? genAIProviderName(provider) : call.provider;
}

/**
 * The error an execution threw, where the AI SDK reports a stand-in for it: with `recordInputs` or
 * `recordOutputs` false it replaces every error with `Error("AI SDK operation failed")` (and a
 * tool's with nothing), which says neither abort nor timeout.
 */
function asThrown(call: Call, key: string, reported: unknown): unknown {
  const standIn = reported === undefined || (reported instanceof Error && reported.message === "AI SDK operation failed" && (!call.inputs || !call.outputs));
  return standIn && call.thrown.has(key) ? call.thrown.get(key) : reported;
}
