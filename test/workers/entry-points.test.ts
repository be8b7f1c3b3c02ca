import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorker, attr, startWorker } from "./harness.js";

describe("package entry points under workerd", () => {
  let w: RunningWorker;
  beforeAll(async () => {
    w = await startWorker({ fixture: "bare-import.ts", durableObjects: false });
  });
  afterAll(() => w.close());

  it('resolves bare "spanwise" to the Workers build, with instrument() and context across await', async () => {
    expect(await (await w.get("/")).json()).toEqual({ instrument: "function", currentAfterAwait: true });
    const spans = await w.spansWhen((s) => s.length === 1);
    expect(attr(spans[0], "faas.trigger")).toBe("http");
  });
});
