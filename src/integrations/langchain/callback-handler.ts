import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { describeError } from "../../core/describe-error.js";
import { G } from "../../core/global.js";
import { setIO } from "../../core/llm/attributes.js";
import { claimNextLLMCall, releaseLLMClaim } from "../../core/llm/claimed-calls.js";
import { finishLLMSpan, startLLMSpan } from "../../core/llm/llm-span.js";
import type { Message } from "../../core/llm/messages.js";
import { toParts } from "../../core/llm/messages.js";
import { num, obj, str } from "../../core/llm/provider-adapter.js";
import { recordError } from "../../core/llm/record-error.js";
import type { SpanRecord, SpanType } from "../../core/span.js";
import { langChainParent, openRuns } from "./run-parent.js";

interface Run {
  span: SpanRecord;
}

/** A handler's open runs, each also listed in `openRuns` while it is open. */
class RunMap extends Map<string, Run> {
  override set(runId: string, run: Run): this {
    openRuns.set(runId, run.span);
    return super.set(runId, run);
  }

  override delete(runId: string): boolean {
    openRuns.delete(runId);
    return super.delete(runId);
  }
}

// LangChain message classes name their role by type; GenAI uses the chat roles.
const ROLES: Record<string, string> = { human: "user", ai: "assistant", system: "system", tool: "tool", generic: "user" };

function role(m: unknown): string {
  const msg = m as { _getType?: () => string; getType?: () => string; type?: string; role?: string };
  const type = typeof msg.getType === "function" ? msg.getType() : typeof msg._getType === "function" ? msg._getType() : (msg.type ?? msg.role ?? "user");
  return Object.hasOwn(ROLES, type) ? (ROLES[type] as string) : type;
}

function toMessage(m: unknown): Message {
  const msg = obj(m);
  const parts = toParts(msg.content);
  for (const call of Array.isArray(msg.tool_calls) ? (msg.tool_calls as Record<string, unknown>[]) : []) parts.push({ type: "tool_call", id: str(call.id), name: String(call.name), arguments: call.args });
  return { role: role(m), parts };
}

/**
 * A LangChain.js callback handler that records chains, chat models and LLMs (with token usage
 * from the run's output), tools and retrievers as spanwise spans, nested by LangChain's run tree
 * under the span current when the outermost run started, with errors.
 *
 * @example
 * const handler = new CallbackHandler();
 * await chain.invoke(input, { callbacks: [handler] });
 */
export class CallbackHandler extends BaseCallbackHandler {
  name = "spanwise";
  private readonly runs = new RunMap();

  constructor() {
    super();
    // Code running inside a run (a tool's observe'd function, a wrapped client) nests under it.
    G.parentHint ??= langChainParent;
  }

  private open(runId: string, parentRunId: string | undefined, name: string, type: SpanType, input: unknown): void {
    const t = G.tracer;
    if (t === undefined) return;
    try {
      const ctx = t.storage.get();
      if (ctx?.suppressed) return;
      const parent = parentRunId === undefined ? undefined : this.runs.get(parentRunId)?.span;
      const span = t.start(name, type, undefined, parent, ctx, ctx?.scope);
      if (input !== undefined && t.config.captureContent) setIO(span, "input", input, t.limits.captureLength);
      this.runs.set(runId, { span });
    } catch (err) {
      t.internalError("langchain", err);
    }
  }

  private close(runId: string, output: unknown, error?: unknown): void {
    const run = this.runs.get(runId);
    const t = G.tracer;
    if (run === undefined || t === undefined) return;
    this.runs.delete(runId);
    try {
      if (output !== undefined && t.config.captureContent) setIO(run.span, "output", output, t.limits.captureLength);
      if (error !== undefined) {
        // What a LangChain error says can be content (an OutputParserException quotes the answer).
        run.span.setAttribute("error.type", describeError(error).type);
        recordError(run.span, error, t.config.captureContent);
      }
    } catch (err) {
      t.internalError("langchain", err);
    }
    if (run.span.endTime === 0) run.span.end();
  }

  // The declared signature says (runId, runType, tags, metadata, runName, parentRunId); the
  // callback manager of @langchain/core calls (runId, parentRunId, tags, metadata, runType, runName).
  override handleChainStart(chain: { id?: string[] }, inputs: unknown, runId: string, ...rest: unknown[]): void {
    const parentRunId = typeof rest[0] === "string" && this.runs.has(rest[0]) ? rest[0] : typeof rest[5] === "string" && this.runs.has(rest[5]) ? rest[5] : undefined;
    const runName = typeof rest[4] === "string" && rest[4] !== "" ? rest[4] : undefined;
    const name = runName ?? chain?.id?.at(-1) ?? "chain";
    this.open(runId, parentRunId, name, /agent/i.test(name) ? "agent" : "workflow", inputs);
  }

  override handleChainEnd(outputs: unknown, runId: string): void {
    this.close(runId, outputs);
  }

  override handleChainError(err: unknown, runId: string): void {
    this.close(runId, undefined, err);
  }

  override handleChatModelStart(llm: { id?: string[] }, messages: unknown[][], runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>, runName?: string): void {
    this.startModel(llm, (messages[0] ?? []).map(toMessage), runId, parentRunId, extraParams, metadata, runName);
  }

  override handleLLMStart(llm: { id?: string[] }, prompts: string[], runId: string, parentRunId?: string, extraParams?: Record<string, unknown>, _tags?: string[], metadata?: Record<string, unknown>, runName?: string): void {
    this.startModel(llm, prompts.map((p) => ({ role: "user", parts: toParts(p) })), runId, parentRunId, extraParams, metadata, runName, "text_completion");
  }

  private startModel(llm: { id?: string[] }, messages: Message[], runId: string, parentRunId: string | undefined, extraParams: Record<string, unknown> | undefined, metadata: Record<string, unknown> | undefined, runName: string | undefined, operation = "chat"): void {
    const t = G.tracer;
    if (t === undefined) return;
    try {
      const ctx = t.storage.get();
      if (ctx?.suppressed) return;
      const params = obj(extraParams?.invocation_params);
      const model = str(params.model) ?? str(params.model_name) ?? str(metadata?.ls_model_name);
      const provider = str(metadata?.ls_provider) ?? llm?.id?.at(-1) ?? "langchain";
      const parent = parentRunId === undefined ? undefined : this.runs.get(parentRunId)?.span;
      const span = startLLMSpan(t, parent ? { ...ctx, span: parent } : ctx, {
        provider,
        operation,
        model,
        temperature: num(params.temperature) ?? num(metadata?.ls_temperature),
        maxTokens: num(params.max_tokens) ?? num(metadata?.ls_max_tokens),
        topP: num(params.top_p),
        messages,
        tools: Array.isArray(params.tools) ? params.tools : undefined,
        raw: messages,
      });
      if (runName) span.updateName(runName);
      // The model's provider request follows in this context: fetch-level tracing
      // (`init({ instrument })`) leaves it to this span rather than recording it again.
      claimNextLLMCall(ctx, model, span);
      this.runs.set(runId, { span });
    } catch (err) {
      t.internalError("langchain", err);
    }
  }

  override handleLLMEnd(output: { generations?: unknown[][]; llmOutput?: Record<string, unknown> }, runId: string): void {
    const run = this.runs.get(runId);
    const t = G.tracer;
    if (run === undefined || t === undefined) return;
    this.runs.delete(runId);
    releaseLLMClaim(run.span);
    const generations = (output?.generations?.[0] ?? []) as { text?: string; message?: unknown; generationInfo?: Record<string, unknown> }[];
    const first = generations[0];
    const message = obj(first?.message);
    const meta = obj(message.usage_metadata);
    const legacy = obj(output?.llmOutput?.tokenUsage ?? output?.llmOutput?.usage);
    const reason = str(first?.generationInfo?.finish_reason) ?? str(obj(message.response_metadata).finish_reason);
    finishLLMSpan(t, run.span, {
      model: str(obj(message.response_metadata).model_name) ?? str(output?.llmOutput?.model_name),
      finishReasons: reason ? [reason] : [],
      usage: {
        inputTokens: num(meta.input_tokens) ?? num(legacy.promptTokens) ?? num(legacy.prompt_tokens),
        outputTokens: num(meta.output_tokens) ?? num(legacy.completionTokens) ?? num(legacy.completion_tokens),
        totalTokens: num(meta.total_tokens) ?? num(legacy.totalTokens) ?? num(legacy.total_tokens),
        cacheReadTokens: num(obj(meta.input_token_details).cache_read),
        cacheWriteTokens: num(obj(meta.input_token_details).cache_creation),
        // ChatAnthropic keeps Anthropic's own usage in response_metadata, where the cache writes
        // are split by lifetime: the one-hour ones are priced at their own rate.
        cacheWrite1hTokens: num(obj(obj(obj(message.response_metadata).usage).cache_creation).ephemeral_1h_input_tokens),
        reasoningTokens: num(obj(meta.output_token_details).reasoning),
      },
      output: first?.message ? [toMessage(first.message)] : first?.text !== undefined ? [{ role: "assistant", parts: toParts(first.text) }] : [],
      outputValue: first?.text,
    });
  }

  override handleLLMError(err: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run !== undefined) releaseLLMClaim(run.span);
    this.close(runId, undefined, err);
  }

  override handleToolStart(tool: { id?: string[] }, input: string, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Record<string, unknown>, runName?: string, toolCallId?: string): void {
    const name = runName ?? tool?.id?.at(-1) ?? "tool";
    this.open(runId, parentRunId, name, "tool", input);
    const span = this.runs.get(runId)?.span;
    span?.setAttribute("gen_ai.tool.name", name);
    if (toolCallId) span?.setAttribute("gen_ai.tool.call.id", toolCallId);
  }

  override handleToolEnd(output: unknown, runId: string): void {
    this.close(runId, obj(output).content ?? output);
  }

  override handleToolError(err: unknown, runId: string): void {
    this.close(runId, undefined, err);
  }

  override handleRetrieverStart(retriever: { id?: string[] }, query: string, runId: string, parentRunId?: string, _tags?: string[], _metadata?: Record<string, unknown>, name?: string): void {
    this.open(runId, parentRunId, name ?? retriever?.id?.at(-1) ?? "retriever", "retrieval", query);
  }

  override handleRetrieverEnd(documents: unknown[], runId: string): void {
    this.runs.get(runId)?.span.setAttribute("retrieval.documents.count", documents.length);
    this.close(runId, documents.map((d) => ({ content: obj(d).pageContent, metadata: obj(d).metadata })));
  }

  override handleRetrieverError(err: unknown, runId: string): void {
    this.close(runId, undefined, err);
  }
}
