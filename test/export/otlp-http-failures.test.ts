import { afterEach, describe, expect, it } from "vitest";
import { flush, init, observe, shutdown, span, stats } from "spanwise/node";
import { type Collector, closedPort, quietLogger, startCollector } from "../helpers/collector.js";

let collector: Collector | undefined;

afterEach(async () => {
  await shutdown();
  await collector?.close();
  collector = undefined;
});

/** Makes a root span with two children through observe and span; returns the result and the span count. */
async function traceSomeWork(): Promise<{ result: string; spans: number }> {
  const work = observe(
    async (x: number) => {
      span("step-a", () => x + 1);
      await span("step-b", async () => x + 2);
      return `done ${x}`;
    },
    { name: "work" },
  );
  return { result: await work(41), spans: 3 };
}

describe("OTLP/HTTP export failures", () => {
  it("gives up on a collector that answers 500, counts the spans as failed and never throws into user code", async () => {
    // OTLP/HTTP retries only 429, 502, 503 and 504 ("Retryable Response Codes"), so a 500 is final.
    collector = await startCollector(() => ({ status: 500, body: "internal error" }));
    const logger = quietLogger();
    init({ endpoint: collector.url, exportTimeoutMs: 5000, logger });

    const { result, spans } = await traceSomeWork();
    await expect(flush()).resolves.toBeUndefined();

    expect(result).toBe("done 41");
    expect(collector.requests).toHaveLength(1);
    const s = stats();
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.exportErrors).toBeGreaterThan(0);
    expect(s.lastError).toContain("500");
    expect(logger.messages.some((m) => m.includes("500"))).toBe(true);
  });

  it("retries a collector that keeps answering 502 up to the attempt limit, then gives up", async () => {
    collector = await startCollector(() => ({ status: 502 }));
    init({ endpoint: collector.url, logger: quietLogger() });

    const { result, spans } = await traceSomeWork();
    await flush();

    expect(result).toBe("done 41");
    // Five attempts per export by default; backoff (at most ~3 s in all) stays inside the 10 s bound.
    expect(collector.requests).toHaveLength(5);
    const bodies = new Set(collector.requests.map((r) => r.raw));
    expect(bodies.size).toBe(1);
    const s = stats();
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.exportErrors).toBe(1);
    expect(s.lastError).toContain("502");
  });

  it("does not retry a 400 answer", async () => {
    collector = await startCollector(() => ({ status: 400, body: '{"code":3,"message":"bad"}' }));
    init({ endpoint: collector.url, logger: quietLogger() });

    const { result, spans } = await traceSomeWork();
    await flush();

    expect(result).toBe("done 41");
    expect(collector.requests).toHaveLength(1);
    const s = stats();
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.exportErrors).toBe(1);
    expect(s.lastError).toContain("400");
  });

  it("waits as long as a 503's Retry-After asks, then succeeds", async () => {
    collector = await startCollector((i) => (i === 0 ? { status: 503, headers: { "retry-after": "1" } } : { status: 200, body: "{}" }));
    init({ endpoint: collector.url, logger: quietLogger() });

    const { spans } = await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(2);
    const [first, second] = collector.requests;
    const gap = second!.receivedAt - first!.receivedAt;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(5000);
    expect(second!.raw).toBe(first!.raw);
    const s = stats();
    expect(s.exported).toBe(spans);
    expect(s.dropped.exportFailed).toBe(0);
    expect(s.exportErrors).toBe(0);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    // HTTP dates have whole seconds: two seconds ahead is between one and two seconds away.
    collector = await startCollector((i) => (i === 0 ? { status: 429, headers: { "retry-after": new Date(Date.now() + 2000).toUTCString() } } : { status: 200, body: "{}" }));
    init({ endpoint: collector.url, logger: quietLogger() });

    const { spans } = await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]!.receivedAt - collector.requests[0]!.receivedAt).toBeGreaterThanOrEqual(900);
    expect(stats().exported).toBe(spans);
  });

  it("gives up at once when a Retry-After would outlast exportTimeoutMs", async () => {
    collector = await startCollector(() => ({ status: 429, headers: { "retry-after": "30" } }));
    init({ endpoint: collector.url, exportTimeoutMs: 2000, logger: quietLogger() });

    const { spans } = await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(1);
    const s = stats();
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.lastError).toContain("429");
  });

  it("counts the spans as failed when the collector cannot be reached, without throwing", async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}/v1/traces`;
    init({ endpoint, exportTimeoutMs: 3000, logger: quietLogger() });

    const { result, spans } = await traceSomeWork();
    await expect(flush()).resolves.toBeUndefined();

    expect(result).toBe("done 41");
    const s = stats();
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.exportErrors).toBe(1);
    expect(s.lastError).toContain(`127.0.0.1:${port}`);
    expect(s.lastError).toMatch(/cannot reach|ECONNREFUSED/);
  });

  it("counts an export as failed when the collector does not answer within exportTimeoutMs, and flush still resolves", async () => {
    collector = await startCollector(() => "hang");
    init({ endpoint: collector.url, exportTimeoutMs: 300, logger: quietLogger() });

    const { result, spans } = await traceSomeWork();
    await expect(flush()).resolves.toBeUndefined();

    expect(result).toBe("done 41");
    expect(collector.requests.length).toBeGreaterThanOrEqual(1);
    const s = stats();
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.exportErrors).toBe(1);
    expect(s.lastError).toContain("300 ms");
  });

  it("counts the spans a collector rejects in a partial success as rejected, and the rest as exported", async () => {
    collector = await startCollector(() => ({ status: 200, body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"span too old"}}' }));
    const logger = quietLogger();
    init({ endpoint: collector.url, logger });

    const { spans } = await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(1);
    const s = stats();
    expect(s.dropped.rejected).toBe(1);
    expect(s.exported).toBe(spans - 1);
    expect(s.dropped.exportFailed).toBe(0);
    expect(s.exportErrors).toBe(0);
    expect(logger.messages.some((m) => m.includes("rejected"))).toBe(true);
  });

  it("treats an empty partialSuccess as full success", async () => {
    collector = await startCollector(() => ({ status: 200, body: '{"partialSuccess":{}}' }));
    init({ endpoint: collector.url, logger: quietLogger() });

    const { spans } = await traceSomeWork();
    await flush();

    const s = stats();
    expect(s.exported).toBe(spans);
    expect(s.dropped.rejected).toBe(0);
  });

  it("keeps exporting after a failed export once the collector recovers", async () => {
    collector = await startCollector((i) => (i === 0 ? { status: 400 } : { status: 200, body: "{}" }));
    init({ endpoint: collector.url, scheduleDelayMs: 60_000, logger: quietLogger() });

    await traceSomeWork();
    await flush();
    await traceSomeWork();
    await flush();

    expect(collector.requests).toHaveLength(2);
    const s = stats();
    expect(s.dropped.exportFailed).toBe(3);
    expect(s.exported).toBe(3);
    expect(s.exportErrors).toBe(1);
  });
});
