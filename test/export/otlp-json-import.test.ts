import { afterEach, describe, expect, it } from "vitest";
// The bare core, as a Worker or an edge function gets it: no runtime entry, so nothing has
// loaded the OTLP/JSON encoder (spanwise/node, /deno, /bun and /lambda would have).
import { createMemoryExporter, createOtlpHttpExporter, flush, init, shutdown, span } from "spanwise";
import { type Collector, quietLogger, startCollector } from "../helpers/collector.js";
import { configError } from "../helpers/config-error.js";
import { type IgnoredVariable, optionsFromEnv } from "../../src/core/env.js";
import { resolveConfig } from "../../src/core/resolve-config.js";

describe("OTLP/JSON is its own import where bundles count (spanwise/otlp-json)", () => {
  let collector: Collector | undefined;
  afterEach(async () => {
    await shutdown();
    await collector?.close();
    collector = undefined;
  });

  it("refuses http/json for an OTLP endpoint without it, naming the option and the import", () => {
    const err = configError(() => init({ serviceName: "edge", endpoint: "http://127.0.0.1:9/v1/traces", protocol: "http/json", logger: quietLogger() }));
    expect(err.field).toBe("protocol");
    expect(err.message).toContain('import "spanwise/otlp-json"');
    expect(span("work", (s) => s.isRecording())).toBe(false);
    // The exporter's own constructor refuses it the same way.
    const direct = configError(() => createOtlpHttpExporter({ endpoint: "http://127.0.0.1:9/v1/traces", protocol: "http/json" }));
    expect(direct.field).toBe("protocol");
    expect(direct.source).toBe("createOtlpHttpExporter()");
  });

  it("warns about an OTEL_EXPORTER_OTLP_PROTOCOL that chose http/json, naming the variable and the import, and sends protobuf", () => {
    const names: Record<string, string> = {};
    const ignored: IgnoredVariable[] = [];
    const env = optionsFromEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" }, names, ignored);
    expect(resolveConfig(undefined, env, names, undefined, ignored).protocol).toBe("http/protobuf");
    expect(ignored.map((i) => i.variable)).toEqual(["OTEL_EXPORTER_OTLP_PROTOCOL"]);
    expect(ignored[0]?.message).toContain('import "spanwise/otlp-json"');
  });

  it("starts as before with protobuf, or with http/json and no OTLP endpoint to send it to", () => {
    expect(init({ serviceName: "edge", endpoint: "http://127.0.0.1:9/v1/traces", logger: quietLogger() })).toBe(true);
    return shutdown().then(() => {
      expect(init({ serviceName: "edge", protocol: "http/json", exporters: [createMemoryExporter()], logger: quietLogger() })).toBe(true);
    });
  });

  it("sends OTLP/JSON once spanwise/otlp-json is imported", async () => {
    await import("spanwise/otlp-json");
    collector = await startCollector();
    expect(init({ serviceName: "edge", endpoint: collector.url, protocol: "http/json", logger: quietLogger() })).toBe(true);
    span("lookup", () => undefined);
    await flush();
    const request = collector.requests[0];
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.raw ?? "{}").resourceSpans[0].scopeSpans[0].spans[0].name).toBe("lookup");
  });
});
