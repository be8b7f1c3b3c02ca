// `spanwise check` against a real OTLP/HTTP receiver on 127.0.0.1: one test trace through the
// SDK's own exporter, and a plain verdict for each way it can go.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Collector, type Reply, attrs, closedPort, startCollector } from "../helpers/collector.js";
import { requireBuiltCli, spanwise } from "./run-cli.js";

let dir: string;
let collector: Collector | undefined;

beforeAll(requireBuiltCli);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "spanwise-check-"));
});
afterEach(async () => {
  await collector?.close();
  collector = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function answering(reply: Reply): Promise<Collector> {
  collector = await startCollector(() => reply);
  return collector;
}

const lines = (stdout: string): Record<string, string> =>
  Object.fromEntries(stdout.split("\n").filter((l) => /^[A-Z][a-zA-Z ]+: /.test(l)).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));

describe("spanwise check", () => {
  it("sends one trace with the configured service, headers and API key, and exits 0 when it is accepted", async () => {
    const c = await answering({ status: 200, body: "{}" });
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ serviceName: "checked", endpoint: c.url, headers: { "x-team": "blue" }, protocol: "http/json" }));
    const run = await spanwise(["check"], dir, { SPANWISE_API_KEY: "key-0123456789abcdef" });
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out.Reachable).toBe("yes");
    expect(out["HTTP status"]).toBe("200 OK");
    expect(out.Latency).toMatch(/^\d+ ms$/);
    expect(out.Result).toMatch(/^OK, the collector accepted the test trace \(trace id [0-9a-f]{32}\)\.$/);
    expect(out.Fix).toBeUndefined();
    expect(c.requests).toHaveLength(1);
    const [request] = c.requests;
    expect(request?.headers.authorization).toBe("Bearer key-0123456789abcdef");
    expect(request?.headers["x-team"]).toBe("blue");
    expect(request?.headers["content-encoding"]).toBe("gzip");
    expect(c.spans().map((s) => s.name)).toEqual(["spanwise check"]);
    expect(attrs(request?.body?.resourceSpans[0]?.resource.attributes)["service.name"]).toEqual({ stringValue: "checked" });
    expect(out.Result).toContain(c.spans()[0]?.traceId);
  });

  it("--endpoint overrides the configuration, a bare origin getting /v1/traces", async () => {
    const c = await answering({ status: 200, body: "{}" });
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ endpoint: "http://127.0.0.1:9/v1/traces" }));
    const run = await spanwise(["check", "--endpoint", `http://127.0.0.1:${c.port}`], dir);
    expect(run.code).toBe(0);
    expect(c.requests[0]?.url).toBe("/v1/traces");
  });

  it("never prints the endpoint's credentials or query values", async () => {
    const c = await answering({ status: 200, body: "{}" });
    writeFileSync(join(dir, "spanwise.config.json"), JSON.stringify({ endpoint: `${c.url}?api_key=SECRET123` }));
    const run = await spanwise(["check"], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Sending one test trace to ${c.url}?api_key=REDACTED`);
    expect(run.stdout).not.toContain("SECRET123");
    const flag = await spanwise(["check", "--endpoint", `http://alice:hunter2@127.0.0.1:${c.port}/v1/traces`], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--endpoint must be an http(s) URL without credentials");
    expect(flag.stdout + flag.stderr).not.toContain("hunter2");
  });

  it("401: reachable, but check the API key", async () => {
    const c = await answering({ status: 401, body: '{"message":"bad key"}' });
    const run = await spanwise(["check", "--endpoint", c.url], dir, { SPANWISE_API_KEY: "wrong-key-0123456789" });
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out.Reachable).toBe("yes");
    expect(out["HTTP status"]).toBe("401 Unauthorized");
    expect(out.Result).toBe("FAILED, the collector refused the credentials (not authenticated).");
    expect(out.Fix).toBe("check the API key (apiKey / SPANWISE_API_KEY) or the headers (headers / OTEL_EXPORTER_OTLP_HEADERS); sent authorization: Bearer wron…(20 chars).");
    expect(run.stdout).not.toContain("wrong-key-0123456789");
  });

  it("403 without credentials says none were sent", async () => {
    const c = await answering({ status: 403 });
    const run = await spanwise(["check", "--endpoint", c.url], dir);
    expect(run.code).toBe(1);
    expect(lines(run.stdout).Fix).toContain("; no authorization or other credential header was sent.");
  });

  it("401 names the credential headers that were sent, masked, when none is authorization", async () => {
    const c = await answering({ status: 401 });
    const key = "hcaik_0123456789abcdefghijklmnop";
    const run = await spanwise(["check", "--endpoint", c.url], dir, { OTEL_EXPORTER_OTLP_HEADERS: `x-honeycomb-team=${key},x-dataset=prod` });
    expect(run.code).toBe(1);
    expect(c.requests[0]?.headers["x-honeycomb-team"]).toBe(key);
    expect(lines(run.stdout).Fix).toBe("check the API key (apiKey / SPANWISE_API_KEY) or the headers (headers / OTEL_EXPORTER_OTLP_HEADERS); sent x-honeycomb-team: hcai…(32 chars), x-dataset: ****.");
    expect(run.stdout).not.toContain(key);
  });

  it("404: check the path, expected …/v1/traces", async () => {
    const c = await answering({ status: 404, body: "not found" });
    const run = await spanwise(["check", "--endpoint", `http://127.0.0.1:${c.port}/otlp/traces`], dir);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out["HTTP status"]).toBe("404 Not Found");
    expect(out.Result).toBe("FAILED, nothing receives traces at /otlp/traces.");
    expect(out.Fix).toBe(`check the path: OTLP/HTTP expects …/v1/traces, e.g. http://127.0.0.1:${c.port}/v1/traces.`);
  });

  it.each([
    [500, "FAILED, the collector is failing (HTTP 500).", "check the collector's logs; spanwise does not retry HTTP 500 (only 429, 502, 503, 504): each such export is dropped and counted in dropped.exportFailed."],
    [503, "FAILED, the collector is failing (HTTP 503).", "check the collector's logs; spanwise retries this status in normal use."],
    [429, "FAILED, the collector is throttling (HTTP 429).", "check the collector's logs; spanwise retries this status in normal use."],
  ])("HTTP %i says whether the exporter retries it, as it does", async (status, result, fix) => {
    const c = await answering({ status });
    const run = await spanwise(["check", "--endpoint", c.url], dir);
    expect(run.code).toBe(1);
    expect(lines(run.stdout).Result).toBe(result);
    expect(lines(run.stdout).Fix).toBe(fix);
  });

  it("a partial success that rejects the span is a failure", async () => {
    const c = await answering({ status: 200, body: JSON.stringify({ partialSuccess: { rejectedSpans: "1", errorMessage: "span too old" } }) });
    const run = await spanwise(["check", "--endpoint", c.url], dir);
    expect(run.code).toBe(1);
    expect(lines(run.stdout).Result).toBe("FAILED, the collector answered but rejected 1 span of 1 (OTLP partial success): span too old.");
  });

  it("a partial success in protobuf, the default protocol, says why too", async () => {
    // ExportTraceServiceResponse { partial_success (1) { rejected_spans (1): 1, error_message (2): "span too old" } }
    const reason = "span too old";
    const body = String.fromCharCode(0x0a, 4 + reason.length, 0x08, 0x01, 0x12, reason.length) + reason;
    const c = await answering({ status: 200, headers: { "content-type": "application/x-protobuf" }, body });
    const run = await spanwise(["check", "--endpoint", c.url], dir);
    expect(run.code).toBe(1);
    expect(lines(run.stdout).Result).toBe("FAILED, the collector answered but rejected 1 span of 1 (OTLP partial success): span too old.");
  });

  it("connection refused: is the collector running at HOST:PORT?", async () => {
    const port = await closedPort();
    const run = await spanwise(["check", "--endpoint", `http://127.0.0.1:${port}`], dir);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out.Reachable).toBe("no");
    expect(out["HTTP status"]).toBe("none");
    expect(out.Result).toBe(`FAILED, connection refused at 127.0.0.1:${port}.`);
    expect(out.Fix).toBe(`is the collector running at 127.0.0.1:${port}? OTLP/HTTP listens on port 4318 by default.`);
  });

  it("a collector slower than --timeout is a timeout", async () => {
    const c = await answering("hang");
    const run = await spanwise(["check", "--endpoint", c.url, "--timeout", "300"], dir);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out.Reachable).toBe("no");
    expect(out.Result).toBe(`FAILED, no answer from 127.0.0.1:${c.port} within 300 ms (timeout).`);
    expect(out.Fix).toContain("allow more time with --timeout");
    expect(c.requests).toHaveLength(1);
  });

  it("without an endpoint, or with a bad flag value, says what to pass", async () => {
    const none = await spanwise(["check"], dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no endpoint to send to. Pass --endpoint URL");
    const bad = await spanwise(["check", "--endpoint", "localhost:4318"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^spanwise check: --endpoint must be an http\(s\) URL/);
    const timeout = await spanwise(["check", "--endpoint", "http://127.0.0.1:4318", "--timeout", "soon"], dir);
    expect(timeout.code).toBe(2);
  });

  it("exits 1 with the ConfigError on a bad config file", async () => {
    const path = join(dir, "spanwise.config.json");
    writeFileSync(path, '{ "endpoint": "collector:4318" }');
    const run = await spanwise(["check"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`spanwise: invalid endpoint from ${path}: expected an http(s) URL such as http://localhost:4318/v1/traces, got "collector:4318"`);
  });
});
