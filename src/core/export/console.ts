import type { ReadableSpan } from "../span.js";
import type { SpanExporter } from "./types.js";

/** Options of the console exporter. */
export interface ConsoleExporterOptions {
  /** Where lines go. Default: console.log. */
  write?: (text: string) => void;
}

/**
 * Prints each trace of a batch as a tree: name, kind, duration, model, tokens, cost and errors.
 *
 * @param options - `write` receives each rendered trace (default: console.log)
 * @example
 * init({ exporters: [createConsoleExporter()] })
 * // ● support-bot · trace 4bf92f35… · 1.21 s
 * // └─ answer [agent] 1.21 s
 * //    └─ chat gpt-4o-mini [llm] 402 ms · gpt-4o-mini · 120→45 tokens · $0.000045
 */
export function createConsoleExporter(options: ConsoleExporterOptions = {}): SpanExporter {
  const write = options.write ?? ((text: string) => console.log(text));
  return {
    name: "console",
    async export(batch) {
      const byTrace = new Map<string, ReadableSpan[]>();
      for (const s of batch.spans) {
        const list = byTrace.get(s.traceId);
        if (list) list.push(s);
        else byTrace.set(s.traceId, [s]);
      }
      const service = String(batch.resource["service.name"] ?? "");
      for (const [traceId, spans] of byTrace) write(renderTrace(service, traceId, spans));
      return { ok: true };
    },
  };
}

/** Renders one trace as an indented tree. */
export function renderTrace(service: string, traceId: string, spans: readonly ReadableSpan[]): string {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : undefined;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  for (const list of children.values()) list.sort((a, b) => a.startTime - b.startTime);
  const start = Math.min(...spans.map((s) => s.startTime));
  const end = Math.max(...spans.map((s) => s.endTime));
  const lines = [`● ${service} · trace ${traceId.slice(0, 8)}… · ${duration(end - start)} · ${spans.length} span${spans.length === 1 ? "" : "s"}`];
  const walk = (parent: string | undefined, prefix: string): void => {
    const list = children.get(parent) ?? [];
    list.forEach((s, i) => {
      const last = i === list.length - 1;
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${describe(s)}`);
      walk(s.spanId, prefix + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");
  return lines.join("\n");
}

function describe(s: ReadableSpan): string {
  const a = s.attributes;
  const parts = [`${s.name} [${s.type === "span" ? s.kind : s.type}] ${duration(s.endTime - s.startTime)}`];
  const model = a["gen_ai.response.model"] ?? a["gen_ai.request.model"];
  if (model !== undefined) parts.push(String(model));
  const input = a["gen_ai.usage.input_tokens"];
  const output = a["gen_ai.usage.output_tokens"];
  if (input !== undefined || output !== undefined) parts.push(`${input ?? "?"}→${output ?? "?"} tokens`);
  const cost = a["llm.cost.total"];
  if (typeof cost === "number") parts.push(cost > 0 && cost < 0.0000005 ? "<$0.000001" : `$${cost.toFixed(6)}`);
  let line = parts.join(" · ");
  if (s.statusCode === "error") line += `  ✗ ${s.statusMessage ?? "error"}`;
  return line;
}

function duration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
  return `${Math.round(ms * 1000)} µs`;
}
