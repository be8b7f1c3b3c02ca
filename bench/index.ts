/**
 * `npm run bench`: every budget of issue 11 measured in one run on this machine, each next to the
 * same measure for its peer (OpenTelemetry JS unless a row says otherwise), with the target and
 * whether it is met; then the flush-time pipeline and the Lambda flush as further figures.
 * Prints one table and writes bench/results.json.
 *
 * @module
 */
import { disabledOverhead } from "./disabled.js";
import { coldStartApart } from "./cold-start.js";
import { otelEncode, otelProto, recordFixture, spanwiseEncode, spanwiseProto } from "./encode.js";
import { floorHotPath } from "./floor.js";
import { floorEncode } from "./json-floor.js";
import { otelHotPath, shallowQueue, spanwiseHotPath } from "./hot-path.js";
import { lambdaFlush } from "./lambda-flush.js";
import { type MeasureOptions, measure } from "./measure.js";
import { memoryPerSpan } from "./memory.js";
import { outputSizes } from "./output-size.js";
import { PIPELINE_CASES, measurePipelineApart } from "./pipeline.js";
import { type Row, formatTable, machine, row, writeResults } from "./report.js";
import { workerBundles } from "./worker-bundle.js";
import { workerdHotPathApart } from "./workerd-hot-path.js";

const options: MeasureOptions = { warmupMs: 1000, rounds: 7 };
const on = machine();
console.log(`Node ${on.node} on ${on.cpu}; median of ${options.rounds} rounds after ${options.warmupMs} ms warm-up\n`);

// First: it needs a process where no OpenTelemetry provider or context manager is registered yet.
const disabled = disabledOverhead();

const ours = spanwiseHotPath();
const theirs = otelHotPath();
// The bare tracer alternates with both, so its figure is this run's floor for the row.
const floor = floorHotPath();
const [spanNs, otelSpanNs, floorNs] = await measure([ours, theirs, floor], options);
await ours.close();
await theirs.close();
await floor.close();
const shallow = await shallowQueue(400, 300);

const fixture = await recordFixture();
const sizes = outputSizes(fixture);
if (sizes.mismatch) console.warn(`warning: the encoders were not given the same spans: ${sizes.mismatch}\n`);
// The JSON row's floor (bench/json-floor.ts) alternates with the encoders it is compared to.
const [bytesNs, otelBytesNs, protoNs, otelProtoNs, jsonFloorNs] = await measure(
  [spanwiseEncode(fixture.batch, "bytes"), otelEncode(fixture.otelSpans), spanwiseProto(fixture.batch), otelProto(fixture.otelSpans), floorEncode(fixture.batch)],
  options,
);
const [stringNs] = await measure([spanwiseEncode(fixture.batch, "string")], options);
const n = fixture.batch.spans.length;

const memory = await memoryPerSpan();
const bundles = await workerBundles();
const cold = await coldStartApart();
const inWorkerd = await workerdHotPathApart(2_000, 40);
const flushes = await lambdaFlush();
const pipelineNs: number[] = [];
for (let i = 0; i < PIPELINE_CASES.length; i++) pipelineNs.push(await measurePipelineApart(i, options));

const gzipAdded = (b: { gzipBytes: number }): number => b.gzipBytes - bundles.baseline.gzipBytes;
const uncompressed = flushes.find((f) => f.compression === "none");
// workerd's CPU time where Linux accounts it (bench/workerd-cpu.ts); where it cannot be read, the
// time until Miniflare's `ready`, which also holds Miniflare's own work in Node.
const coldOn = cold.cpu ?? cold.wall;
const coldStartRows: Row[] = [
  row(`Worker cold start: compile + evaluate the bundle in workerd, per isolate (${cold.cpu ? "workerd's CPU time" : "time to ready"})`, coldOn.spanwiseMs, coldOn.otelMs, "ms", "OTel sdk-trace-base Worker", { max: 2 }),
  row("  the row's floor: the same bundle's code never run (bench/cold-start.ts), what its size alone costs", coldOn.spanwiseMs, coldOn.unrunMs, "ms", "the code, never run"),
];
if (cold.cpu) {
  coldStartRows.push(row("  the cold start as time to Miniflare's ready: workerd's work and Miniflare's own in Node", cold.wall.spanwiseMs, cold.wall.otelMs, "ms", "OTel sdk-trace-base Worker"));
}
if (cold.firstRequest && cold.secondRequest) {
  coldStartRows.push(
    row("  an isolate's first request after its start: workerd's CPU over an empty Worker's, export to a loopback collector included", cold.firstRequest.spanwiseMs, cold.firstRequest.otelMs, "ms", "OTel sdk-trace-base Worker"),
    row("  its second request, the same", cold.secondRequest.spanwiseMs, cold.secondRequest.otelMs, "ms", "OTel sdk-trace-base Worker"),
  );
}
const rows: Row[] = [
  row("hot path: parent + 4 children, 5 attributes each, ALS context", spanNs, otelSpanNs, "ns/span", "OpenTelemetry sdk-trace-base", { max: 500, minRatio: 10 }),
  row("  the row's floor: a bare tracer doing only the work the row asks (bench/floor.ts), same rounds", spanNs, floorNs, "ns/span", "bare tracer"),
  row("SDK disabled / not initialised: overhead per observe'd call", disabled.spanwiseNs, disabled.otelNs, "ns/call", "OpenTelemetry API, no SDK", { max: 20 }),
  row(`OTLP/JSON encode to UTF-8, ${n} spans`, bytesNs, otelBytesNs, "ns/span", "OTel JsonTraceSerializer", { max: 1000, minRatio: 5 }),
  row("  the row's floor: the same bytes written directly, only the work the row asks (bench/json-floor.ts), same rounds", bytesNs, jsonFloorNs, "ns/span", "bare byte writer"),
  row("OTLP/JSON size (no more bytes than the peer)", sizes.spanwiseBytes / n, sizes.otelBytes / n, "bytes/span", "OTel JsonTraceSerializer", { max: Math.round(sizes.otelBytes / n) }),
  row(`OTLP/protobuf encode, ${n} spans`, protoNs, otelProtoNs, "ns/span", "OTel ProtobufTraceSerializer", { max: 700, minRatio: 3 }),
  row("Worker bundle: instrument() + core + OTLP, esbuild minified, gzip (added to an empty Worker)", gzipAdded(bundles.spanwise), gzipAdded(bundles.otel), "bytes", "OTel sdk-trace-base Worker", { max: 10_240 }),
  row("  the same OpenTelemetry-based Worker as quoted in the issue", gzipAdded(bundles.spanwise), 47 * 1024, "bytes", "OTel-based Worker", undefined, "quoted, not measured"),
  ...coldStartRows,
  row("memory per buffered span (5 attributes)", memory.spanwise, memory.otel, "bytes", "OpenTelemetry sdk-trace-base", { max: 400 }),
  row(`Lambda: flush added per invocation, ${uncompressed?.spansPerInvocation ?? "?"} spans, loopback collector (median)`, (uncompressed?.medianUs ?? Number.NaN) / 1000, null, "ms", "", { max: 5 }),
  row(`hot path, the queue drained every ${shallow.spansPerRound} spans (the default queue holds 2,048; mean)`, shallow.spanwiseNs, shallow.otelNs, "ns/span", "OpenTelemetry sdk-trace-base"),
  row("  the same, the row's floor", shallow.spanwiseNs, shallow.floorNs, "ns/span", "bare tracer"),
  row(`hot path inside workerd (Miniflare), ${inWorkerd.spansPerRequest} spans per request, timed from outside (median)`, inWorkerd.spanwiseNs, inWorkerd.otelNs, "ns/span", "OpenTelemetry sdk-trace-base"),
  row("  the same, the row's floor", inWorkerd.spanwiseNs, inWorkerd.floorNs, "ns/span", "bare tracer"),
  row("  the same, workerd's AsyncLocalStorage alone: one run() and one getStore() per span", inWorkerd.spanwiseNs, inWorkerd.bareAlsNs, "ns/span", "bare AsyncLocalStorage"),
  row(`OTLP/JSON encode to string, ${n} spans`, stringNs, null, "ns/span"),
  row("Worker bundle, minified (whole Worker)", bundles.spanwise.bytes, bundles.otel.bytes, "bytes", "OTel sdk-trace-base Worker"),
  ...PIPELINE_CASES.map((c, i) => row(c.name, pipelineNs[i] as number, null, "ns/span")),
  ...flushes.map((f) => row(`Lambda: flush added per invocation, ${f.spansPerInvocation} spans, ${f.compression}, loopback (p95)`, f.p95Us / 1000, null, "ms")),
];
console.log(formatTable(rows));
writeResults(new URL("./results.json", import.meta.url), rows, on);
console.log("\nwrote bench/results.json");
