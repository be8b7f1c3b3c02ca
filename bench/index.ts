/**
 * `npm run bench`: spanwise against the OpenTelemetry JS SDK on the span hot path and on OTLP/JSON
 * encoding, the cost of spanwise's flush-time pipeline (with and without redaction), the size
 * spanwise adds to a Cloudflare Worker, and the time the Lambda flush adds to an invocation.
 * Prints a table and writes bench/results.json.
 *
 * @module
 */
import { otelEncode, recordFixture, spanwiseEncode } from "./encode.js";
import { otelHotPath, spanwiseHotPath } from "./hot-path.js";
import { lambdaFlush } from "./lambda-flush.js";
import { type MeasureOptions, measure } from "./measure.js";
import { outputSizes } from "./output-size.js";
import { PIPELINE_CASES, measurePipeline } from "./pipeline.js";
import { type Row, formatTable, machine, row, writeResults } from "./report.js";
import { workerBundleSize } from "./worker-bundle.js";

const options: MeasureOptions = { warmupMs: 1000, rounds: 7 };
const on = machine();
const hasGc = typeof (globalThis as { gc?: unknown }).gc === "function";
console.log(`Node ${on.node} on ${on.cpu}; median of ${options.rounds} rounds after ${options.warmupMs} ms warm-up${hasGc ? "" : " (no --expose-gc)"}\n`);

const ours = spanwiseHotPath();
const theirs = otelHotPath();
const [spanNs, otelSpanNs] = await measure([ours, theirs], options);
await ours.close();
await theirs.close();

const fixture = await recordFixture();
const sizes = outputSizes(fixture);
if (sizes.mismatch) console.warn(`warning: the encoders were not given the same spans: ${sizes.mismatch}\n`);
const [bytesNs, stringNs, otelBytesNs] = await measure(
  [spanwiseEncode(fixture.batch, "bytes"), spanwiseEncode(fixture.batch, "string"), otelEncode(fixture.otelSpans)],
  options,
);
const n = fixture.batch.spans.length;
const bundle = await workerBundleSize();

const pipelineNs: number[] = [];
for (const c of PIPELINE_CASES) pipelineNs.push(await measurePipeline(c.options, options));

const rows: Row[] = [
  row("span: parent + 4 children, 5 attrs, ALS", spanNs, otelSpanNs, "ns/span"),
  row(`OTLP/JSON encode to UTF-8, ${n} spans`, bytesNs, otelBytesNs, "ns/span"),
  row(`OTLP/JSON encode to string, ${n} spans`, stringNs, null, "ns/span"),
  row("OTLP/JSON size", sizes.spanwiseBytes / n, sizes.otelBytes / n, "bytes/span"),
  ...PIPELINE_CASES.map((c, i) => row(c.name, pipelineNs[i] as number, null, "ns/span")),
  row("Worker bundle, instrument() + OTLP, minified", bundle.bytes, null, "bytes"),
  row("Worker bundle, instrument() + OTLP, gzip", bundle.gzipBytes, null, "bytes"),
  row("  of which spanwise (gzip, vs an empty Worker)", bundle.gzipBytes - bundle.baselineGzipBytes, null, "bytes"),
];
for (const f of await lambdaFlush()) {
  const what = `Lambda: flush added per invocation, ${f.spansPerInvocation} spans, ${f.compression}, loopback`;
  rows.push(row(`${what} (median)`, f.medianUs, null, "µs"), row(`${what} (p95)`, f.p95Us, null, "µs"));
}
console.log(formatTable(rows));
writeResults(new URL("./results.json", import.meta.url), rows, on);
console.log("\nwrote bench/results.json");
