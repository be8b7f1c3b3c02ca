import type { AttributeValue } from "../attributes.js";
import type { Context } from "../context.js";
import type { SpanRecord } from "../span.js";
import type { Tracer } from "../tracer.js";
import { setIO, setUsage } from "./attributes.js";
import { type CostUsage, computeCost } from "./cost.js";
import type { Message } from "./messages.js";
import { type PriceLookup, createPriceLookup } from "./pricing.js";
import { recordError } from "./record-error.js";
import { openInferenceNames } from "./provider-name.js";
import { toolDefinitions } from "./tool-definitions.js";

/** What an LLM request asks for, in provider-neutral terms. */
export interface LLMRequest {
  provider: string;
  /** `gen_ai.operation.name`: chat, embeddings, generate_content, text_completion. */
  operation: string;
  model?: string | undefined;
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  topP?: number | undefined;
  stream?: boolean | undefined;
  topK?: number | undefined;
  seed?: number | undefined;
  frequencyPenalty?: number | undefined;
  presencePenalty?: number | undefined;
  stopSequences?: string[] | undefined;
  /** How many choices were asked for (`n`, `candidateCount`); recorded when not 1. */
  choiceCount?: number | undefined;
  /** `gen_ai.output.type`: "json" for a JSON response format, "text" for plain text. */
  outputType?: string | undefined;
  /** Embeddings: the dimensions asked for and the encoding format. */
  dimensions?: number | undefined;
  encodingFormats?: string[] | undefined;
  messages?: Message[] | undefined;
  /** System instructions, kept apart as GenAI does (`gen_ai.system_instructions`). */
  system?: unknown;
  tools?: unknown[] | undefined;
  /** The request as sent, for `input.value`. */
  raw?: unknown;
}

/** What came back, assembled from a JSON body or a stream's events. */
export interface LLMResult {
  model?: string | undefined;
  id?: string | undefined;
  finishReasons: string[];
  /** Token usage; `cacheWrite1hTokens` only prices the call. */
  usage: CostUsage;
  output?: Message[] | undefined;
  /** For `output.value`: the assistant's text, or the raw answer. */
  outputValue?: unknown;
  embeddings?: number | undefined;
  /** The failure the provider reported inside a successful HTTP answer (a stream's error event). */
  error?: { name: string; message: string } | undefined;
  /** A stream's own end marker arrived (`[DONE]`, message_stop), whatever its finish reasons. */
  ended?: boolean | undefined;
}

const lookups = new WeakMap<object, PriceLookup>();

/**
 * Writes who answers an LLM call and with which model, in both conventions: the GenAI provider
 * name, OpenInference's spelling of it (`llm.provider`, `llm.system`), and the model asked for
 * (`llm.model_name`, or `embedding.model_name` for an embedding call).
 *
 * @example
 * setProviderAndModel(span, "llm", "gcp.vertex_ai", "gemini-2.5-pro");
 */
export function setProviderAndModel(s: SpanRecord, type: "llm" | "embedding", provider: string | undefined, model: string | undefined): void {
  if (typeof provider === "string") {
    const [oiProvider, system] = openInferenceNames(provider);
    s.setAttribute("gen_ai.provider.name", provider);
    s.setAttribute("llm.provider", oiProvider);
    s.setAttribute("llm.system", system);
  }
  if (typeof model === "string" && model !== "") {
    s.setAttribute("gen_ai.request.model", model);
    s.setAttribute(type === "llm" ? "llm.model_name" : "embedding.model_name", model);
  }
}

/**
 * Starts the span of an LLM call (type `llm`, or `embedding` for embeddings) with its request
 * attributes; content attributes only when `captureContent` is on.
 *
 * @param t - the tracer
 * @param ctx - the context to start under (its span is the parent)
 * @param req - what the request asked for
 * @returns the span, to end with `finishLLMSpan`
 * @example
 * const s = startLLMSpan(t, t.storage.get(), { provider: "openai", operation: "chat", model: "gpt-4o-mini" });
 */
export function startLLMSpan(t: Tracer, ctx: Context | undefined, req: LLMRequest): SpanRecord {
  const type = req.operation === "embeddings" ? "embedding" : "llm";
  const s = t.start(req.model ? `${req.operation} ${req.model}` : req.operation, type, "client", undefined, ctx, ctx?.scope);
  s.setAttribute("gen_ai.operation.name", req.operation);
  s.setAttribute("openinference.span.kind", type === "llm" ? "LLM" : "EMBEDDING");
  setProviderAndModel(s, type, req.provider, req.model);
  if (req.stream) s.setAttribute("gen_ai.request.stream", true);
  // The sampling parameters asked for, as GenAI request attributes and, for OpenInference, as one
  // JSON object (`llm.invocation_parameters`, which Phoenix's playground replays).
  const asked: [string, string, unknown][] = [
    ["gen_ai.request.temperature", "temperature", req.temperature],
    ["gen_ai.request.max_tokens", "max_tokens", req.maxTokens],
    ["gen_ai.request.top_p", "top_p", req.topP],
    ["gen_ai.request.top_k", "top_k", req.topK],
    ["gen_ai.request.seed", "seed", req.seed],
    ["gen_ai.request.frequency_penalty", "frequency_penalty", req.frequencyPenalty],
    ["gen_ai.request.presence_penalty", "presence_penalty", req.presencePenalty],
    ["gen_ai.request.stop_sequences", "stop_sequences", req.stopSequences?.length ? req.stopSequences : undefined],
    ["gen_ai.request.choice.count", "n", req.choiceCount === 1 ? undefined : req.choiceCount],
    ["gen_ai.output.type", "", req.outputType],
    ["gen_ai.embeddings.dimension.count", "dimensions", req.dimensions],
    // OpenInference records the format as the request sent it: one string.
    ["gen_ai.request.encoding_formats", "encoding_format", req.encodingFormats],
  ];
  const invocation: Record<string, unknown> = {};
  for (const [key, name, value] of asked) {
    if (value === undefined) continue;
    s.setAttribute(key, value as AttributeValue);
    if (name !== "") invocation[name] = Array.isArray(value) && name === "encoding_format" && value.length === 1 ? value[0] : value;
  }
  if (Object.keys(invocation).length > 0) s.setAttribute(type === "llm" ? "llm.invocation_parameters" : "embedding.invocation_parameters", invocation);
  if (req.tools && req.tools.length > 0) s.setAttribute("gen_ai.tool.definitions", toolDefinitions(req.tools));
  if (t.config.captureContent) {
    const len = t.limits.captureLength;
    if (req.messages) s.setAttribute("gen_ai.input.messages", req.messages);
    if (req.system !== undefined) s.setAttribute("gen_ai.system_instructions", req.system);
    if (req.raw !== undefined) setIO(s, "input", req.raw, len);
  }
  return s;
}

/** How an LLM call ended. */
export interface LLMEnd {
  cancelled?: boolean;
  /** The stream's body ended (streams only). */
  done?: boolean;
  error?: unknown;
  /** `error.type` for a failure that has a name of its own (`TimeoutError`). */
  errorType?: string | undefined;
  /** Record the error by its type alone: its message may quote content kept off the span. */
  hideMessage?: boolean | undefined;
  /** Milliseconds from the request to the first content chunk (streams only). */
  timeToFirstTokenMs?: number | undefined;
}

/**
 * Sets the response, usage and cost attributes and ends the span. Never throws. A cancelled or
 * failed generation without its output count gets no cost; `end.error`, or else `result.error`, is
 * recorded as an exception with status ERROR.
 *
 * @param t - the tracer
 * @param s - the span from `startLLMSpan`
 * @param result - what came back
 * @param end - `cancelled`, `error`, `errorType`, `hideMessage`, `timeToFirstTokenMs`
 * @example
 * finishLLMSpan(t, s, { finishReasons: ["stop"], usage: { inputTokens: 12, outputTokens: 3 } });
 */
export function finishLLMSpan(t: Tracer, s: SpanRecord, result: LLMResult, end: LLMEnd = {}): void {
  try {
    if (result.model) {
      s.setAttribute("gen_ai.response.model", result.model);
      // OpenInference names the model that answered.
      s.setAttribute(s.type === "embedding" ? "embedding.model_name" : "llm.model_name", result.model);
    }
    if (result.id) s.setAttribute("gen_ai.response.id", result.id);
    if (result.finishReasons.length > 0) s.setAttribute("gen_ai.response.finish_reasons", result.finishReasons);
    setUsage(s, result.usage);
    const requested = result.model === undefined || t.config.pricing !== undefined ? (s.attributes["gen_ai.request.model"] as string | undefined) : undefined;
    const model = result.model ?? requested;
    const error = end.error ?? result.error;
    // A generation cut short (cancelled, or failed mid-stream) without its output count would be
    // priced at its input alone: a total that looks exact and is not. Its token counts stay; the
    // cost is left out.
    const partial = (end.cancelled === true || error !== undefined) && s.type === "llm" && result.usage.outputTokens === undefined;
    if (model && !partial) setCost(t, s, model, result.usage, requested);
    if (end.timeToFirstTokenMs !== undefined) {
      s.setAttribute("gen_ai.response.time_to_first_chunk", end.timeToFirstTokenMs / 1000);
      s.setAttribute("llm.time_to_first_token_ms", end.timeToFirstTokenMs);
    }
    if (t.config.captureContent) {
      if (result.output && result.output.length > 0) s.setAttribute("gen_ai.output.messages", result.output);
      if (result.outputValue !== undefined) setIO(s, "output", result.outputValue, t.limits.captureLength);
    }
    if (end.cancelled) s.setAttribute("spanwise.cancelled", true);
    // An error the provider reported in the body (a stream's error event) is typed by its code.
    const errorType = end.errorType ?? (end.error === undefined ? result.error?.name : undefined);
    if (errorType !== undefined) s.setAttribute("error.type", errorType);
    if (error !== undefined) recordError(s, error, end.hideMessage !== true);
  } catch (err) {
    t.internalError("llm span", err);
  }
  if (s.endTime === 0) s.end();
}

/**
 * Sets `llm.cost.prompt`, `llm.cost.completion` and `llm.cost.total` from the price table (and
 * `init({ pricing })`); an unpriced model gets one warning and no cost attributes.
 *
 * @param t - the tracer, whose config holds the pricing
 * @param s - the LLM span
 * @param model - the model the call used
 * @param usage - its token usage
 * @param requested - the model asked for, where a price of the user's may name it (an alias)
 * @example
 * setCost(t, span, "gpt-4o-mini", { inputTokens: 120, outputTokens: 45 });
 */
export function setCost(t: Tracer, s: SpanRecord, model: string, usage: CostUsage, requested?: string): void {
  let lookup = lookups.get(t.config);
  if (lookup === undefined) {
    lookup = createPriceLookup(t.config.pricing);
    lookups.set(t.config, lookup);
  }
  const price = lookup(model, requested);
  if (price === undefined) {
    t.log.warnOnce(`unpriced:${model}`, `no price for model "${model}": its spans carry no llm.cost.* attributes. Add it with init({ pricing: { "${model}": { input, output } } }) (US$ per million tokens).`, true);
    return;
  }
  const cost = computeCost(usage, price);
  if (cost === undefined) return;
  s.setAttribute("llm.cost.prompt", cost.prompt);
  s.setAttribute("llm.cost.completion", cost.completion);
  s.setAttribute("llm.cost.total", cost.total);
}
