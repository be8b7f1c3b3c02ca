import { describe, expect, it } from "vitest";
import { cutString } from "./cut-string.js";
import { safeStringify } from "./serialize.js";

/**
 * The reference: every string cut to n (as cutString cuts, ending in "…"), the longest n whose
 * JSON fits found by stringifying the whole for each try. safeStringify works the lengths out
 * instead; the two must agree exactly.
 */
function reference(value: unknown, max: number): string | undefined {
  const leaves: string[] = [];
  const skeleton = JSON.stringify(value, (key, v: unknown) => (typeof v === "string" && key !== "" ? (leaves.push(v), "\u0000") : v));
  const pieces = skeleton.split('"\\u0000"');
  const build = (n: number): string => pieces[0] + leaves.map((s, i) => JSON.stringify(s.length > n ? `${cutString(s, n)}…` : s) + pieces[i + 1]).join("");
  let lo = -1;
  for (let hi = max; lo < hi; ) {
    const mid = (lo + hi + 1) >>> 1;
    if (build(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo < 0 ? undefined : build(lo);
}

// Characters JSON escapes (one or five more), surrogate pairs and lone halves, and plain ones.
const ALPHABET = ["a", "b", '"', "\\", "\n", "\t", "\u0001", "\u000b", "😀", "\ud800", "\udc00", "é", " "];

describe("safeStringify cutting strings inside JSON", () => {
  it("keeps exactly as much as a search that stringifies every try (3,000 random values)", () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const text = (): string => Array.from({ length: rnd(400) }, () => ALPHABET[rnd(ALPHABET.length)]).join("");
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      const value = { a: text(), list: Array.from({ length: rnd(6) }, () => ({ role: "user", content: text() })), n: rnd(100) };
      const max = 50 + rnd(1500);
      if (JSON.stringify(value).length <= max) continue;
      const want = reference(value, max);
      if (want === undefined) continue;
      compared++;
      expect(safeStringify(value, max)).toBe(want);
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
