import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Stats, createMemoryExporter, flush, init, observe, shutdown, span, stats } from "spanwise/node";
import { type Collector, type Reply, closedPort, quietLogger, startCollector } from "../helpers/collector.js";

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
    // Says why it did not wait.
    expect(s.lastError).toContain("(Retry-After 30 s is past what is left of exportTimeoutMs 2000)");
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

  it("says that fetch refuses a port the Fetch standard blocks, not that the collector may be down", async () => {
    init({ endpoint: "http://127.0.0.1:6000/v1/traces?api_key=sk-live-0123456789", exportTimeoutMs: 3000, logger: quietLogger() });
    const { spans } = await traceSomeWork();
    await flush();
    const s = stats();
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.lastError).toContain("fetch refuses http://127.0.0.1:6000/v1/traces?api_key=REDACTED: the Fetch standard blocks its port (OTLP/HTTP's is usually 4318)");
  });

  it("tries a blocked port once: fetch refuses it every time", async () => {
    const calls: string[] = [];
    const blocked = Object.assign(new TypeError("fetch failed"), { cause: new Error("bad port") });
    init({ endpoint: "http://127.0.0.1:6000/v1/traces", exportTimeoutMs: 5000, logger: quietLogger(), fetch: async (input: RequestInfo | URL) => (calls.push(String(input)), Promise.reject(blocked)) });
    await traceSomeWork();
    await flush();
    expect(calls).toHaveLength(1);
    expect(stats().lastError).toMatch(/^fetch refuses /);
  });

  it("keeps a key in the endpoint's query out of lastError and the warnings when the collector cannot be reached", async () => {
    const port = await closedPort();
    const logger = quietLogger();
    init({ endpoint: `http://127.0.0.1:${port}/v1/traces?api_key=sk-live-0123456789`, exportTimeoutMs: 3000, logger, debug: true });
    await traceSomeWork();
    await flush();
    const { lastError } = stats();
    expect(lastError).toContain(`cannot reach http://127.0.0.1:${port}/v1/traces?api_key=REDACTED`);
    expect(logger.messages.some((m) => m.includes("cannot reach"))).toBe(true);
    expect([lastError, ...logger.messages].filter((m) => m?.includes("0123456789"))).toEqual([]);
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
    // The collector's reason, so the warning says what to fix.
    expect(logger.messages.filter((m) => m.includes(`the collector rejected 1 of ${spans} spans: span too old`))).toHaveLength(1);
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

/** A TCP server on 127.0.0.1 that answers every connection with bytes that are not HTTP, then hangs up. */
async function startGarbageServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.end("\x00\x01garbage that is not HTTP\r\n\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, connections: () => connections, close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function droppedTotal(s: Stats): number {
  return Object.values(s.dropped).reduce((a, b) => a + b, 0);
}

describe("OTLP/HTTP export under every kind of fault", () => {
  const faults: [string, Reply | "slow", number][] = [
    ["answers 500", { status: 500 }, 1],
    ["answers 429 with Retry-After", { status: 429, headers: { "retry-after": "0" } }, 5],
    ["answers 400", { status: 400, body: "bad" }, 1],
    ["answers only after the timeout", "slow", 1],
    ["never answers", "hang", 1],
    ["resets the connection", "reset", 5],
  ];

  it.each(faults)("when the collector %s, user code sees nothing, retries are as specified and every span is counted", async (_, fault, attempts) => {
    const late: (() => void)[] = [];
    collector = await startCollector(async () => {
      if (fault !== "slow") return fault;
      // Answers 200, but only once the exporter has given up waiting.
      await new Promise<void>((resolve) => late.push(resolve));
      return { status: 200, body: "{}" };
    });
    init({ endpoint: collector.url, exportTimeoutMs: fault === "slow" || fault === "hang" ? 300 : 5000, logger: quietLogger() });

    const { result, spans } = await traceSomeWork();
    await expect(flush()).resolves.toBeUndefined();
    for (const answer of late) answer();
    await collector.close();

    expect(result).toBe("done 41");
    expect(collector.requests).toHaveLength(attempts);
    const s = stats();
    expect(s.ended).toBe(spans);
    expect(s.exported).toBe(0);
    expect(s.dropped.exportFailed).toBe(spans);
    expect(s.exported + droppedTotal(s)).toBe(s.ended);
    expect(s.exportErrors).toBe(1);
  });

  it("retries a collector that answers with garbage instead of HTTP, counts the spans and never throws", async () => {
    const garbage = await startGarbageServer();
    try {
      init({ endpoint: garbage.url, exportTimeoutMs: 5000, logger: quietLogger() });
      const { result, spans } = await traceSomeWork();
      await expect(flush()).resolves.toBeUndefined();

      expect(result).toBe("done 41");
      // Not HTTP is a network error: retried up to the attempt limit.
      expect(garbage.connections()).toBe(5);
      const s = stats();
      expect(s.dropped.exportFailed).toBe(spans);
      expect(s.exported + droppedTotal(s)).toBe(s.ended);
      expect(s.lastError).toMatch(/cannot reach/);
    } finally {
      await garbage.close();
    }
  });

  it("counts spans as exported when a 200 answer's body is not valid OTLP", async () => {
    collector = await startCollector(() => ({ status: 200, body: "<html>ok</html> {partialSuccess" }));
    init({ endpoint: collector.url, logger: quietLogger() });
    const { spans } = await traceSomeWork();
    await flush();
    expect(stats().exported).toBe(spans);
  });

  it("warns once per interval for a 401, names the API key as the cause and never prints the key or header values", async () => {
    collector = await startCollector(() => ({ status: 401, body: "unauthorized" }));
    const logger = quietLogger();
    init({ endpoint: collector.url, apiKey: "sk-live-SECRET-123456", headers: { "x-honeycomb-team": "team-secret-value" }, logger });

    for (let i = 0; i < 3; i++) {
      await traceSomeWork();
      await flush();
    }

    expect(collector.requests).toHaveLength(3);
    expect(collector.requests[0]!.headers.authorization).toBe("Bearer sk-live-SECRET-123456");
    const warnings = logger.messages.filter((m) => m.includes("401"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/API key/);
    expect(stats().lastError).toMatch(/API key/);
    expect(stats().exportErrors).toBe(3);
    for (const m of logger.messages) {
      expect(m).not.toContain("sk-live-SECRET-123456");
      expect(m).not.toContain("team-secret-value");
    }
  });

  it("masks the API key and header values in stats().lastError as the warning does", async () => {
    const apiKey = "sk-live-abcdefghijklmnop";
    const team = "hdrsecretvalue";
    const secrets = { apiKey, headers: { "x-team-key": team } };
    const logger = quietLogger();
    // A fetch of one's own (a proxy's client) whose error quotes what it was sent.
    const leaky = async (): Promise<Response> => {
      throw new TypeError(`request failed with key ${apiKey} and team ${team}`);
    };
    init({ ...secrets, endpoint: "http://127.0.0.1:9/v1/traces", fetch: leaky, exportTimeoutMs: 1000, logger });
    span("s", () => undefined);
    await flush();
    expect(stats().lastError).toContain("request failed with key **** and team ****");
    await shutdown();

    // An exporter of one's own that fails, and a processor that throws, saying the same.
    const failing = { name: "mine", export: async () => ({ ok: false, error: `refused ${apiKey}` }) };
    init({ ...secrets, exporters: [failing], logger });
    span("s", () => undefined);
    await flush();
    expect(stats().lastError).toBe("refused ****");
    await shutdown();
    const processors = [
      () => {
        throw new Error(`no team ${team}`);
      },
    ];
    init({ ...secrets, exporters: [createMemoryExporter()], processors, logger });
    span("s", () => undefined);
    await flush();
    expect(stats().lastError).toBe("processor: no team ****");
    for (const m of logger.messages) expect(m).not.toMatch(/sk-live-abcdefghijklmnop|hdrsecretvalue/);
  });

  it("traces the span lifecycle and export outcomes in debug mode, with secrets masked", async () => {
    collector = await startCollector();
    const logger = quietLogger();
    init({ endpoint: collector.url, debug: true, apiKey: "sk-debug-ABCDEF", logger });
    span("visible-step", (s) => s.setAttribute("note", "uses sk-debug-ABCDEF"));
    await flush();

    const text = logger.messages.join("\n");
    expect(text).toMatch(/start visible-step/);
    expect(text).toMatch(/end visible-step/);
    expect(text).toMatch(/exported 1 spans/);
    expect(text).not.toContain("sk-debug-ABCDEF");
  });
});
