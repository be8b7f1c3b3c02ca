import { afterEach, describe, expect, it } from "vitest";
// The Lambda entry loads redaction and the OTLP/JSON encoder, as spanwise/node does: a function
// bundled with it needs no spanwise/redact or spanwise/otlp-json import.
import "spanwise/lambda";
import { createMemoryExporter, createOtlpHttpExporter, flush, init, shutdown, span } from "spanwise";

describe("spanwise/lambda", () => {
  afterEach(() => shutdown());

  it("redacts and sends OTLP/JSON without their own imports", async () => {
    const memory = createMemoryExporter();
    expect(init({ serviceName: "fn", exporters: [memory], redact: true, protocol: "http/json", flushOnExit: false })).toBe(true);
    expect(createOtlpHttpExporter({ endpoint: "http://127.0.0.1:9/v1/traces", protocol: "http/json" }).name).toBe("otlp-http");
    span("lookup", (s) => s.setAttribute("customer.email", "ada.lovelace@analytical.example"));
    await flush();
    expect(memory.spans[0]?.attributes["customer.email"]).toBe("[REDACTED:email]");
  });
});
