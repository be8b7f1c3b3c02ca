/**
 * spanwise/ai-sdk: a telemetry integration for the Vercel AI SDK v7 (`ai@7`). Register it with
 * `registerTelemetry(spanwiseTelemetry())` and every generateText, streamText, generateObject,
 * streamObject, embed and embedMany call becomes an agent → step → LLM / tool span tree under
 * the current span, with tokens, cost and time to first token. No OpenTelemetry API needed.
 *
 * @module
 */
export { spanwiseTelemetry } from "./spanwise-telemetry.js";
export type { SpanwiseTelemetryOptions } from "./spanwise-telemetry.js";
export type { SpanwiseTelemetry } from "./events.js";
