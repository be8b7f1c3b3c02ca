import { cutString } from "./cut-string.js";

// A JSON writer of our own rather than JSON.stringify: it must never throw (cycles, BigInt,
// throwing getters, revoked proxies), must describe values JSON drops (Map, Set, Error,
// functions, symbols) and must stop walking as soon as the length budget is spent, so a
// 50 MB argument costs no more than the limit.

const MAX_DEPTH = 12;
const TRUNCATED = "…";

interface Writer {
  out: string;
  budget: number;
  full: boolean;
  seen: unknown[];
  /** When set, string values are kept here and marked by LEAF in `out`, which holds the rest. */
  leaves?: string[];
}

// Marks a string value's place in the structure; JSON text never holds it unescaped.
const LEAF = "\u0000";

/**
 * Serialises any value to a string of at most `maxLength` characters, never throwing.
 * Strings are returned as they are; everything else becomes JSON. JSON too long for the limit
 * stays valid JSON with its strings cut (the longest first, each ending in "…"); only when its
 * structure alone is too long is the text itself cut, ending in "…". Returns undefined for
 * `undefined`.
 *
 * @param value - anything
 * @param maxLength - the longest result, in characters
 * @example
 * safeStringify({ a: 1n, self: circular }, 1000) // '{"a":"1","self":"[Circular]"}'
 */
export function safeStringify(value: unknown, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value.length > maxLength ? cutString(value, Math.max(0, maxLength - 1)) + TRUNCATED : value;
  const w: Writer = { out: "", budget: maxLength, full: false, seen: [] };
  write(w, value, 0);
  if (w.full || w.out.length > maxLength) return withCutStrings(value, maxLength) ?? cutString(w.out, Math.max(0, maxLength - 1)) + TRUNCATED;
  return w.out;
}

/**
 * The value as JSON of at most `maxLength` characters, its structure whole and every string
 * value cut to the longest length that lets the whole fit, so that backends still parse it (the
 * GenAI conventions ask content attributes to stay valid JSON when truncated). Undefined when
 * the structure alone does not fit. Walks the value once more; the search runs on its strings.
 */
function withCutStrings(value: unknown, maxLength: number): string | undefined {
  const leaves: string[] = [];
  const w: Writer = { out: "", budget: maxLength, full: false, seen: [], leaves };
  write(w, value, 0);
  if (w.full) return undefined;
  const rest = w.out.length - leaves.length;
  // The JSON length of every string cut to n, given the characters JSON adds to each before n.
  const fits = (n: number, added: (i: number, k: number) => number): boolean => {
    let size = rest;
    for (let i = 0; i < leaves.length && size <= maxLength; i++) {
      const s = leaves[i] as string;
      const cut = s.length > n;
      let kept = cut ? n : s.length;
      // As cutString does: a surrogate pair the cut would split is left out whole.
      if (cut && n > 0 && (s.charCodeAt(n - 1) & 0xfc00) === 0xd800) kept--;
      size += 2 + kept + added(i, kept) + (cut ? 1 : 0);
    }
    return size <= maxLength;
  };
  // The longest cut that fits (-1: none does), by a binary search over the length every longer
  // string is cut to. First without escapes, which only add: no cut past that one can fit, so
  // each string's escapes are looked for only that far, and the search is arithmetic.
  const longest = (hi: number, added: (i: number, k: number) => number): number => {
    let lo = -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (fits(mid, added)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const bound = longest(maxLength, () => 0);
  if (bound < 0) return undefined;
  const at: number[][] = [];
  const sum: number[][] = [];
  for (const s of leaves) {
    const positions: number[] = [];
    const totals: number[] = [];
    let total = 0;
    for (const m of (s.length > bound ? s.slice(0, bound) : s).matchAll(ESCAPED)) {
      const c = m[0].charCodeAt(0);
      // A quote, a backslash and \b \t \n \f \r take one more character; other controls and lone surrogates five.
      total += c === 34 || c === 92 || (c >= 8 && c <= 13 && c !== 11) ? 1 : 5;
      positions.push(m.index);
      totals.push(total);
    }
    at.push(positions);
    sum.push(totals);
  }
  const n = longest(bound, (i, k) => {
    const positions = at[i] as number[];
    let lo = 0;
    for (let hi = positions.length; lo < hi; ) {
      const mid = (lo + hi) >>> 1;
      if ((positions[mid] as number) < k) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? ((sum[i] as number[])[lo - 1] as number) : 0;
  });
  if (n < 0) return undefined;
  const pieces = w.out.split(LEAF);
  let out = pieces[0] as string;
  for (let i = 0; i < leaves.length; i++) {
    const s = leaves[i] as string;
    out += JSON.stringify(s.length > n ? cutString(s, n) + TRUNCATED : s) + pieces[i + 1];
  }
  // The count is never short (a cut that keeps a surrogate pair whole only keeps less).
  return out.length <= maxLength ? out : undefined;
}

// What JSON.stringify escapes: a quote, a backslash, control characters and lone surrogates.
const ESCAPED = /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function emit(w: Writer, s: string): void {
  if (w.full) return;
  w.out += s;
  if (w.out.length > w.budget) w.full = true;
}

function str(w: Writer, s: string, key = false): void {
  if (w.leaves !== undefined) {
    if (key) return emit(w, JSON.stringify(s));
    w.leaves.push(s);
    // A string takes at least its two quotes: a structure too long for them stops the walk early.
    w.budget--;
    return emit(w, LEAF);
  }
  // Escaping a huge string only to cut it is waste: cut first (with slack for escapes). A string
  // cut here overflows the budget, so this text is never used: `withCutStrings` cuts it again.
  const room = w.budget - w.out.length + 2;
  emit(w, JSON.stringify(s.length > room ? s.slice(0, Math.max(0, room)) : s));
}

function write(w: Writer, v: unknown, depth: number): void {
  if (w.full) return;
  switch (typeof v) {
    case "string":
      return str(w, v);
    case "number":
      return Number.isFinite(v) ? emit(w, String(v)) : str(w, String(v));
    case "boolean":
      return emit(w, v ? "true" : "false");
    case "bigint":
      return str(w, v.toString());
    case "undefined":
      return emit(w, "null");
    case "symbol":
      return str(w, v.toString());
    case "function":
      return str(w, `[Function${v.name ? `: ${v.name}` : ""}]`);
  }
  if (v === null) return emit(w, "null");
  const obj = v as object;
  if (w.seen.includes(obj)) return str(w, "[Circular]");
  const mark = w.out.length;
  const leaves = w.leaves?.length ?? 0;
  w.seen.push(obj);
  try {
    if (depth >= MAX_DEPTH) return str(w, Array.isArray(obj) ? "[Array]" : "[Object]");
    writeObject(w, obj, depth);
  } catch {
    // A revoked proxy, a throwing toJSON or ownKeys trap: replace just this value.
    w.out = w.out.slice(0, mark);
    if (w.leaves !== undefined) w.leaves.length = leaves;
    w.full = false;
    str(w, "[Unserializable]");
  } finally {
    w.seen.pop();
  }
}

function writeObject(w: Writer, obj: object, depth: number): void {
  if (Array.isArray(obj)) return writeList(w, obj, depth);
  if (obj instanceof Date) return str(w, Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString());
  if (obj instanceof Error) return writeError(w, obj, depth);
  if (obj instanceof Map) return writeEntries(w, obj.entries(), depth);
  if (obj instanceof Set) return writeList(w, obj.values(), depth);
  if (ArrayBuffer.isView(obj)) return str(w, `[${obj.constructor?.name ?? "TypedArray"}(${obj.byteLength} bytes)]`);
  if (obj instanceof ArrayBuffer) return str(w, `[ArrayBuffer(${obj.byteLength} bytes)]`);
  if (obj instanceof RegExp) return str(w, String(obj));
  // Headers, FormData and URLSearchParams have a toJSON in Bun only, which would record every
  // value (Authorization, cookies, form fields); elsewhere they show no keys at all. Every
  // runtime writes them alike: Headers with the values that carry credentials masked, the others
  // by their type.
  const tag = Object.prototype.toString.call(obj);
  if (tag === "[object Headers]") return writeEntries(w, maskedHeaders(obj as Headers), depth);
  if (tag === "[object FormData]" || tag === "[object URLSearchParams]") return str(w, `[${tag.slice(8, -1)}]`);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(w, toJSON.call(obj), depth + 1);
  if (tag !== "[object Object]" && !isPlainish(obj)) return str(w, tag.slice(8, -1) === "Object" ? "[Object]" : `[${tag.slice(8, -1)}]`);
  writeEntries(w, ownEntries(obj), depth);
}

/** Header names whose values are credentials or sessions. */
const SECRET_HEADER = /auth|cookie|key|token|secret|session|signature|password/i;

function* maskedHeaders(headers: Headers): Iterable<[unknown, unknown]> {
  for (const [name, value] of headers) yield [name, SECRET_HEADER.test(name) ? "[REDACTED]" : value];
}

function isPlainish(obj: object): boolean {
  const proto = Object.getPrototypeOf(obj);
  return proto === null || proto === Object.prototype || typeof proto?.constructor === "function";
}

function* ownEntries(obj: object): Iterable<[unknown, unknown]> {
  for (const key of Object.keys(obj)) {
    let value: unknown;
    try {
      value = (obj as Record<string, unknown>)[key];
    } catch {
      value = "[Throws]";
    }
    if (value !== undefined) yield [key, value];
  }
}

function writeEntries(w: Writer, entries: Iterable<[unknown, unknown]>, depth: number): void {
  emit(w, "{");
  let first = true;
  for (const [k, v] of entries) {
    if (w.full) return;
    if (!first) emit(w, ",");
    first = false;
    str(w, typeof k === "string" ? k : (safeStringify(k, 200) ?? "undefined"), true);
    emit(w, ":");
    write(w, v, depth + 1);
  }
  emit(w, "}");
}

function writeList(w: Writer, items: Iterable<unknown>, depth: number): void {
  emit(w, "[");
  let first = true;
  for (const item of items) {
    if (w.full) return;
    if (!first) emit(w, ",");
    first = false;
    write(w, item, depth + 1);
  }
  emit(w, "]");
}

function writeError(w: Writer, err: Error, depth: number): void {
  const fields: [unknown, unknown][] = [
    ["name", safeGet(err, "name")],
    ["message", safeGet(err, "message")],
  ];
  const stack = safeGet(err, "stack");
  if (typeof stack === "string") fields.push(["stack", stack.length > 2000 ? stack.slice(0, 2000) + TRUNCATED : stack]);
  const cause = safeGet(err, "cause");
  if (cause !== undefined) fields.push(["cause", cause]);
  for (const entry of ownEntries(err)) if (entry[0] !== "cause") fields.push(entry);
  writeEntries(w, fields, depth);
}

function safeGet(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return "[Throws]";
  }
}
