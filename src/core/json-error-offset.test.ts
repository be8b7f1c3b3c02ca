import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/helpers/seeded-random.js";
import { jsonErrorOffset } from "./json-error-offset.js";

// V8's JSON.parse names the position of most errors; the scanner is for runtimes whose parser
// does not (Bun). Held to V8 here: the same documents valid, the same position where V8 gives one.
const V8_POSITION = /in JSON at position (\d+)/;

describe("jsonErrorOffset", () => {
  it("agrees with V8 on what is JSON and where it stops, over thousands of damaged documents", () => {
    const rand = seededRandom(11);
    const documents = [
      '{"serviceName": "api", "debug": true, "sampleRate": 0.5, "headers": {"x-a": "b\\n\\u00e9"}, "list": [1, -2.5e3, null, false, []]}',
      "[]",
      '"x"',
      "-0",
      '{"a":{"b":[{"c":"d\\"e"}]}}',
      " 1e+5 ",
    ];
    const alphabet = ' {}[]",:0123456789-+.eEtrufalsn\\\n\tx';
    let positioned = 0;
    for (let k = 0; k < 4000; k++) {
      let s = documents[Math.floor(rand() * documents.length)]!;
      for (let e = 1 + Math.floor(rand() * 3); e > 0; e--) {
        const p = Math.floor(rand() * (s.length + 1));
        const c = alphabet[Math.floor(rand() * alphabet.length)]!;
        const op = rand();
        s = op < 0.4 ? s.slice(0, p) + s.slice(p + 1) : op < 0.8 ? s.slice(0, p) + c + s.slice(p) : s.slice(0, p) + c + s.slice(p + 1);
      }
      let v8: number | "valid" | undefined = "valid";
      try {
        JSON.parse(s);
      } catch (err) {
        const m = V8_POSITION.exec((err as Error).message);
        v8 = m ? Number(m[1]) : undefined;
      }
      const ours = jsonErrorOffset(s);
      if (v8 === "valid") expect(ours, s).toBe(-1);
      else expect(ours, s).toBeGreaterThanOrEqual(0);
      if (typeof v8 === "number") {
        expect(ours, s).toBe(v8);
        positioned++;
      }
    }
    // Most damaged documents are refused with a position to compare.
    expect(positioned).toBeGreaterThan(1000);
  });

  it("points at the first character that cannot continue the document", () => {
    expect(jsonErrorOffset('{\n  "serviceName": "x"\n  "debug": true\n}')).toBe(25);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a": "\\x"}')).toBe(8);
    expect(jsonErrorOffset('{"a": "\\u00g0"}')).toBe(11);
    expect(jsonErrorOffset('{"a": "open')).toBe(11);
    expect(jsonErrorOffset("[1, 2] 3")).toBe(7);
    expect(jsonErrorOffset("")).toBe(0);
    expect(jsonErrorOffset('{"a": [1, {"b": null}], "c": "\\ud83d\\ude80"}')).toBe(-1);
  });

  it("answers without throwing for nesting deeper than the stack", () => {
    expect(() => jsonErrorOffset("[".repeat(200_000))).not.toThrow();
  });
});
