import { describe, expect, it } from "vitest";
import { redactQuery } from "./redact-query.js";

describe("redactQuery", () => {
  it("keeps the keys and replaces every value, and gives nothing for a URL without a query", () => {
    expect(redactQuery(new URL("https://api.example.com/s?token=abc&q=a%20b&flag"))).toBe("token=REDACTED&q=REDACTED&flag=REDACTED");
    expect(redactQuery(new URL("https://api.example.com/s"))).toBeUndefined();
  });
});
