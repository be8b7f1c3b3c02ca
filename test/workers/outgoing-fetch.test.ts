import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, attr, startWorker } from "./harness.js";

describe("instrument(): outgoing fetch", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker();
  });
  afterAll(() => w.close());

  it("traces each fetch as a CLIENT span and sends traceparent only to the same origin and allowed origins", async () => {
    const answer = (await (await w.get("/propagation")).json()) as Record<"sameOrigin" | "allowed" | "thirdParty", { traceparent: string | null }>;
    expect(answer.thirdParty.traceparent).toBeNull();
    expect(w.helper.requests.every((r) => r.traceparent === undefined)).toBe(true);
    expect(answer.allowed.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(answer.sameOrigin.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // The Worker calling itself: that request's root continues the caller's trace.
    const spans = await w.spansWhen((s) => s.some((x) => attr(x, "url.path") === "/propagation") && s.some((x) => attr(x, "url.path") === "/echo-headers"));
    const root = spans.find((s) => attr(s, "url.path") === "/propagation");
    const clients = spans.filter((s) => s.kind === 3 && s.traceId === root?.traceId);
    expect(clients).toHaveLength(3);
    for (const c of clients) expect(c.parentSpanId).toBe(root?.spanId);
    const self = clients.find((c) => String(attr(c, "url.full")).startsWith(w.url.origin));
    expect(attr(self, "url.full")).toBe(new URL("/echo-headers?token=REDACTED", w.url).href);
    expect(answer.sameOrigin.traceparent).toBe(`00-${self?.traceId}-${self?.spanId}-01`);
    const inner = spans.find((s) => attr(s, "url.path") === "/echo-headers");
    expect(inner?.traceId).toBe(root?.traceId);
    expect(inner?.parentSpanId).toBe(self?.spanId);
    const allowed = clients.find((c) => String(attr(c, "url.full")).startsWith(w.allowed.url));
    expect(answer.allowed.traceparent).toBe(`00-${allowed?.traceId}-${allowed?.spanId}-01`);
    expect(attr(allowed, "http.response.status_code")).toBe(200);
    expect(attr(allowed, "server.address")).toBe("127.0.0.1");
  });

  it("never traces its own export requests", async () => {
    const spans = w.collector.spans();
    expect(spans.length).toBeGreaterThan(0);
    expect(spans.some((s) => String(attr(s, "url.full") ?? "").startsWith(w.collector.url.replace(/\/v1\/traces$/, "")))).toBe(false);
  });
});
