import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact-url.js";

describe("redactUrl", () => {
  it("replaces query values, credentials and drops the fragment", () => {
    expect(redactUrl(new URL("https://u:p@api.example.com/s?q=secret&page=2#top"), false)).toBe("https://REDACTED:REDACTED@api.example.com/s?q=REDACTED&page=REDACTED");
  });

  it("keeps the query when asked, and leaves a URL without one untouched", () => {
    expect(redactUrl(new URL("https://api.example.com/s?q=1"), true)).toBe("https://api.example.com/s?q=1");
    expect(redactUrl(new URL("http://127.0.0.1:8787/chat"), false)).toBe("http://127.0.0.1:8787/chat");
  });

  it("never changes the URL it was given", () => {
    const url = new URL("https://a.example/x?token=abc");
    redactUrl(url, false);
    expect(url.href).toBe("https://a.example/x?token=abc");
  });
});
