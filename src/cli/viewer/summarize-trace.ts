import { spanTokens } from "./describe-span.js";
import type { TraceSummary, ViewerSpan } from "./types.js";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * One trace-list row: root name and service, start, duration, status, span count, tokens, cost,
 * session, user and models.
 *
 * @param traceId - the trace
 * @param spans - its spans received so far (at least one)
 * @returns the summary
 * @example
 * const row = summarizeTrace(id, spans);
 */
export function summarizeTrace(traceId: string, spans: readonly ViewerSpan[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  let root: ViewerSpan | undefined;
  let start = Infinity;
  let end = -Infinity;
  let errorCount = 0;
  let anyOk = false;
  let sessionId: string | undefined;
  let userId: string | undefined;
  const models = new Set<string>();
  for (const s of spans) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
    const isRoot = s.parentSpanId === undefined || !ids.has(s.parentSpanId);
    if (isRoot && (root === undefined || s.start < root.start)) root = s;
    if (s.status.code === 2) errorCount++;
    if (s.status.code === 1) anyOk = true;
    const a = s.attributes;
    sessionId ??= str(a["session.id"]) ?? str(a["gen_ai.conversation.id"]);
    userId ??= str(a["user.id"]) ?? str(a["enduser.id"]);
    const model = str(a["gen_ai.response.model"]) ?? str(a["gen_ai.request.model"]) ?? str(a["llm.model_name"]);
    if (model) models.add(model);
  }
  const r = root ?? (spans[0] as ViewerSpan);
  const usage = sumUsage(spans);
  const summary: TraceSummary = {
    traceId,
    name: r.name || "(unnamed)",
    service: str(r.resource["service.name"]) ?? "unknown",
    start,
    durationMs: end - start,
    status: errorCount > 0 ? "error" : anyOk ? "ok" : "unset",
    errorCount,
    spanCount: spans.length,
    inputTokens: usage.input,
    outputTokens: usage.output,
    models: [...models].sort(),
  };
  if (usage.cost !== undefined) summary.cost = usage.cost;
  if (sessionId) summary.sessionId = sessionId;
  if (userId) summary.userId = userId;
  return summary;
}

/**
 * Sums tokens and cost over the spans that carry them, skipping a span when one of its
 * descendants carries them too: some instrumentations repeat a call's usage on the span that
 * wraps it, and counting both would double it.
 */
function sumUsage(spans: readonly ViewerSpan[]): { input: number; output: number; cost?: number } {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const hasUsage = (s: ViewerSpan): boolean => {
    const t = spanTokens(s.attributes);
    return t.input !== undefined || t.output !== undefined || typeof s.attributes["llm.cost.total"] === "number";
  };
  const covered = new Set<string>();
  for (const s of spans) {
    if (!hasUsage(s)) continue;
    const seen = new Set<string>();
    for (let p = s.parentSpanId; p !== undefined && !seen.has(p); p = byId.get(p)?.parentSpanId) {
      seen.add(p);
      covered.add(p);
    }
  }
  let input = 0;
  let output = 0;
  let cost: number | undefined;
  for (const s of spans) {
    if (covered.has(s.spanId) || !hasUsage(s)) continue;
    const t = spanTokens(s.attributes);
    input += t.input ?? 0;
    output += t.output ?? 0;
    const c = s.attributes["llm.cost.total"];
    if (typeof c === "number" && Number.isFinite(c)) cost = (cost ?? 0) + c;
  }
  return cost === undefined ? { input, output } : { input, output, cost };
}
