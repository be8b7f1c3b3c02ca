/**
 * `npm run bench:profile`: where the time goes in the budget rows that are timed, as V8's CPU
 * profiler sees the same work the bench times (the timed part of each round only). Prints, per
 * row, the time grouped by part of the SDK and the functions that take the most, as shares and
 * as ns per span. Each row runs in a process of its own, as in the bench (a row run after
 * another inherits the heap and the allocation decisions that one left). Sampling slows the
 * code a little, so compare shares, and take the budget figures from `npm run bench`.
 *
 * @module
 */
import { runApart } from "./apart.js";
import { type ProfileLine, profileRounds, summarize } from "./cpu-profile.js";
import { recordFixture, spanwiseEncode, spanwiseProto } from "./encode.js";
import { floorHotPath } from "./floor.js";
import { floorEncode } from "./json-floor.js";
import { spanwiseHotPath } from "./hot-path.js";
import type { BenchCase } from "./measure.js";
import { machine } from "./report.js";
import { SPANS_PER_TRACE, spanwiseTrace } from "./workload.js";

const WARMUP_MS = 1000;
const TOP = 10;
const ROWS = ["hot-path", "floor", "shallow", "protobuf", "json", "json-floor"] as const;

async function warm(c: BenchCase): Promise<void> {
  const until = performance.now() + WARMUP_MS;
  do {
    c.run(c.iterations);
    await c.settle?.();
  } while (performance.now() < until);
}

function print(title: string, lines: readonly ProfileLine[]): string {
  return [`  ${title}`, ...lines.map((l) => `    ${(100 * l.share).toFixed(1).padStart(5)} %  ${l.nsPerUnit.toFixed(0).padStart(6)} ns/span  ${l.name}`)].join("\n");
}

async function report(name: string, c: BenchCase, rounds: number, collectFirst: boolean): Promise<string> {
  await warm(c);
  const profile = await profileRounds(c, rounds, collectFirst);
  const { areas, top } = summarize(profile, TOP);
  return [`${name}: ${((profile.totalUs * 1000) / profile.units).toFixed(0)} ns/span while profiled`, print("by part", areas), print(`top ${TOP} functions (self time)`, top)].join("\n");
}

async function profileRow(row: (typeof ROWS)[number]): Promise<string> {
  // The budget row's floor (bench/floor.ts): what the row's work costs with no SDK around it.
  if (row === "floor") return report("the hot path's floor, a bare tracer, 50,000 spans queued per round", floorHotPath(), 12, true);
  if (row === "hot-path" || row === "shallow") {
    const hot = spanwiseHotPath();
    try {
      if (row === "hot-path") return await report("hot path, 50,000 spans queued per round (the budget row)", hot, 12, true);
      // The bench's second hot-path row: the queue drained every 2,000 spans, no forced collection.
      const shallow: BenchCase = {
        name: "shallow",
        iterations: 400,
        unitsPerIteration: SPANS_PER_TRACE,
        run: (n) => {
          for (let i = 0; i < n; i++) spanwiseTrace(false);
        },
        settle: hot.settle,
      };
      return await report("hot path, the queue drained every 2,000 spans", shallow, 300, false);
    } finally {
      await hot.close();
    }
  }
  const { batch } = await recordFixture();
  if (row === "protobuf") return report(`OTLP/protobuf encode, ${batch.spans.length} spans`, spanwiseProto(batch), 40, false);
  // The JSON row's floor (bench/json-floor.ts): the same bytes written directly, nothing else.
  if (row === "json-floor") return report(`the OTLP/JSON row's floor, a bare byte writer, ${batch.spans.length} spans`, floorEncode(batch), 40, false);
  return report(`OTLP/JSON encode to UTF-8, ${batch.spans.length} spans`, spanwiseEncode(batch, "bytes"), 40, false);
}

const row = process.argv[2] as (typeof ROWS)[number] | undefined;
if (row !== undefined) {
  if (!ROWS.includes(row)) throw new Error(`unknown row ${row}; one of ${ROWS.join(", ")}`);
  console.log(await profileRow(row));
} else {
  const on = machine();
  console.log(`Node ${on.node} on ${on.cpu}`);
  for (const r of ROWS) console.log(`\n${await runApart(import.meta.url, [r])}`);
}
