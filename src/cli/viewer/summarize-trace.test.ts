import { describe, expect, it } from "vitest";
import { describeSpan } from "./describe-span.js";
import { summarizeTrace } from "./summarize-trace.js";
import type { ViewerAttributes, ViewerSpan } from "./types.js";

const T = "0af7651916cd43dd8448eb211c80319c";
const s = (spanId: string, parentSpanId: string | undefined, attributes: ViewerAttributes = {}, extra: Partial<ViewerSpan> = {}): ViewerSpan => ({
  traceId: T,
  spanId,
  ...(parentSpanId ? { parentSpanId } : {}),
  name: spanId,
  kind: 1,
  start: 1000,
  end: 1100,
  status: { code: 0 },
  attributes,
  events: [],
  links: [],
  resource: { "service.name": "svc" },
  scope: { name: "t" },
  ...extra,
});

describe("summarizeTrace", () => {
  it("counts a call's tokens and cost once when a wrapping span repeats them", () => {
    const spans = [
      s("root", undefined, { "session.id": "s-1" }, { start: 900, end: 1500 }),
      s("generate", "root", { "gen_ai.usage.input_tokens": 30, "gen_ai.usage.output_tokens": 10, "llm.cost.total": 0.002 }),
      s("do-generate", "generate", { "gen_ai.usage.input_tokens": 30, "gen_ai.usage.output_tokens": 10, "llm.cost.total": 0.002, "gen_ai.request.model": "gpt-4o" }),
      s("embed", "root", { "llm.token_count.prompt": 5, "gen_ai.response.model": "text-embedding-3-small" }, { status: { code: 2, message: "x" } }),
    ];
    expect(summarizeTrace(T, spans)).toEqual({
      traceId: T,
      name: "root",
      service: "svc",
      start: 900,
      durationMs: 600,
      status: "error",
      errorCount: 1,
      spanCount: 4,
      inputTokens: 35,
      outputTokens: 10,
      cost: 0.002,
      sessionId: "s-1",
      models: ["gpt-4o", "text-embedding-3-small"],
    });
  });

  it("names the earliest orphan the root when the real root has not arrived, and has no cost when none was priced", () => {
    const summary = summarizeTrace(T, [s("late", "missing", {}, { start: 1200 }), s("early", "missing", {}, { start: 1001 })]);
    expect(summary.name).toBe("early");
    expect(summary.cost).toBeUndefined();
    expect(summary.status).toBe("unset");
  });
});

describe("describeSpan", () => {
  it("renders GenAI messages, system instructions and time to first token for an LLM span", () => {
    const view = describeSpan(
      s("llm", undefined, {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "Be brief." }]),
        "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Hi" }] }, { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: { ok: true } }] }]),
        "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "tool_call", id: "c2", name: "search", arguments: { q: "x" } }], finish_reason: "tool_calls" }]),
        "gen_ai.response.time_to_first_chunk": 0.25,
      }),
    );
    expect(view.category).toBe("llm");
    expect(view.llm).toMatchObject({ model: "gpt-4o-mini", ttftMs: 250 });
    expect(view.llm?.input).toEqual([
      { role: "system", parts: [{ type: "text", text: "Be brief." }] },
      { role: "user", parts: [{ type: "text", text: "Hi" }] },
      { role: "tool", parts: [{ type: "tool_call_response", data: { ok: true } }] },
    ]);
    expect(view.llm?.output).toEqual([{ role: "assistant", parts: [{ type: "tool_call", name: "search", data: { q: "x" } }] }]);
  });

  it("falls back to OpenInference input.value and output.value, and tells HTTP and database spans apart", () => {
    const view = describeSpan(s("oi", undefined, { "openinference.span.kind": "LLM", "input.value": "What is 2+2?", "output.value": "4", "llm.token_count.prompt": 7 }));
    expect(view.llm?.input).toEqual([{ role: "user", parts: [{ type: "text", text: "What is 2+2?" }] }]);
    expect(view.llm?.output).toEqual([{ role: "assistant", parts: [{ type: "text", text: "4" }] }]);
    expect(view.llm?.inputTokens).toBe(7);
    expect(describeSpan(s("h", undefined, { "http.request.method": "GET" })).category).toBe("http");
    expect(describeSpan(s("d", undefined, { "db.system": "postgresql" })).category).toBe("db");
    expect(describeSpan(s("x", undefined, {})).llm).toBeUndefined();
  });
});
