/**
 * The parts of the AI SDK v7 telemetry events spanwise reads, declared here so spanwise's types
 * never depend on `ai`'s. Every field is optional: an event that lacks one is still handled.
 */

/** Token usage as the AI SDK reports it (`inputTokens` includes cached tokens). */
export interface AIUsage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly totalTokens?: number | undefined;
  readonly inputTokenDetails?: { readonly cacheReadTokens?: number | undefined; readonly cacheWriteTokens?: number | undefined } | undefined;
  readonly outputTokenDetails?: { readonly reasoningTokens?: number | undefined } | undefined;
  /** The provider's own usage (Anthropic's splits cache writes by lifetime in `cache_creation`). */
  readonly raw?: unknown;
}

/** What every event carries. */
export interface AIEvent {
  readonly callId: string;
  readonly recordInputs?: boolean | undefined;
  readonly recordOutputs?: boolean | undefined;
  readonly functionId?: string | undefined;
}

/** Settings shared by the start events of text and object generation. */
export interface AICallSettings {
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
  readonly topP?: number | undefined;
  readonly topK?: number | undefined;
  readonly presencePenalty?: number | undefined;
  readonly frequencyPenalty?: number | undefined;
  readonly stopSequences?: readonly string[] | undefined;
  readonly seed?: number | undefined;
}

/** `onStart`: generateText, streamText, generateObject, streamObject, embed, embedMany, ... */
export interface AIStartEvent extends AIEvent, AICallSettings {
  readonly operationId?: string | undefined;
  readonly provider?: string | undefined;
  readonly modelId?: string | undefined;
  readonly instructions?: unknown;
  readonly system?: unknown;
  readonly prompt?: unknown;
  readonly messages?: unknown;
  readonly value?: unknown;
}

/** `onStepStart` and `onStepError`. */
export interface AIStepEvent extends AIEvent {
  readonly stepNumber?: number | undefined;
  readonly error?: unknown;
}

/** `onStepEnd`: a step's result. */
export interface AIStepEndEvent extends AIEvent {
  readonly finishReason?: string | undefined;
}

/** `onLanguageModelCallStart`. */
export interface AIModelCallStartEvent extends AIEvent, AICallSettings {
  readonly provider?: string | undefined;
  readonly modelId?: string | undefined;
  readonly instructions?: unknown;
  readonly messages?: unknown;
  readonly tools?: readonly unknown[] | undefined;
}

/** `onLanguageModelCallEnd`. */
export interface AIModelCallEndEvent extends AIEvent {
  readonly modelId?: string | undefined;
  readonly finishReason?: string | undefined;
  readonly usage?: AIUsage | undefined;
  readonly content?: readonly unknown[] | undefined;
  readonly responseId?: string | undefined;
  readonly performance?: { readonly timeToFirstOutputMs?: number | undefined } | undefined;
}

/** `onObjectStepStart` (generateObject, streamObject). */
export interface AIObjectStepStartEvent extends AIEvent {
  readonly provider?: string | undefined;
  readonly modelId?: string | undefined;
  readonly promptMessages?: unknown;
}

/** `onObjectStepEnd`. */
export interface AIObjectStepEndEvent extends AIEvent {
  readonly finishReason?: string | undefined;
  readonly usage?: AIUsage | undefined;
  readonly objectText?: string | undefined;
  readonly msToFirstChunk?: number | undefined;
  readonly response?: { readonly id?: string | undefined; readonly modelId?: string | undefined } | undefined;
}

/** A tool call as the tool events carry it. */
export interface AIToolCall {
  readonly toolCallId?: string | undefined;
  readonly toolName?: string | undefined;
  readonly input?: unknown;
  readonly providerExecuted?: boolean | undefined;
}

/** `onToolExecutionStart`. */
export interface AIToolStartEvent extends AIEvent {
  readonly toolCall: AIToolCall;
}

/** `onToolExecutionEnd`. */
export interface AIToolEndEvent extends AIEvent {
  readonly toolCall: AIToolCall;
  readonly toolOutput?: { readonly type?: string; readonly output?: unknown; readonly error?: unknown } | undefined;
}

/** `onEmbedStart` / `onEmbedEnd`: one embedding model call. */
export interface AIEmbedEvent extends AIEvent {
  readonly embedCallId: string;
  readonly modelId?: string | undefined;
  readonly provider?: string | undefined;
  readonly values?: readonly unknown[] | undefined;
  readonly embeddings?: readonly unknown[] | undefined;
  readonly usage?: { readonly tokens?: number | undefined } | undefined;
}

/** `onEnd`: text, object and embedding operations. */
export interface AIEndEvent extends AIEvent {
  readonly finishReason?: string | undefined;
  /** `AIUsage` for text and objects; embeddings and speech report other units. */
  readonly usage?: unknown;
  readonly text?: string | undefined;
  readonly object?: unknown;
}

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
