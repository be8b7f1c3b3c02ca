import { describe, expect, it } from "vitest";
import { MAX_LIST_PAIRS, settleList } from "../../src/core/attribute-list.js";
import { seededRandom } from "../helpers/seeded-random.js";


describe("settleList", () => {
  it("leaves what an object built by the same writes would hold, in its order, for random lists with repeats", () => {
    const rand = seededRandom(7);
    const keys = ["a", "b", "c", "gen_ai.request.model", "x.y"];
    for (let run = 0; run < 2000; run++) {
      const pairs = Math.floor(rand() * (MAX_LIST_PAIRS + 1));
      const list: unknown[] = [];
      const object: Record<string, unknown> = {};
      for (let i = 0; i < pairs; i++) {
        const key = keys[Math.floor(rand() * keys.length)] as string;
        const value = `${key}=${i}`;
        list.push(key, value);
        object[key] = value;
      }
      const n = settleList(list, pairs);
      expect(n).toBe(Object.keys(object).length);
      expect(list).toEqual(Object.entries(object).flat());
    }
  });

  it("gives a list with a key that starts with a digit, or too many pairs, back untouched", () => {
    const numeric = ["b", 1, "b", 2, "7", 3];
    expect(settleList(numeric, 3)).toBe(-1);
    expect(numeric).toEqual(["b", 1, "b", 2, "7", 3]);
    const long = Array.from({ length: (MAX_LIST_PAIRS + 1) * 2 }, (_, i) => (i % 2 === 0 ? "k" : i));
    const copy = [...long];
    expect(settleList(long, MAX_LIST_PAIRS + 1)).toBe(-1);
    expect(long).toEqual(copy);
  });

  it("counts only the pairs it is told of in a longer preallocated array, and cuts the rest", () => {
    const list: unknown[] = new Array(10);
    list[0] = "a";
    list[1] = 1;
    list[2] = "a";
    list[3] = 2;
    expect(settleList(list, 2)).toBe(1);
    expect(list).toEqual(["a", 2]);
  });
});
