import { describe, expect, it } from "vitest";
import { nearestName } from "./nearest-name.js";

const OPTIONS = ["serviceName", "sampleRate", "exporters", "endpoint", "apiKey", "maxEvents", "maxLinks"];

describe("nearestName", () => {
  it.each([
    ["sampleRatio", "sampleRate"],
    ["exporter", "exporters"],
    ["service_name", "serviceName"],
    ["SERVICE-NAME", "serviceName"],
    ["apikey", "apiKey"],
    ["endpiont", "endpoint"],
    ["maxLink", "maxLinks"],
  ])("takes %s for %s", (given, meant) => {
    expect(nearestName(given, OPTIONS)).toBe(meant);
  });

  it.each(["colour", "x", "ab", "samplingProbability", ""])("suggests nothing for %j", (given) => {
    expect(nearestName(given, OPTIONS)).toBeUndefined();
  });

  it("prefers the closer of two candidates, whichever comes first", () => {
    expect(nearestName("maxEvent", ["maxLinks", "maxEvents"])).toBe("maxEvents");
    expect(nearestName("maxLink", ["maxEvents", "maxLinks"])).toBe("maxLinks");
  });
});
