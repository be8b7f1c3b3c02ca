import { afterEach, describe, expect, it } from "vitest";
// The bare core, as a Worker or an edge function gets it: no runtime entry, so nothing has
// loaded redaction (spanwise/node, /deno, /bun and /lambda would have).
import { createMemoryExporter, flush, init, shutdown, span, stats } from "spanwise";
import { configError, envConfigError } from "../helpers/config-error.js";
import { quietLogger } from "../helpers/collector.js";

const EMAIL = "ada.lovelace@analytical.example";

describe("redaction is its own import where bundles count (spanwise/redact)", () => {
  afterEach(() => shutdown());

  it("refuses a redact option without it, naming the option and the import, and starts nothing", () => {
    for (const redact of [true, { mode: "hash" as const, salt: "a-long-enough-salt" }, { keys: ["ssn"] }]) {
      const err = configError(() => init({ serviceName: "edge", redact, exporters: [createMemoryExporter()] }));
      expect(err.field).toBe("redact");
      expect(err.source).toBe("init()");
      expect(err.message).toContain('import "spanwise/redact"');
    }
    // Nothing started: spans run untraced.
    expect(span("work", (s) => s.isRecording())).toBe(false);
    expect(stats().ended).toBe(0);
  });

  it("names the environment variable when SPANWISE_REDACT asked for it", () => {
    const err = envConfigError({ SPANWISE_REDACT: "hash", SPANWISE_REDACT_SALT: "a-long-enough-salt" });
    expect(err.field).toBe("SPANWISE_REDACT");
    expect(err.source).toBe("environment");
  });

  it("keeps the hash salt out of the error, which ends up in logs", () => {
    const salt = "s3cret-salt-never-logged";
    const fromEnv = envConfigError({ SPANWISE_REDACT: "hash", SPANWISE_REDACT_SALT: salt });
    const fromInit = configError(() => init({ serviceName: "edge", redact: { mode: "hash", salt }, exporters: [createMemoryExporter()] }));
    for (const err of [fromEnv, fromInit]) {
      expect(err.message).toContain('"mode":"hash"');
      expect(err.message).not.toContain(salt);
      expect(JSON.stringify(err.value)).not.toContain(salt);
    }
  });

  it("starts as before when redaction is off or unset", async () => {
    for (const redact of [false, undefined]) {
      const memory = createMemoryExporter();
      expect(init({ serviceName: "edge", redact, exporters: [memory], logger: quietLogger() })).toBe(true);
      span("lookup", (s) => s.setAttribute("customer.email", EMAIL));
      await flush();
      expect(memory.spans[0]?.attributes["customer.email"]).toBe(EMAIL);
      await shutdown();
    }
  });

  it("redacts once spanwise/redact is imported, with the same options", async () => {
    await import("spanwise/redact");
    const memory = createMemoryExporter();
    expect(init({ serviceName: "edge", redact: true, exporters: [memory], logger: quietLogger() })).toBe(true);
    span("lookup", (s) => s.setAttribute("customer.email", EMAIL));
    await flush();
    expect(memory.spans[0]?.attributes["customer.email"]).toBe("[REDACTED:email]");
    // Its own validation is back too: a field it does not know is named exactly.
    await shutdown();
    const err = configError(() => init({ serviceName: "edge", redact: { mode: "blur" } as never, exporters: [memory] }));
    expect(err.field).toBe("redact.mode");
  });
});
