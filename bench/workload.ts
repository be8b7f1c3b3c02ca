import type { Span as OtelSpan, Tracer as OtelTracer } from "@opentelemetry/api";
import { type Span, span } from "../src/runtimes/node/index.js";

// The two SDKs get separate but identical bodies, so neither shares call-site feedback (inline
// caches) with the other and each is optimised as it would be in an application using only it.

const CHILDREN = 4;

/** Spans one trace produces: a parent and its children. */
export const SPANS_PER_TRACE = 1 + CHILDREN;

/**
 * How the hot-path rows size each SDK's queue: large enough to hold every span of a round, with
 * the timed export an hour away, so that nothing exports inside a timed round.
 */
export const HOLD_ALL = { maxQueueSize: 1_000_000, maxExportBatchSize: 100_000, delayMs: 3_600_000 } as const;

/** Traces per timed round: 50k spans, under the export batch size so nothing exports mid-round. */
export const TRACES_PER_ROUND = 10_000;

/**
 * One spanwise trace: a parent with four children, five attributes each, nested through the
 * active (AsyncLocalStorage) context. With `withEvent`, the first child also records an event.
 *
 * @example
 * spanwiseTrace(false);
 */
export function spanwiseTrace(withEvent: boolean): void {
  span("agent.run", (parent: Span) => {
    parent.setAttribute("gen_ai.agent.name", "support-bot");
    parent.setAttribute("session.id", "chat-42");
    parent.setAttribute("user.id", "u-1");
    parent.setAttribute("agent.step", 3);
    parent.setAttribute("agent.streaming", false);
    for (let i = 0; i < CHILDREN; i++) {
      span("tool.search", (child: Span) => {
        child.setAttribute("tool.name", "search");
        child.setAttribute("gen_ai.request.model", "gpt-4o-mini");
        child.setAttribute("gen_ai.usage.input_tokens", 120);
        child.setAttribute("llm.temperature", 0.7);
        child.setAttribute("cache.hit", true);
        if (withEvent && i === 0) child.addEvent("retrieval.done", { "documents.count": 3, "index.name": "faq" });
      });
    }
  });
}

/**
 * The same trace with OpenTelemetry: `startActiveSpan` for every span, ended in `finally` as a
 * user would (spanwise's `span()` ends on throw too).
 *
 * @example
 * otelTrace(provider.getTracer("bench"), false);
 */
export function otelTrace(tracer: OtelTracer, withEvent: boolean): void {
  tracer.startActiveSpan("agent.run", (parent: OtelSpan) => {
    try {
      parent.setAttribute("gen_ai.agent.name", "support-bot");
      parent.setAttribute("session.id", "chat-42");
      parent.setAttribute("user.id", "u-1");
      parent.setAttribute("agent.step", 3);
      parent.setAttribute("agent.streaming", false);
      for (let i = 0; i < CHILDREN; i++) {
        tracer.startActiveSpan("tool.search", (child: OtelSpan) => {
          try {
            child.setAttribute("tool.name", "search");
            child.setAttribute("gen_ai.request.model", "gpt-4o-mini");
            child.setAttribute("gen_ai.usage.input_tokens", 120);
            child.setAttribute("llm.temperature", 0.7);
            child.setAttribute("cache.hit", true);
            if (withEvent && i === 0) child.addEvent("retrieval.done", { "documents.count": 3, "index.name": "faq" });
          } finally {
            child.end();
          }
        });
      }
    } finally {
      parent.end();
    }
  });
}
