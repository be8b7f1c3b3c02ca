import { describe, expect, it } from "vitest";
import { ConfigError } from "../../core/errors.js";
import { instrument } from "./instrument.js";
import { instrumentDurableObject } from "./instrument-durable-object.js";
import { sameOptions, splitOptions } from "./options.js";

describe("Workers options", () => {
  it("splits the Workers-only settings from the core options, with defaults", () => {
    const { core, workers } = splitOptions({ serviceName: "api", flushTimeoutMs: 5000, propagateTo: ["https://a.example"] }, "instrument()");
    expect(core).toEqual({ serviceName: "api" });
    expect(workers).toEqual({ flushTimeoutMs: 5000, propagateTo: ["https://a.example"], captureQueryString: false, instrumentFetch: true });
  });

  it.each([
    [{ flushTimeoutMs: 25_000 }, "flushTimeoutMs"],
    [{ flushTimeoutMs: 1.5 }, "flushTimeoutMs"],
    [{ propagateTo: "https://a.example" }, "propagateTo"],
    [{ propagateTo: [42] }, "propagateTo"],
    [{ captureQueryString: "yes" }, "captureQueryString"],
    [{ instrumentFetch: 1 }, "instrumentFetch"],
    [{ serviceName: 42 }, "serviceName"],
    [{ endpoint: "not a url" }, "endpoint"],
  ])("rejects %j with a ConfigError naming %s, when instrument() is called", (options, field) => {
    const attempt = () => instrument({ fetch: () => new Response("ok") }, options as never);
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      expect((err as ConfigError).field).toBe(field);
    }
    expect(() => instrumentDurableObject(class {}, options as never)).toThrow(ConfigError);
  });

  it("names the wrapper in its errors and its own options among the known ones", () => {
    const handler = { fetch: () => new Response("ok") };
    expect(() => instrument(handler, { flushTimeout: 5000 } as never)).toThrow(/^spanwise: unknown option flushTimeout from instrument\(\): did you mean flushTimeoutMs\? \(known: flushTimeoutMs, propagateTo, captureQueryString, instrumentFetch, serviceName,/);
    expect(() => instrument(handler, { sampleRate: 2 })).toThrow(/^spanwise: invalid sampleRate from instrument\(\): expected a number from 0/);
    expect(() => instrumentDurableObject(class {}, { propagate_to: ["*"] } as never)).toThrow(/unknown option propagate_to from instrumentDurableObject\(\): did you mean propagateTo\?/);
  });

  it("compares options by value for plain data and by identity for everything else", () => {
    const exporter = { name: "x", export: async () => ({ ok: true }) };
    expect(sameOptions({ serviceName: "a", headers: { k: "v" }, propagateTo: [/x/] }, { serviceName: "a", headers: { k: "v" }, propagateTo: [/x/] })).toBe(true);
    expect(sameOptions({ exporters: [exporter] }, { exporters: [exporter] })).toBe(true);
    expect(sameOptions({ exporters: [exporter] }, { exporters: [{ ...exporter, export: async () => ({ ok: true }) }] })).toBe(false);
    expect(sameOptions({ serviceName: "a" }, { serviceName: "a", debug: true })).toBe(false);
  });
});
