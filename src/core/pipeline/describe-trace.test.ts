import { describe, expect, it } from "vitest";
import type { SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import { describeTrace } from "./describe-trace.js";

const trace = { sampled: false } as TraceData;

/** An LLM span still holding its attribute list; reading `attributes` (which would make it an object) fails the test. */
function listSpan(attributes: Record<string, unknown>, type = "llm"): SpanRecord {
  const list = Object.entries(attributes).flat();
  const span = { type, statusCode: "unset", startTime: 1, endTime: 2, trace, traceId: "t", attributeList: () => list };
  Object.defineProperty(span, "attributes", { get: () => expect.unreachable("attributes read as an object") });
  return span as unknown as SpanRecord;
}

/** An LLM span whose attributes are already an object. */
function objectSpan(attributes: Record<string, unknown>): SpanRecord {
  return { type: "embedding", statusCode: "unset", startTime: 1, endTime: 3, trace, traceId: "t", attributes, attributeList: () => undefined } as unknown as SpanRecord;
}

describe("describeTrace", () => {
  it("sums LLM cost and tokens from spans' attribute lists without making them objects, and from objects where spans have them", () => {
    const filler = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`gen_ai.extra.${i}`, i]));
    const view = describeTrace(trace, [
      listSpan({ ...filler, "llm.cost.total": 0.25, "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20 }),
      listSpan({ "llm.token_count.total": 500, "gen_ai.usage.input_tokens": 1, "llm.cost.total": "not a number" }),
      listSpan({ "llm.cost.total": 9, "gen_ai.usage.input_tokens": 9 }, "tool"),
      objectSpan({ "llm.cost.total": 0.5, "gen_ai.usage.input_tokens": 7 }),
    ]);
    expect(view.costUsd).toBeCloseTo(0.75, 12);
    // 120 from the first, its total (500) from the second, none from the tool span, 7 from the embedding.
    expect(view.tokens).toBe(627);
  });
});
