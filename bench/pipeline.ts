import type * as SpanwiseNode from "../src/runtimes/node/index.js";
import type { SpanExporter, SpanwiseOptions } from "../src/runtimes/node/index.js";
import { isMain, runApart } from "./apart.js";
import { type MeasureOptions, median } from "./measure.js";

/**
 * The built package (`npm run build`), as an application runs it, loaded only in the process that
 * measures. Run from source under tsx, every function made inside another (stripMedia's helpers,
 * the pipeline's stages) also calls esbuild's `__name`, a defineProperty per call that the built
 * package does not make: from source the defaults row took 1.04-1.95 times as long (median 1.26,
 * four alternating pairs).
 */
const loadSpanwise = (): Promise<typeof SpanwiseNode> => import("../dist/node.js" as string) as Promise<typeof SpanwiseNode>;

/** Traces per timed round; each has SPANS_PER_TRACE spans. */
const TRACES_PER_ROUND = 1000;
const SPANS_PER_TRACE = 5;
const HOUR_MS = 3_600_000;

const QUESTION = "Hi, I ordered a standing desk last week (order 1042) and it still has not shipped. Can you check where it is and tell me when it will arrive? My e-mail is ada.lovelace@analytical.example.";
const ANSWER = "Your order 1042 left our warehouse this morning and should arrive on Thursday. I have sent the tracking link to your e-mail address. Is there anything else I can help with?";

/**
 * One support-agent trace as an application records it: an agent span, a retrieval, a tool
 * call with JSON input and output, and two LLM calls with their messages (about 1.5 KB of text
 * per trace, one e-mail address in it).
 *
 * @example
 * agentTrace(await import("spanwise/node"), 7);
 */
export function agentTrace({ span, recordLLM }: Pick<typeof SpanwiseNode, "span" | "recordLLM">, i: number): void {
  span("support-agent", { kind: "agent", attributes: { "session.id": `chat-${i}`, "user.id": `u-${i % 97}` } }, (agent) => {
    agent.update({ input: QUESTION });
    span("search docs", { kind: "retrieval", attributes: { "retrieval.top_k": 3, "index.name": "faq" } }, () => "shipping policy");
    span("lookup_order", { kind: "tool" }, (tool) => {
      tool.update({ input: { orderId: 1042, fields: ["status", "eta", "carrier"] }, output: { status: "shipped", eta: "2025-06-12", carrier: "DHL", tracking: "JD014600006585493726" } });
    });
    const messages = [
      { role: "system", content: "You are a helpful support agent for an office furniture shop. Answer briefly." },
      { role: "user", content: QUESTION },
    ];
    for (const operation of ["plan", "answer"]) {
      recordLLM({
        provider: "openai",
        model: "gpt-4o-mini",
        operation: "chat",
        name: `${operation} gpt-4o-mini`,
        inputTokens: 412,
        outputTokens: 58,
        startedAt: Date.now() - 40,
        endedAt: Date.now(),
        input: messages,
        output: { role: "assistant", content: ANSWER },
        finishReasons: ["stop"],
      });
    }
    agent.update({ output: ANSWER });
  });
}

/** The measured configurations: the pipeline's defaults, then default redaction in two modes. */
export const PIPELINE_CASES: readonly { readonly name: string; readonly options: SpanwiseOptions }[] = [
  { name: "flush pipeline, defaults (CPU time)", options: {} },
  { name: "flush pipeline, redact: true (CPU time)", options: { redact: true } },
  { name: "flush pipeline, redact hash mode (CPU time)", options: { redact: { mode: "hash", salt: "bench-salt-123" } } },
];

/**
 * Times `flush()` over TRACES_PER_ROUND freshly recorded traces (recorded untimed) with an
 * exporter that drops everything, so the figure is what the pipeline (tail sampling, enrichment,
 * limits, redaction) and the batch queue cost per span. Process CPU time rather than wall time:
 * the flush does a few ms of work, which other processes on a busy machine would otherwise
 * dominate. Returns the median ns per span.
 *
 * @example
 * const ns = await measurePipeline({ redact: true }, { warmupMs: 1000, rounds: 7 });
 */
export async function measurePipeline(options: SpanwiseOptions, measure: MeasureOptions): Promise<number> {
  const spanwise = await loadSpanwise();
  const { flush, init, shutdown } = spanwise;
  const nullExporter: SpanExporter = { name: "null", export: async () => ({ ok: true }) };
  const started = init({ serviceName: "bench", exporters: [nullExporter], maxQueueSize: 1_000_000, maxExportBatchSize: 100_000, scheduleDelayMs: HOUR_MS, flushOnExit: false, ...options });
  if (!started) throw new Error("spanwise did not start (already running, or disabled by SPANWISE_ENABLED / OTEL_SDK_DISABLED)");
  const gc = (globalThis as { gc?: () => void }).gc;
  const round = async (): Promise<number> => {
    for (let i = 0; i < TRACES_PER_ROUND; i++) agentTrace(spanwise, i);
    gc?.();
    const start = process.cpuUsage();
    await flush();
    const used = process.cpuUsage(start);
    return ((used.user + used.system) * 1000) / (TRACES_PER_ROUND * SPANS_PER_TRACE);
  };
  try {
    const until = performance.now() + measure.warmupMs;
    do await round();
    while (performance.now() < until);
    const samples: number[] = [];
    for (let r = 0; r < measure.rounds; r++) samples.push(await round());
    return median(samples);
  } finally {
    await shutdown();
  }
}

/**
 * Measures one of PIPELINE_CASES in a process of its own (see runApart). Returns the median ns
 * of CPU per span.
 *
 * @example
 * const ns = await measurePipelineApart(0, { warmupMs: 1000, rounds: 7 });
 */
export async function measurePipelineApart(index: number, measure: MeasureOptions): Promise<number> {
  const out = await runApart(import.meta.url, [String(index), JSON.stringify(measure)]);
  const ns = Number(out);
  if (!Number.isFinite(ns)) throw new Error(`pipeline case ${index} printed ${out}`);
  return ns;
}

// Run as a script by measurePipelineApart: `<this file> <case index> <MeasureOptions as JSON>`.
if (isMain(import.meta.url)) {
  const c = PIPELINE_CASES[Number(process.argv[2])];
  if (c === undefined) throw new Error(`no pipeline case ${process.argv[2]}`);
  console.log(await measurePipeline(c.options, JSON.parse(process.argv[3] ?? "{}") as MeasureOptions));
}
