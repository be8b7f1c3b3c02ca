import { describe, expect, it } from "vitest";
import { isHeaderValue } from "./is-header-value.js";

// fetch's own Headers decides what a header value may be: isHeaderValue must agree with it.
const accepts = (value: string): boolean => {
  try {
    new Headers({ x: value });
    return true;
  } catch {
    return false;
  }
};
const acceptsAfterBearer = (value: string): boolean => {
  try {
    new Headers({ authorization: `Bearer ${value}` });
    return true;
  } catch {
    return false;
  }
};

const samples = ["v", "v\n", "v\r\n", "\nv", "a\nb", "a\rb", " x ", "\t", "", "café", "€", "a\0b", "\u00a0x", "v\u3000", "\n\n", "x\n\ny", "a b", "\tx\t", "😀", "\x01\x7f\xff"];
const alphabet = ["a", " ", "\t", "\n", "\r", "\0", "\xff", "\u0100", "é"];

describe("isHeaderValue", () => {
  it.each(samples)("agrees with fetch's Headers on %j", (value) => {
    expect(isHeaderValue(value)).toBe(accepts(value));
    expect(isHeaderValue(value, false)).toBe(acceptsAfterBearer(value));
  });

  it("agrees with fetch's Headers on random strings of the characters that matter", () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 3000; n++) {
      let v = "";
      for (let i = Math.floor(next() * 8); i > 0; i--) v += alphabet[Math.floor(next() * alphabet.length)];
      expect([v, isHeaderValue(v)]).toEqual([v, accepts(v)]);
      expect([v, isHeaderValue(v, false)]).toEqual([v, acceptsAfterBearer(v)]);
    }
  });
});
