import { describe, expect, it } from "vitest";
import { profileRounds, summarize } from "../../bench/cpu-profile.js";
import { spanwiseProto } from "../../bench/encode.js";
import { encodeOtlpProto } from "../../src/core/export/otlp-proto.js";
import type { ExportBatch, ReadableSpan } from "../../src/index.js";

// `npm run bench:profile` answers "where does the time go" for the rows that miss their budget.
// This holds its parts to what they claim, on work whose answer is known: profiling the protobuf
// encoder must put the time in the encoder, and the parts must add up to the whole.

function batchOf(n: number): ExportBatch {
  const spans: ReadableSpan[] = Array.from({ length: n }, (_, i) => ({
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: (i + 1).toString(16).padStart(16, "0"),
    parentSpanId: undefined,
    parentIsRemote: false,
    name: "tool.search",
    type: "tool",
    kind: "internal",
    startTime: 1_700_000_000_000 + i,
    endTime: 1_700_000_000_001 + i,
    attributes: { "tool.name": "search", "gen_ai.usage.input_tokens": i, "cache.hit": true },
    events: [],
    links: [],
    statusCode: "unset",
    statusMessage: undefined,
    traceFlags: 1,
    traceState: undefined,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
  return { resource: { "service.name": "profiled" }, scope: { name: "spanwise", version: "test" }, spans };
}

describe("bench:profile", () => {
  it("finds the time of a protobuf encode in the encoder, with parts that add up to the whole", async () => {
    const batch = batchOf(500);
    expect(encodeOtlpProto(batch).byteLength).toBeGreaterThan(500 * 40);
    const profile = await profileRounds(spanwiseProto(batch), 30, false);
    expect(profile.units).toBe(30 * 20 * 500);
    expect(profile.totalUs).toBeGreaterThan(0);
    const { areas, top } = summarize(profile, 5);
    expect(areas[0]?.name).toBe("protobuf encoder");
    expect(areas[0]?.share).toBeGreaterThan(0.5);
    expect(areas.reduce((sum, a) => sum + a.share, 0)).toBeCloseTo(1, 6);
    expect(top).toHaveLength(5);
    expect(top[0]?.name).toMatch(/otlp-proto\.ts$/);
    // ns per span is the share of the profiled time spread over the spans encoded.
    const perSpan = (profile.totalUs * 1000) / profile.units;
    expect(areas.reduce((sum, a) => sum + a.nsPerUnit, 0)).toBeCloseTo(perSpan, 6);
  });
});
