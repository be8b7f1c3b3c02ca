import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, attr, startWorker } from "../workers/harness.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/worker.ts", import.meta.url));
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

describe("tracing() for Hono in workerd", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker({ fixture: FIXTURE, durableObjects: false });
  });
  afterAll(() => w.close());

  it("names the Worker's one SERVER span after the route and keeps the caller's trace", async () => {
    const res = await w.get("/items/17", { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
    const body = (await res.json()) as { server: string; child: string; helperSaw: string };
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "GET /items/:id"));
    const servers = spans.filter((s) => s.traceId === CALLER_TRACE && s.kind === 2);
    expect(servers).toHaveLength(1);
    const server = servers[0]!;
    expect(server).toMatchObject({ name: "GET /items/:id", spanId: body.server, parentSpanId: CALLER_SPAN });
    expect(attr(server, "http.route")).toBe("/items/:id");
    expect(attr(server, "http.response.status_code")).toBe(200);
    expect(spans.find((s) => s.name === "lookup")).toMatchObject({ spanId: body.child, parentSpanId: body.server });
    const client = spans.find((s) => s.kind === 3 && s.traceId === CALLER_TRACE);
    expect(client?.parentSpanId).toBe(body.server);
    expect(body.helperSaw).toBe(`00-${CALLER_TRACE}-${client?.spanId}-01`);
  });

  it("records handler errors and HTTPExceptions that Hono turned into responses", async () => {
    expect((await w.get("/fail")).status).toBe(500);
    expect((await w.get("/teapot")).status).toBe(418);
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "GET /fail") && s.some((x) => x.name === "GET /teapot"));
    const fail = spans.find((s) => s.name === "GET /fail");
    expect(fail?.status).toMatchObject({ code: 2, message: "worker boom" });
    // The exception's type, which the Worker's 500 does not replace.
    expect(attr(fail, "error.type")).toBe("Error");
    expect(fail?.events?.find((e) => e.name === "exception")).toBeDefined();
    const teapot = spans.find((s) => s.name === "GET /teapot");
    expect(teapot?.status?.code ?? 0).toBe(0);
    expect(attr(teapot, "http.response.status_code")).toBe(418);
  });

  it("keeps the span open while an SSE body streams", async () => {
    const text = await (await w.get("/events")).text();
    expect(text).toContain("two");
    const spans = await w.spansWhen((s) => s.some((x) => x.name === "GET /events") && s.some((x) => x.name === "in the stream"));
    const server = spans.find((s) => s.name === "GET /events")!;
    const inner = spans.find((s) => s.name === "in the stream")!;
    expect(inner.parentSpanId).toBe(server.spanId);
    expect(BigInt(server.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(inner.endTimeUnixNano));
  });
});
