import { safeStringify } from "../serialize.js";
import type { SpanRecord, SpanUpdate, Usage } from "../span.js";

/** Sets `input.value` / `output.value` (OpenInference) with the right mime type. */
export function setIO(span: SpanRecord, which: "input" | "output", value: unknown, maxLength: number): void {
  const text = safeStringify(value, maxLength);
  if (text === undefined) return;
  span.setAttribute(`${which}.value`, text);
  span.setAttribute(`${which}.mime_type`, typeof value === "string" ? "text/plain" : "application/json");
}

/** Writes token usage in both the GenAI and the OpenInference conventions. */
export function setUsage(span: SpanRecord, usage: Usage): void {
  const n = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);
  const input = n(usage.inputTokens);
  const output = n(usage.outputTokens);
  const total = n(usage.totalTokens) ?? (input !== undefined && output !== undefined ? input + output : undefined);
  const pairs: [string, string, number | undefined][] = [
    ["gen_ai.usage.input_tokens", "llm.token_count.prompt", input],
    ["gen_ai.usage.output_tokens", "llm.token_count.completion", output],
    ["gen_ai.usage.cache_read.input_tokens", "llm.token_count.prompt_details.cache_read", n(usage.cacheReadTokens)],
    ["gen_ai.usage.cache_creation.input_tokens", "llm.token_count.prompt_details.cache_write", n(usage.cacheWriteTokens)],
    ["gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning", n(usage.reasoningTokens)],
  ];
  for (const [genai, oi, value] of pairs) {
    if (value === undefined) continue;
    span.setAttribute(genai, value);
    span.setAttribute(oi, value);
  }
  if (total !== undefined) span.setAttribute("llm.token_count.total", total);
}

/** Applies `span.update()` / `updateCurrentSpan()` fields. */
export function applySpanUpdate(span: SpanRecord, fields: SpanUpdate, maxLength: number): void {
  if (typeof fields.name === "string") span.updateName(fields.name);
  if ("input" in fields) setIO(span, "input", fields.input, maxLength);
  if ("output" in fields) setIO(span, "output", fields.output, maxLength);
  if (typeof fields.model === "string") {
    span.setAttribute("gen_ai.request.model", fields.model);
    span.setAttribute("llm.model_name", fields.model);
  }
  if (typeof fields.provider === "string") {
    span.setAttribute("gen_ai.provider.name", fields.provider);
    span.setAttribute("llm.provider", fields.provider);
  }
  if (fields.usage && typeof fields.usage === "object") setUsage(span, fields.usage);
  if (typeof fields.costUsd === "number" && Number.isFinite(fields.costUsd)) span.setAttribute("llm.cost.total", fields.costUsd);
  if (fields.attributes) span.setAttributes(fields.attributes);
  if (fields.metadata && typeof fields.metadata === "object") mergeMetadata(span, fields.metadata, maxLength, true);
  if (Array.isArray(fields.tags)) mergeTags(span, fields.tags);
  if (fields.status) span.setStatus(fields.status, fields.statusMessage);
}

/**
 * Merges into the span's `metadata` attribute (a JSON object, as OpenInference defines it): a
 * span's own update overwrites the keys it names (`overwrite`); enrichment from the trace and
 * scope fills in only keys the span has not set.
 *
 * @param span - the span whose `metadata` attribute to merge into
 * @param metadata - the keys and values to merge
 * @param maxLength - the longest JSON text kept
 * @param overwrite - whether `metadata` wins over keys the span already has
 * @example
 * mergeMetadata(span, { plan: "pro" }, 16384, true);
 */
export function mergeMetadata(span: SpanRecord, metadata: Readonly<Record<string, unknown>>, maxLength: number, overwrite = false): void {
  const existing = readMetadata(span.attributes.metadata);
  const merged = existing ? (overwrite ? { ...existing, ...metadata } : { ...metadata, ...existing }) : metadata;
  const text = safeStringify(merged, maxLength);
  if (text !== undefined) span.putAttribute("metadata", text);
}

function readMetadata(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Adds tags to `tag.tags`, keeping order and dropping duplicates. */
export function mergeTags(span: SpanRecord, tags: readonly unknown[]): void {
  const current = span.attributes["tag.tags"];
  const set = new Set<string>(Array.isArray(current) ? (current as string[]) : []);
  for (const t of tags) if (typeof t === "string" && t !== "") set.add(t);
  if (set.size > 0) span.putAttribute("tag.tags", [...set]);
}
