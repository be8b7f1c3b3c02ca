import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryExporter, flush, init, shutdown, startSpan } from "spanwise/node";

afterEach(async () => {
  await shutdown();
});

describe("a finished span copied, serialised or logged", () => {
  it("toJSON, JSON.stringify and console inspection carry ids, times, kind, status and events", async () => {
    const memory = createMemoryExporter();
    init({ serviceName: "copy", exporters: [memory], logger: { warn: () => undefined } });
    const s = startSpan("work", { spanKind: "client", attributes: { "app.step": 2 } });
    s.addEvent("retry", { attempt: 1 });
    s.setStatus("error", "bad");
    s.end();
    await flush();

    const span = memory.spans[0]!;
    const copy = { ...span.toJSON!(), attributes: { redacted: true } };
    expect(copy).toMatchObject({ traceId: span.traceId, spanId: span.spanId, name: "work", kind: "client", statusCode: "error", statusMessage: "bad", attributes: { redacted: true } });
    expect(copy.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(copy.endTime).toBeGreaterThanOrEqual(copy.startTime);
    expect(copy.events.map((e) => e.name)).toEqual(["retry"]);

    const json = JSON.parse(JSON.stringify(span)) as Record<string, unknown>;
    expect(json).toMatchObject({ traceId: span.traceId, spanId: span.spanId, kind: "client", statusCode: "error", attributes: { "app.step": 2 } });
    expect(inspect(span)).toContain(span.spanId);
    expect(inspect(span)).toContain("statusMessage: 'bad'");
  });
});

describe("a contextStorage that fails before running the call", () => {
  it("still runs the user's function exactly once, returns its value, and counts an internal error", async () => {
    const { observe, span, stats } = await import("spanwise/node");
    init({
      serviceName: "storage",
      exporters: [createMemoryExporter()],
      logger: { warn: () => undefined },
      contextStorage: {
        async: false,
        get: () => undefined,
        run: () => {
          throw new Error("storage broke");
        },
      },
    });
    let calls = 0;
    const add = observe((a: number, b: number) => {
      calls++;
      return a + b;
    });
    expect(add(2, 3)).toBe(5);
    expect(span("direct", () => "ok")).toBe("ok");
    expect(calls).toBe(1);
    expect(stats().internalErrors).toBe(2);
    // The user's own error, thrown from inside a working storage, is still theirs.
    await shutdown();
    init({ serviceName: "storage", exporters: [createMemoryExporter()], logger: { warn: () => undefined } });
    const boom = observe(() => {
      throw new TypeError("mine");
    });
    expect(() => boom()).toThrow(TypeError);
    expect(stats().internalErrors).toBe(0);
  });
});
