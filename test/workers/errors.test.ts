import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attrs } from "../helpers/collector.js";
import { type RunningWorker, attr, startWorker } from "./harness.js";

describe("instrument(): a handler that throws", () => {
  let traced: RunningWorker;
  let plain: RunningWorker;
  beforeAll(async () => {
    [traced, plain] = await Promise.all([startWorker(), startWorker({ fixture: "plain-worker.ts" })]);
  });
  afterAll(() => Promise.all([traced.close(), plain.close()]));

  it("answers exactly as the same Worker without spanwise does", async () => {
    const [a, b] = await Promise.all([traced.get("/throw"), plain.get("/throw")]);
    expect(a.status).toBe(500);
    expect(a.status).toBe(b.status);
    expect([...a.headers.keys()].sort()).toEqual([...b.headers.keys()].sort());
    expect(await a.text()).toBe(await b.text());
  });

  it("records the exception on the root span and exports it", async () => {
    const spans = await traced.spansWhen((s) => s.some((x) => attr(x, "url.path") === "/throw"));
    const root = spans.find((s) => attr(s, "url.path") === "/throw");
    expect(root?.status.code).toBe(2);
    expect(root?.status.message).toBe("boom from the handler");
    const event = root?.events?.find((e) => e.name === "exception");
    expect(attrs(event?.attributes)["exception.type"]?.stringValue).toBe("Error");
    expect(attrs(event?.attributes)["exception.message"]?.stringValue).toBe("boom from the handler");
    expect(attrs(event?.attributes)["exception.stacktrace"]?.stringValue).toContain("boom from the handler");
  });

  it("rethrows the very error the handler threw", async () => {
    expect(await (await traced.get("/identity")).json()).toEqual({ threw: true, same: true });
  });

  it("records a value that is not a Response as an error, and the runtime answers as without spanwise", async () => {
    const [a, b] = await Promise.all([traced.get("/not-a-response"), plain.get("/not-a-response")]);
    expect(a.status).toBe(500);
    expect(a.status).toBe(b.status);
    expect(await a.text()).toBe(await b.text());
    const spans = await traced.spansWhen((s) => s.some((x) => attr(x, "url.path") === "/not-a-response"));
    const root = spans.find((s) => attr(s, "url.path") === "/not-a-response");
    expect(root?.status.code).toBe(2);
    expect(attr(root, "error.type")).toBe("not_a_response");
    // workerd answers 500 only to a client from outside: a service binding's caller gets the TypeError.
    expect(attr(root, "http.response.status_code")).toBeUndefined();
  });

  it("keeps serving afterwards", async () => {
    expect(await (await traced.get("/plain")).json()).toEqual({ plain: true });
    expect((await traced.debug()).stats.internalErrors).toBe(0);
  });
});
