import { describe, expect, it } from "vitest";
import { resolveConfig } from "../core/resolve-config.js";
import { explainOutcome } from "./explain-outcome.js";
import type { TestTraceOutcome } from "./send-test-trace.js";

describe("explainOutcome", () => {
  it("masks the endpoint's query values where an error text quotes the URL", () => {
    const endpoint = "https://collector.example.com/v1/traces?api_key=SECRET123";
    const config = { ...resolveConfig({ endpoint }), endpoint };
    const outcome: TestTraceOutcome = { traceId: "t", latencyMs: 3, status: undefined, statusText: "", body: new Uint8Array(), contentType: undefined, rejected: 0, failure: { name: "TypeError", code: undefined, message: `request to ${endpoint} failed` }, error: undefined };
    const verdict = explainOutcome(outcome, config, 1000);
    expect(verdict.result).toContain("https://collector.example.com/v1/traces?api_key=REDACTED");
    expect(`${verdict.result} ${verdict.fix}`).not.toContain("SECRET123");
    const refused = explainOutcome({ ...outcome, status: 418, failure: undefined, error: `HTTP 418 from ${endpoint}` }, config, 1000);
    expect(refused.fix).not.toContain("SECRET123");
  });
});
