import { describe, expect, it } from "vitest";
import { stripJsonComments } from "./strip-json-comments.js";

const parse = (text: string): unknown => JSON.parse(stripJsonComments(text));

describe("stripJsonComments", () => {
  it("removes line and block comments", () => {
    expect(parse('// head\n{ "a": 1, /* inline */ "b": 2 // tail\n}\n/* end\n */')).toEqual({ a: 1, b: 2 });
  });

  it("removes trailing commas before } and ], across whitespace and comments", () => {
    expect(parse('{ "a": [1, 2, ], "b": 3,\n  // "c": 4,\n}')).toEqual({ a: [1, 2], b: 3 });
  });

  it("leaves comment markers and commas inside strings alone, escaped quotes included", () => {
    const text = '{ "url": "http://x//y", "glob": "/* not */", "q": "say \\"hi\\", // still text", "c": ",}" }';
    expect(parse(text)).toEqual({ url: "http://x//y", glob: "/* not */", q: 'say "hi", // still text', c: ",}" });
  });

  it("keeps line and column positions: comments become spaces, newlines stay", () => {
    const text = '{\n  // note\n  "a": /* x */ 1\n}';
    const out = stripJsonComments(text);
    expect(out.length).toBe(text.length);
    expect(out.split("\n").length).toBe(text.split("\n").length);
    expect(out.indexOf('"a"')).toBe(text.indexOf('"a"'));
  });

  it("leaves an unclosed block comment for JSON.parse to reject", () => {
    expect(() => parse('{ "a": 1 /* never closed }')).toThrow(SyntaxError);
  });

  it("does not invent commas or accept other non-JSON", () => {
    expect(() => parse("{ a: 1 }")).toThrow(SyntaxError);
    expect(() => parse('{ "a": 1 "b": 2 }')).toThrow(SyntaxError);
    expect(stripJsonComments('[1,,]')).toBe("[1, ]");
  });
});
