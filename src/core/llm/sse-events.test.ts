import { describe, expect, it } from "vitest";
import { createSseSplitter } from "./sse-events.js";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe("createSseSplitter", () => {
  it("splits events across any chunk boundary and keeps their exact bytes", () => {
    const source = 'event: a\ndata: {"x":1}\n\n: comment\ndata: line1\ndata: line2\n\ndata: é\r\n\r\ndata: [DONE]\n\n';
    for (let size = 1; size <= source.length; size++) {
      const sse = createSseSplitter();
      const events = [];
      const all = bytes(source);
      for (let i = 0; i < all.length; i += size) events.push(...sse.push(all.subarray(i, i + size)));
      expect(events.map((e) => [e.event, e.data])).toEqual([["a", '{"x":1}'], [undefined, "line1\nline2"], [undefined, "é"], [undefined, "[DONE]"]]);
      expect(events.map((e) => text(e.raw)).join("")).toBe(source);
      expect(sse.end().length).toBe(0);
    }
  });

  it("holds an unfinished event until the end", () => {
    const sse = createSseSplitter();
    expect(sse.push(bytes("data: partial"))).toEqual([]);
    expect(text(sse.end())).toBe("data: partial");
  });
});
