import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileExporter, flush, init, shutdown, span, startSpan, stats } from "spanwise/node";
import { type ExportTraceServiceRequest, attrs } from "../helpers/collector.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "spanwise-file-exporter-"));
});

afterEach(async () => {
  await shutdown();
  await rm(dir, { recursive: true, force: true });
});

async function readLines(path: string): Promise<ExportTraceServiceRequest[]> {
  const text = await readFile(path, "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as ExportTraceServiceRequest);
}

const names = (req: ExportTraceServiceRequest): string[] => req.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));

describe("JSONL file exporter", () => {
  it("writes each export as one line of OTLP/JSON and appends across flushes", async () => {
    const path = join(dir, "nested", "traces.jsonl");
    init({ serviceName: "file-svc", exporters: [createFileExporter({ path })], scheduleDelayMs: 60_000, logger: { warn: () => undefined } });

    span("first", { attributes: { n: 1 } }, () => span("first-child", () => undefined));
    await flush();
    expect(await readLines(path)).toHaveLength(1);

    // Characters of two to four bytes and an escape, written as the request's UTF-8.
    startSpan('second ✓ é 🚀 "q"').end();
    await flush();

    const lines = await readLines(path);
    expect(lines).toHaveLength(2);
    expect(names(lines[0]!).sort()).toEqual(["first", "first-child"]);
    expect(names(lines[1]!)).toEqual(['second ✓ é 🚀 "q"']);
    for (const req of lines) {
      expect(req.resourceSpans).toHaveLength(1);
      expect(attrs(req.resourceSpans[0]!.resource.attributes)["service.name"]).toEqual({ stringValue: "file-svc" });
      expect(req.resourceSpans[0]!.scopeSpans[0]!.scope.name).toBe("spanwise");
      for (const s of req.resourceSpans[0]!.scopeSpans[0]!.spans) {
        expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(s.startTimeUnixNano).toMatch(/^\d+$/);
      }
    }
    const first = lines[0]!.resourceSpans[0]!.scopeSpans[0]!.spans;
    const parent = first.find((s) => s.name === "first")!;
    expect(first.find((s) => s.name === "first-child")!.parentSpanId).toBe(parent.spanId);
    expect(attrs(parent.attributes).n).toEqual({ intValue: "1" });
    expect(stats().exported).toBe(3);
  });

  it("keeps every line whole when several exports run at once", async () => {
    const path = join(dir, "concurrent.jsonl");
    init({ exporters: [createFileExporter({ path })], maxExportBatchSize: 1, scheduleDelayMs: 60_000, logger: { warn: () => undefined } });

    for (let i = 0; i < 20; i++) span(`s${i}`, { attributes: { payload: "x".repeat(5000) } }, () => undefined);
    await flush();

    const lines = await readLines(path);
    expect(lines).toHaveLength(20);
    expect(lines.flatMap(names).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `s${i}`).sort());
    expect(stats().exported).toBe(20);
  });

  it("appends to an existing file after a shutdown and a new init", async () => {
    const path = join(dir, "traces.jsonl");
    init({ exporters: [createFileExporter({ path })], logger: { warn: () => undefined } });
    span("before-restart", () => undefined);
    await shutdown();

    expect(init({ exporters: [createFileExporter({ path })], logger: { warn: () => undefined } })).toBe(true);
    span("after-restart", () => undefined);
    await flush();

    const lines = await readLines(path);
    expect(lines.map(names)).toEqual([["before-restart"], ["after-restart"]]);
  });

  it("recreates its folder when it is removed after the first write", async () => {
    const folder = join(dir, "logs");
    const path = join(folder, "traces.jsonl");
    init({ exporters: [createFileExporter({ path })], scheduleDelayMs: 60_000, logger: { warn: () => undefined } });
    span("before-cleanup", () => undefined);
    await flush();
    // A log rotation or a tmp reaper removes the folder while the process runs.
    await rm(folder, { recursive: true, force: true });

    span("after-cleanup", () => undefined);
    await flush();

    expect((await readLines(path)).map(names)).toEqual([["after-cleanup"]]);
    expect(stats().exported).toBe(2);
    expect(stats().dropped.exportFailed).toBe(0);
  });

  it("counts a failed write without throwing", async () => {
    // A path under a regular file cannot be created.
    const blocker = join(dir, "not-a-folder");
    const okPath = join(dir, "ok.jsonl");
    init({ exporters: [createFileExporter({ path: okPath })], logger: { warn: () => undefined } });
    span("make-the-file", () => undefined);
    await shutdown();
    await rm(blocker, { force: true });
    await import("node:fs/promises").then((fs) => fs.writeFile(blocker, "x"));

    init({ exporters: [createFileExporter({ path: join(blocker, "traces.jsonl") })], logger: { warn: () => undefined } });
    span("lost", () => undefined);
    await expect(flush()).resolves.toBeUndefined();

    const s = stats();
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(1);
    expect(s.lastError).toContain("not-a-folder");
  });
});
