import { describe, expect, it } from "vitest";
import { newTraceId } from "../ids.js";
import { DROP, RECORD, SAMPLE, createHeadSampler, traceIdSampled } from "./head-sampler.js";

describe("trace-id ratio sampling", () => {
  it("reads the lowest 56 bits of the trace id", () => {
    // R = 0x80000000000000 is exactly half of 2^56.
    const half = "0123456789abcdef0080000000000000";
    expect(traceIdSampled(half, 0.5)).toBe(true);
    expect(traceIdSampled(half, 0.49)).toBe(false);
    expect(traceIdSampled("ffffffffffffffffff00000000000000", 0.999)).toBe(false);
    expect(traceIdSampled("00000000000000000000ffffffffffff", 0.001)).toBe(false);
    expect(traceIdSampled("000000000000000000ffffffffffffff", 0.001)).toBe(true);
  });

  it("samples a trace at every rate above the lowest that samples it", () => {
    for (let i = 0; i < 2000; i++) {
      const id = newTraceId();
      const rates = [0.01, 0.1, 0.25, 0.5, 0.9, 1].map((r) => traceIdSampled(id, r));
      const first = rates.indexOf(true);
      expect(rates.slice(first).every(Boolean)).toBe(true);
    }
  });

  it("follows a remote parent's flag when parent-based, and the trace id otherwise", () => {
    const id = "0123456789abcdef0080000000000000";
    const remote = (flags: number) => ({ traceId: id, spanId: "0123456789abcdef", traceFlags: flags, isRemote: true });
    const parentBased = createHeadSampler({ rate: 0, parentBased: true, recordUnsampled: true });
    expect(parentBased(id, remote(1))).toBe(SAMPLE);
    expect(parentBased(id, remote(0))).toBe(DROP);
    expect(parentBased(id, undefined)).toBe(RECORD);
    const ratio = createHeadSampler({ rate: 0.5, parentBased: false, recordUnsampled: false });
    expect(ratio(id, remote(0))).toBe(SAMPLE);
    expect(ratio("0123456789abcdef0070000000000000", remote(1))).toBe(DROP);
  });
});
