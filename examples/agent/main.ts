/**
 * The spanwise demo (`npm run demo`): starts the local trace viewer in this process, runs a
 * support agent whose LLM calls go through the real `openai` client (against a local fake LLM
 * that streams, or the real API when OPENAI_API_KEY is set), prints the trace tree, exports the
 * trace to the viewer over OTLP and keeps serving the viewer until Ctrl-C.
 *
 *   npm run demo -- [--once] [--port 4318] [--data .spanwise]
 *
 * When a spanwise viewer already answers on the port (an earlier `npm run demo` or `spanwise
 * dev`), the demo sends its trace there, where the open page shows it live, and exits. When
 * something else holds the port, it starts its viewer on a free port; when another viewer keeps
 * its traces in the data folder, its viewer keeps this run's in a temporary folder.
 * --once exits after the run (CI). SPANWISE_ENDPOINT also sends the trace to another collector.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { createOtlpHttpExporter, flush, init, stats, withAttributes } from "spanwise";
import { wrapOpenAI } from "spanwise/openai";
import { startViewer } from "../../src/cli/viewer/index.js";
import type { Viewer } from "../../src/cli/viewer/index.js";
import { startFakeLLM } from "./fake-llm.js";
import { SupportAgent } from "./support-agent.js";

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const once = process.argv.includes("--once");
const dataDir = option("--data") ?? ".spanwise";
const port = Number(option("--port") ?? 4318);

/** Whether a spanwise viewer answers at `url` (its /api/health says so). */
async function isSpanwiseViewer(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}api/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok && ((await res.json()) as { viewer?: unknown }).viewer === "spanwise";
  } catch {
    return false;
  }
}

/**
 * Starts the demo's own viewer: on a free port when something else holds `port`, and with a
 * folder of its own when another viewer (on another port, say) keeps its traces in `dataDir`.
 */
let storeDir = dataDir;
async function ownViewer(): Promise<Viewer> {
  try {
    return await startViewer({ port, dataDir });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.log(`port ${port} is taken by something that is not a spanwise viewer; starting the viewer on a free port`);
      return startViewer({ port: 0, dataDir });
    }
    if ((err as Error).name !== "DataDirInUseError") throw err;
    storeDir = mkdtempSync(join(tmpdir(), "spanwise-demo-"));
    console.log(`${(err as Error).message.replace(/; stop it.*/, "")}: keeping this run's traces in ${storeDir} instead`);
    return startViewer({ port, dataDir: storeDir });
  }
}

let viewer: Viewer | undefined;
let viewerUrl: string;
const running = `http://127.0.0.1:${port}/`;
// Asked first: a viewer already on the port holds the data folder too (the same `npm run demo`, again).
if (port !== 0 && (await isSpanwiseViewer(running))) {
  console.log(`a spanwise viewer already runs at ${running}: sending the trace there (its open page shows it live); not starting another`);
  viewerUrl = running;
} else {
  viewer = await ownViewer();
  viewerUrl = viewer.url;
}
const endpoint = `${viewerUrl}v1/traces`;

const real = Boolean(process.env.OPENAI_API_KEY);
const fake = real ? undefined : await startFakeLLM();
const openai = wrapOpenAI(fake ? new OpenAI({ baseURL: fake.baseURL, apiKey: "demo-key-not-used" }) : new OpenAI());

const extra = process.env.SPANWISE_ENDPOINT ? [createOtlpHttpExporter({ endpoint: process.env.SPANWISE_ENDPOINT })] : [];
init({ serviceName: "support-bot", environment: "demo", endpoint, exporters: ["console", "otlp", ...extra] });

console.log(`spanwise demo: ${real ? "OpenAI API (OPENAI_API_KEY is set)" : "offline, a local fake LLM that streams"} · viewer ${viewerUrl}\n`);
const agent = new SupportAgent(openai);
const answer = await withAttributes({ userId: "u-1", sessionId: "s-9", tags: ["demo"] }, () => agent.answer("Where is my order #1042, and can I get a refund?"));
await flush();
const s = stats();
console.log(`\nanswer: ${answer}`);
console.log(`spans: ${s.ended} ended, ${s.exported} exported, ${s.dropped.exportFailed} failed`);

const latest = (await (await fetch(`${viewerUrl}api/traces?limit=1`)).json()) as { traces: { traceId: string }[] };
const traceId = latest.traces[0]?.traceId;
console.log(`\nviewer: ${viewerUrl}${traceId ? `#/trace/${traceId}` : ""}`);
if (viewer) console.log(`traces are kept in ${storeDir}/traces.jsonl; any OpenTelemetry SDK can send to ${endpoint}`);

const stop = async (): Promise<void> => {
  await fake?.close();
  await viewer?.close();
  process.exit(0);
};
if (once || viewer === undefined) await stop();
else {
  console.log("serving the viewer until Ctrl-C");
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
