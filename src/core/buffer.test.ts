import { describe, expect, it } from "vitest";
import { createBatchBuffer } from "./buffer.js";
import type { SpanRecord } from "./span.js";

describe("createBatchBuffer", () => {
  it("counts a batch whose export rejects as exportFailed", async () => {
    const drops: [number, string][] = [];
    const buffer = createBatchBuffer({
      maxQueueSize: 10,
      maxExportBatchSize: 10,
      scheduleDelayMs: 60_000,
      exportBatch: () => Promise.reject(new Error("export bug")),
      onDrop: (n, reason) => void drops.push([n, reason]),
    });
    const trace = {};
    buffer.addAll([{ trace }, { trace }] as unknown as SpanRecord[]);
    await buffer.flush();
    expect(drops).toEqual([[2, "exportFailed"]]);
  });
});
