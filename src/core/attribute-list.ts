import type { AttributeValue } from "./attributes.js";

/**
 * Makes a span's attribute list (key, value, key, value...) fit for reading as it is: the first
 * `pairs` pairs, a repeated key kept at its first place with its last value, the array cut to
 * the pairs it holds. Returns -1, and leaves the list alone, when reading it in list order could
 * differ from an object's order (a key that starts with a digit may be an array index, which an
 * object enumerates first) or when it is long enough that an object is the cheaper way to find
 * repeats.
 *
 * @param list - the span's list, edited in place
 * @param pairs - how many pairs it holds
 * @returns the number of pairs left, or -1 when the caller should use an object instead
 * @example
 * const n = settleList(["a", 1, "b", 2, "a", 3], 3); // 2: ["a", 3, "b", 2]
 */
export function settleList(list: unknown[], pairs: number): number {
  if (pairs > MAX_LIST_PAIRS) return -1;
  for (let i = 0; i < pairs; i++) {
    const c = (list[i * 2] as string).charCodeAt(0);
    if (c >= 48 && c <= 57) return -1;
  }
  let n = 0;
  for (let i = 0; i < pairs; i++) {
    const key = list[i * 2] as string;
    let j = 0;
    while (j < n && list[j * 2] !== key) j++;
    // Stores only where a pair moves or a repeat overwrites: each store into a span that has
    // lived through a collection pays a write barrier.
    if (j !== i) {
      list[j * 2 + 1] = list[i * 2 + 1];
      if (j === n) list[j * 2] = key;
    }
    if (j === n) n++;
  }
  // Setting an array's length is a call into the runtime even when it does not change it.
  if (list.length !== n * 2) list.length = n * 2;
  return n;
}

/**
 * Finding repeats compares every pair with the ones before it; past this many an object is
 * cheaper. Not fewer: an object given its twentieth key by a computed name becomes one of V8's
 * slow dictionaries, and an LLM span has 20 to 30 attributes (at 8, a span with 20 took 3.6–4.7
 * µs to make against 1.6–2.2 at 32, and the flush pipeline took the same time).
 */
export const MAX_LIST_PAIRS = 32;

/**
 * Edits a settled attribute list (see SpanRecord.attributeList) in place, pair by pair: `edit`
 * returns a pair's new value, or undefined to remove the pair; the pairs left close up in order.
 * The flush stages that rewrite or drop attributes (limits, redaction) share it.
 *
 * @param list - the span's list, edited in place
 * @param edit - the new value of a pair, or undefined to remove it
 * @param context - passed to `edit`, so a stage needs no closure per span
 * @returns how many pairs were removed
 * @example
 * const removed = editList(list, (key, value, max: number) => (key.length > max ? undefined : value), 256);
 */
export function editList<C>(list: unknown[], edit: (key: string, value: AttributeValue, context: C) => AttributeValue | undefined, context: C): number {
  const n = list.length;
  let kept = 0;
  for (let i = 0; i < n; i += 2) {
    const key = list[i] as string;
    const v = list[i + 1] as AttributeValue;
    const w = edit(key, v, context);
    if (w === undefined) continue;
    // Stores only where something moved or changed: each store into a span that has lived
    // through a collection pays a write barrier.
    if (kept !== i) list[kept] = key;
    if (kept !== i || w !== v) list[kept + 1] = w;
    kept += 2;
  }
  if (kept === n) return 0;
  // Setting an array's length is a call into the runtime even when it does not change it.
  list.length = kept;
  return (n - kept) / 2;
}
