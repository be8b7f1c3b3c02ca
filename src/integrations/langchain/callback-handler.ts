import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { describeError } from "../../core/describe-error.js";
import { onFlush, runFlushHooksIfDue } from "../../core/flush-hooks.js";
import { G } from "../../core/global.js";
import { setIO } from "../../core/llm/attributes.js";
import { claimNextLLMCall, releaseLLMClaim } from "../../core/llm/claimed-calls.js";
import { finishLLMSpan, startLLMSpan } from "../../core/llm/llm-span.js";
import { knownProviderName } from "../../core/llm/provider-name.js";
import type { Message } from "../../core/llm/messages.js";
import { toParts } from "../../core/llm/messages.js";
import { num, obj, str } from "../../core/llm/provider-adapter.js";
import { recordError } from "../../core/llm/record-error.js";
import type { SpanRecord, SpanType } from "../../core/span.js";
import type { TraceData } from "../../core/trace-data.js";
import type { Tracer } from "../../core/tracer.js";
import { langChainParent, openRuns } from "./run-parent.js";

interface Run {
  readonly id: string;
  readonly span: SpanRecord;
  /** The run it was started in, kept alive by its activity. */
  readonly parent: Run | undefined;
  /** The last callback for it or a run inside it (epoch ms). */
  lastEventAt: number;
  /** Runs started inside it and still open. */
  children: number;
  /** A model run that has reported a streamed token: a consumer may leave it half-read. */
  streamed: boolean;
}

const MAX_OPEN_RUNS = 10_000;
const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Options of `CallbackHandler`. */
export interface CallbackHandlerOptions {
  /**
   * How long a model run that has streamed tokens may go without another before its span (and
   * those of the runs it was inside, once nothing else in them is open) is ended as cancelled
   * with `spanwise.abandoned=true`: LangChain reports nothing when a consumer stops reading a
   * `.stream()`. Any other run (waiting on a model, a tool, code of its own, or a stream left at
   * its first chunk, whose token LangChain reports after handing it over) gets three times as
   * long. Default 5 minutes (so 15 minutes for the others, past the 10-minute request timeout of
   * the OpenAI and Anthropic SDKs).
   */
  idleTimeoutMs?: number;
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
  // With outputVersion "v1" a call is in the content too: recorded once. Each call in the content
  // stands for one in tool_calls, so two calls alike (no id, same tool) are both kept.
  const inContent = parts.filter((p) => p.type === "tool_call") as { id?: string; name?: string }[];
  for (const call of Array.isArray(msg.tool_calls) ? (msg.tool_calls as Record<string, unknown>[]) : []) {
    const i = inContent.findIndex((p) => p.id === str(call.id) && p.name === String(call.name));
    if (i >= 0) inContent.splice(i, 1);
    else parts.push({ type: "tool_call", id: str(call.id), name: String(call.name), arguments: call.args });
  }
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
  private readonly idleTimeoutMs: number;
  private offFlush: (() => void) | undefined = undefined;

  /**
   * @param options - `idleTimeoutMs`: when a run that reports nothing more counts as abandoned
   */
  constructor(options: CallbackHandlerOptions = {}) {
    super();
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    // Code running inside a run (a tool's observe'd function, a wrapped client) nests under it.
    G.parentHint ??= langChainParent;
  }

  /**
   * Whether a new run may open: runs abandoned anywhere (by any handler) are ended first, at most
   * once a second, and no more than MAX_OPEN_RUNS stay open.
   */
  private roomForRun(t: Tracer): boolean {
    runFlushHooksIfDue();
    if (openRuns.size < MAX_OPEN_RUNS) return true;
    t.counters.dropped.tooManyOpen++;
    t.log.warnOnce("langchain-open-runs", `${MAX_OPEN_RUNS} LangChain runs are open at once; further runs are not traced until some end (counted in stats().dropped.tooManyOpen).`);
    return false;
  }

  private add(runId: string, span: SpanRecord, parent: Run | undefined): void {
    this.runs.set(runId, { id: runId, span, parent, lastEventAt: Date.now(), children: 0, streamed: false });
    if (parent !== undefined) parent.children++;
    this.touch(parent);
    // Ends what will never report its end, before each flush and when any run starts.
    this.offFlush ??= onFlush((trace, final) => this.sweep(trace, final));
  }

  /** Marks a run and the runs it is inside as alive now. */
  private touch(run: Run | undefined): void {
    const now = Date.now();
    for (let r = run; r !== undefined; r = r.parent) r.lastEventAt = now;
  }

  /** Removes a run (its end is activity of the run it is inside); the last one removes the flush hook. */
  private take(runId: string, ended = true): Run | undefined {
    const run = this.runs.get(runId);
    if (run === undefined) return undefined;
    this.runs.delete(runId);
    if (run.parent !== undefined) run.parent.children--;
    if (ended) this.touch(run.parent);
    if (this.runs.size === 0) {
      this.offFlush?.();
      this.offFlush = undefined;
    }
    return run;
  }

  /**
   * Ends, as cancelled and abandoned, the runs of a serverless invocation that is flushing, and
   * a model run whose tokens stopped `idleTimeoutMs` ago (a stream its consumer left: LangChain
   * calls no end for it) with the runs it was inside that have nothing else open and nothing
   * newer. A run that has streamed nothing may be waiting on a model, a tool or its own code: it
   * is ended only after three times as long.
   */
  private sweep(trace: TraceData | undefined, final?: boolean): void {
    const now = Date.now();
    const oldest = now - this.idleTimeoutMs;
    for (const run of this.runs.values()) {
      // At shutdown every run ends: its own end would reach no tracer, and a run started after
      // init() again must not nest under a span that no tracer exports.
      if (!final && (trace !== undefined ? run.span.trace !== trace : run.lastEventAt > (run.streamed ? oldest : now - 3 * this.idleTimeoutMs))) continue;
      this.abandon(run);
      for (let p = run.parent; p !== undefined && p.children === 0 && p.lastEventAt <= oldest && this.runs.has(p.id); p = p.parent) this.abandon(p);
    }
  }

  private abandon(run: Run): void {
    this.take(run.id, false);
    releaseLLMClaim(run.span);
    if (run.span.endTime !== 0) return;
    run.span.setAttribute("spanwise.cancelled", true);
    run.span.setAttribute("spanwise.abandoned", true);
    run.span.end();
  }

  private open(runId: string, parentRunId: string | undefined, name: string, type: SpanType, input: unknown): void {
    const t = G.tracer;
    if (t === undefined) return;
    try {
      const ctx = t.storage.get();
      if (ctx?.suppressed || !this.roomForRun(t)) return;
      const parent = parentRunId === undefined ? undefined : this.runs.get(parentRunId);
      const span = t.start(name, type, undefined, parent?.span, ctx, ctx?.scope);
      if (input !== undefined && t.config.captureContent) setIO(span, "input", input, t.limits.captureLength);
      this.add(runId, span, parent);
    } catch (err) {
      t.internalError("langchain", err);
    }
  }

  private close(runId: string, output: unknown, error?: unknown): void {
    // Taken first, whether tracing still runs or not: a run that ends after shutdown() is not kept.
    const run = this.take(runId);
    const t = G.tracer;
    if (run === undefined || t === undefined) return;
    try {
      if (output !== undefined && t.config.captureContent) setIO(run.span, "output", output, t.limits.captureLength);
      const type = error === undefined ? undefined : describeError(error).type;
      // The caller's abort (an AbortSignal given to invoke) is a cancel, as on a wrapped client;
      // a timeout signal's TimeoutError stays an error.
      if (type === "AbortError") run.span.setAttribute("spanwise.cancelled", true);
      else if (type !== undefined) {
        // What a LangChain error says can be content (an OutputParserException quotes the answer).
        run.span.setAttribute("error.type", type);
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
      if (ctx?.suppressed || !this.roomForRun(t)) return;
      const params = obj(extraParams?.invocation_params);
      const model = str(params.model) ?? str(params.model_name) ?? str(metadata?.ls_model_name);
      const named = str(metadata?.ls_provider) ?? llm?.id?.at(-1) ?? "langchain";
      const provider = knownProviderName(named) ?? named;
      const parent = parentRunId === undefined ? undefined : this.runs.get(parentRunId);
      const span = startLLMSpan(t, parent ? { ...ctx, span: parent.span } : ctx, {
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
      this.add(runId, span, parent);
    } catch (err) {
      t.internalError("langchain", err);
    }
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    // A stream being read is alive, however long it takes; one whose tokens stop may be left.
    const run = this.runs.get(runId);
    if (run !== undefined) run.streamed = true;
    this.touch(run);
  }

  override handleLLMEnd(output: { generations?: unknown[][]; llmOutput?: Record<string, unknown> }, runId: string): void {
    const run = this.take(runId);
    const t = G.tracer;
    if (run === undefined) return;
    releaseLLMClaim(run.span);
    if (t === undefined) return;
    const generations = (output?.generations?.[0] ?? []) as { text?: string; message?: unknown; generationInfo?: Record<string, unknown> }[];
    const first = generations[0];
    const message = obj(first?.message);
    const meta = obj(message.usage_metadata);
    const legacy = obj(output?.llmOutput?.tokenUsage ?? output?.llmOutput?.usage);
    const response = obj(message.response_metadata);
    // OpenAI-style models report finish_reason; ChatAnthropic keeps Anthropic's stop_reason.
    const reason = str(first?.generationInfo?.finish_reason) ?? str(response.finish_reason) ?? str(response.stop_reason);
    finishLLMSpan(t, run.span, {
      model: str(response.model_name) ?? str(output?.llmOutput?.model_name),
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
      // The output message carries its finish reason, as the GenAI output-message schema asks.
      output: first?.message ? [{ ...toMessage(first.message), finish_reason: reason }] : first?.text !== undefined ? [{ role: "assistant", parts: toParts(first.text), finish_reason: reason }] : [],
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
    if (G.tracer?.config.captureContent && typeof query === "string") this.runs.get(runId)?.span.setAttribute("gen_ai.retrieval.query.text", query);
  }

  override handleRetrieverEnd(documents: unknown[], runId: string): void {
    const span = this.runs.get(runId)?.span;
    if (span !== undefined && Array.isArray(documents)) {
      try {
        const config = G.tracer?.config;
        recordDocuments(span, documents, config?.captureContent === true, config?.maxAttributes ?? 128);
      } catch (err) {
        G.tracer?.internalError("langchain", err);
      }
    }
    this.close(runId, documents.map((d) => ({ content: obj(d).pageContent, metadata: obj(d).metadata })));
  }

  override handleRetrieverError(err: unknown, runId: string): void {
    this.close(runId, undefined, err);
  }
}

/** The most documents of a retrieval recorded one by one (OpenInference). */
const MAX_DOCUMENTS = 20;
/** Attributes a retrieval span has besides its documents, kept room for under `maxAttributes`. */
const OTHER_ATTRIBUTES = 40;

/**
 * A retrieval's documents in both conventions: GenAI's `gen_ai.retrieval.documents` (ids and
 * scores) and OpenInference's `retrieval.documents.N.document.*` (id, score, and with content
 * capture the text and metadata), which Phoenix shows as the retrieved documents.
 */
function recordDocuments(span: SpanRecord, documents: unknown[], content: boolean, maxAttributes: number): void {
  span.setAttribute("retrieval.documents.count", documents.length);
  // Up to four attributes a document: a low maxAttributes must still leave room for the span's own.
  const shown = Math.min(MAX_DOCUMENTS, Math.floor((maxAttributes - OTHER_ATTRIBUTES) / 4));
  const ranked: { id?: string; score?: number }[] = [];
  documents.forEach((d, i) => {
    const doc = obj(d);
    const metadata = obj(doc.metadata);
    const raw = doc.id ?? metadata.id;
    const id = typeof raw === "string" ? raw : typeof raw === "number" && Number.isFinite(raw) ? String(raw) : undefined;
    const score = typeof metadata.score === "number" ? metadata.score : typeof metadata.relevance_score === "number" ? metadata.relevance_score : undefined;
    if (id !== undefined || score !== undefined) ranked.push({ id, score });
    if (i >= shown) return;
    const key = `retrieval.documents.${i}.document`;
    if (id !== undefined) span.setAttribute(`${key}.id`, id);
    if (score !== undefined) span.setAttribute(`${key}.score`, score);
    if (content && typeof doc.pageContent === "string") span.setAttribute(`${key}.content`, doc.pageContent);
    if (content && doc.metadata !== undefined) span.setAttribute(`${key}.metadata`, doc.metadata);
  });
  if (ranked.length > 0) span.setAttribute("gen_ai.retrieval.documents", ranked);
}
