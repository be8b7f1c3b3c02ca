import type { LLMRequest, LLMResult } from "./llm-span.js";

/** What one stream event means for the span and for the caller. */
export interface StreamStep {
  /** True when the event carries output (for time to first token). */
  content: boolean;
  /** True when the event exists only because spanwise asked for usage. */
  drop: boolean;
  /** True when the event carries a `"usage":null` member only because spanwise asked for usage. */
  usageNull?: boolean;
}

/** Follows one streamed response, event by event. */
export interface StreamAccumulator {
  /** Takes one SSE event; dropped events and `"usage":null` members never reach the caller. */
  event(name: string | undefined, data: string): StreamStep;
  /** What the events so far add up to. */
  result(): LLMResult;
}

/** How spanwise reads one provider API's requests, answers and streams. */
export interface ProviderAdapter {
  readonly provider: string;
  parseRequest(body: Record<string, unknown>): LLMRequest;
  parseResponse(body: unknown): LLMResult;
  stream(injectedUsage: boolean): StreamAccumulator;
  /** Returns a request body that asks the stream to report usage, or undefined when it already does or cannot. */
  withUsage?(body: Record<string, unknown>): Record<string, unknown> | undefined;
}

/** A finite non-negative number, or undefined. */
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);
/** A finite number of either sign (a penalty, a seed), or undefined. */
export const real = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** A string or a list of strings as a list, or undefined. */
export const strings = (v: unknown): string[] | undefined => (typeof v === "string" ? [v] : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string") ? (v as string[]) : undefined);
/**
 * `gen_ai.output.type` for a response format's type or MIME type: "json" for JSON (an object or
 * a schema), "text" for plain text, undefined for anything else.
 */
export const outputType = (v: unknown): string | undefined => (v === "json_object" || v === "json_schema" || v === "application/json" ? "json" : v === "text" || v === "text/plain" ? "text" : undefined);
/** A string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
/** An object, or an empty one. */
export const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/**
 * An error a provider reports in place of its answer (`{ type | code, message }`, as a stream's
 * error event carries it) as the span's exception.
 *
 * @param e - the provider's error object
 * @param fallback - the name when the object has neither `code` nor `type`
 * @returns the exception's name and message
 * @example
 * providerError({ type: "overloaded_error", message: "Overloaded" }, "error") // { name: "overloaded_error", message: "Overloaded" }
 */
export function providerError(e: unknown, fallback: string): { name: string; message: string } {
  const o = obj(e);
  return { name: str(o.code) ?? str(o.type) ?? fallback, message: str(o.message) ?? "the provider reported an error" };
}

/** Parses JSON, or undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
