import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OtlpSpan } from "../helpers/collector.js";
import { type RunningWorker, attr, startWorker } from "./harness.js";

interface EventFetcher {
  scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string; noRetry: boolean }>;
  queue(queue: string, messages: { id: string; timestamp: Date; body: unknown; attempts: number }[]): Promise<{ outcome: string }>;
}

describe("instrument(): scheduled, queue, email and tail events", () => {
  let w: RunningWorker;
  let plain: RunningWorker;
  let worker: EventFetcher;
  let plainWorker: EventFetcher;
  beforeAll(async () => {
    [w, plain] = await Promise.all([startWorker(), startWorker({ fixture: "plain-worker.ts" })]);
    worker = (await w.mf.getWorker()) as unknown as EventFetcher;
    plainWorker = (await plain.mf.getWorker()) as unknown as EventFetcher;
  });
  afterAll(() => Promise.all([w.close(), plain.close()]));

  const children = (spans: OtlpSpan[], root: OtlpSpan | undefined) => spans.filter((s) => s.parentSpanId === root?.spanId).map((s) => s.name).sort();

  it("traces a Cron Trigger with its cron, waitUntil work included", async () => {
    const result = await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
    expect(result.outcome).toBe("ok");
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "cron-later"));
    const root = spans.find((s) => s.name === "scheduled */5 * * * *");
    expect(attr(root, "faas.trigger")).toBe("timer");
    expect(attr(root, "faas.cron")).toBe("*/5 * * * *");
    expect(attr(root, "faas.time")).toBe("2025-01-02T03:04:05.000Z");
    expect(children(spans, root)).toEqual(["cron-later", "cron-work"]);
  });

  it("records a failing Cron Trigger and leaves its outcome as it was", async () => {
    const [traced, untraced] = await Promise.all([worker.scheduled({ cron: "fail" }), plainWorker.scheduled({ cron: "fail" })]);
    expect(traced).toEqual(untraced);
    expect(traced.outcome).toBe("exception");
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "scheduled fail"));
    expect(spans.find((s) => s.name === "scheduled fail")?.status.message).toBe("cron failed");
  });

  it("traces a Queue batch as a CONSUMER span with the queue name and batch size", async () => {
    const messages = [1, 2, 3].map((n) => ({ id: `m${n}`, timestamp: new Date(), body: { n }, attempts: 1 }));
    expect((await worker.queue("jobs", messages)).outcome).toBe("ok");
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "process jobs"));
    const root = spans.find((s) => s.name === "process jobs");
    expect(root?.kind).toBe(5);
    expect(attr(root, "messaging.destination.name")).toBe("jobs");
    expect(attr(root, "messaging.batch.message_count")).toBe(3);
    expect(attr(root, "faas.trigger")).toBe("pubsub");
    expect(children(spans, root)).toEqual(["message", "message", "message"]);
  });

  it("traces email and tail events", async () => {
    await (await w.get("/fire-email")).text();
    await (await w.get("/fire-tail")).text();
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "email") && s.some((x) => x.name === "tail"));
    expect(children(spans, spans.find((s) => s.name === "email"))).toEqual(["read-mail"]);
    const tail = spans.find((s) => s.name === "tail");
    expect(attr(tail, "cloudflare.tail.event_count")).toBe(3);
    expect(children(spans, tail)).toEqual(["tail-work"]);
  });
});
