import type { AttributeValue, Attributes } from "../attributes.js";
import { type Piece, ascii, byte, piece, put, raw, room, text, uint, w } from "./byte-writer.js";
import { INT64_MAX, INT64_MIN } from "./otlp-constants.js";

// OTLP/JSON attribute lists, written by byte-writer.ts. Each key's entry up to its value is
// encoded once per value type and place (first in a list or after another entry) and copied as a
// piece, so a typical entry is one piece, the value, and its close.

const STRING = 0;
const INT = 1;
const DOUBLE = 2;
const TRUE = 3;
const FALSE = 4;
const OTHER = 5;
/** What follows `"value":` in an entry's opening, per value type; true and false are the whole entry. */
const VALUE_OPENINGS = ['{"stringValue":"', '{"intValue":"', '{"doubleValue":', '{"boolValue":true}}', '{"boolValue":false}}', ""];

interface Key {
  /** The key as a JSON string literal. */
  readonly literal: string;
  /** Per value type and place (type * 2, + 1 after another entry), the entry's opening; made on first use. */
  readonly pieces: (Piece | undefined)[];
  /** The last string value (up to 64 characters) and, once it came twice in a row, its whole entry per place. */
  last: string | undefined;
  whole0: Piece | undefined;
  whole1: Piece | undefined;
}

// Per attribute key, bounded so neither key churn nor long keys can grow it: up to 1,024 keys
// whose JSON literal is at most LITERAL_MAX characters (up to 390 bytes of UTF-8), each keeping up
// to 14 pieces of its literal and ~30 bytes more, though most use two to four: at most ~7 MB of
// heap and buffers, typically well under one. A longer key (maxAttributeKeyLength allows 100,000
// characters) gets a Key of its own each time, kept by neither the Map nor the slots below.
const KEYS = /* @__PURE__ */ new Map<string, Key>();
const KEYS_MAX = 1024;
const LITERAL_MAX = 130;

function key(name: string): Key {
  let k = KEYS.get(name);
  if (k === undefined) {
    k = { literal: JSON.stringify(name), pieces: [], last: undefined, whole0: undefined, whole1: undefined };
    if (k.literal.length > LITERAL_MAX) return k;
    if (KEYS.size >= KEYS_MAX) KEYS.clear();
    KEYS.set(name, k);
  }
  return k;
}

// The key of the last list at each position: spans of one kind set their keys in the same order,
// so most lookups are one comparison instead of a Map lookup.
const SLOTS = 16;
const SLOT_NAMES: (string | undefined)[] = /* @__PURE__ */ new Array<string | undefined>(SLOTS).fill(undefined);
const SLOT_KEYS: (Key | undefined)[] = /* @__PURE__ */ new Array<Key | undefined>(SLOTS).fill(undefined);

function keyAt(slot: number, name: string): Key {
  if (slot >= SLOTS) return key(name);
  if (SLOT_NAMES[slot] === name) return SLOT_KEYS[slot]!;
  const k = key(name);
  if (k.literal.length <= LITERAL_MAX) {
    SLOT_NAMES[slot] = name;
    SLOT_KEYS[slot] = k;
  }
  return k;
}

function opening(k: Key, type: number, place: number): Piece {
  const i = type * 2 + place;
  return (k.pieces[i] ??= piece(`${place === 0 ? "[" : ","}{"key":${k.literal},"value":${VALUE_OPENINGS[type]}`));
}

/** `"}}`: a string or int value's closing quote and the braces of its value and entry. */
const QUOTE_CLOSE = 0x7d7d22;

function stringEntry(k: Key, v: string, place: number): void {
  if (v === k.last) {
    let whole = place === 0 ? k.whole0 : k.whole1;
    if (whole === undefined) {
      whole = piece(`${place === 0 ? "[" : ","}{"key":${k.literal},"value":{"stringValue":${JSON.stringify(v)}}}`);
      if (place === 0) k.whole0 = whole;
      else k.whole1 = whole;
    }
    put(whole);
    return;
  }
  put(opening(k, STRING, place));
  text(v);
  room(4);
  w.v.setInt32(w.p, QUOTE_CLOSE, true);
  w.p += 3;
  // A value that changes costs one comparison; its entry is kept once it repeats.
  if (v.length <= 64) {
    k.last = v;
    k.whole0 = k.whole1 = undefined;
  }
}

function entry(k: Key, v: AttributeValue, place: number): void {
  if (typeof v === "string") return stringEntry(k, v, place);
  if (typeof v === "number") {
    if (Number.isSafeInteger(v)) {
      put(opening(k, INT, place));
      if (v < 0) byte(0x2d); // -
      uint(Math.abs(v));
      room(4);
      w.v.setInt32(w.p, QUOTE_CLOSE, true);
      w.p += 3;
      return;
    }
    if (Number.isFinite(v)) {
      put(opening(k, DOUBLE, place));
      ascii(String(v)); // digits, ".", "e", "+", "-"
      room(4);
      w.v.setInt16(w.p, 0x7d7d, true); // }}
      w.p += 2;
      return;
    }
  }
  if (typeof v === "boolean") return put(opening(k, v ? TRUE : FALSE, place));
  put(opening(k, OTHER, place));
  raw(anyValue(v));
  byte(0x7d); // }
}

/**
 * Writes an attribute list as spanwise's span records hold it (key, value, key, value...),
 * leaving it open: `[` and the entries, for the caller's next piece to begin with `]`.
 *
 * @example
 * attributeList(["gen_ai.system", "openai"]);
 */
export function attributeList(list: readonly unknown[]): void {
  if (list.length === 0) return byte(0x5b);
  for (let i = 0; i < list.length; i += 2) entry(keyAt(i >> 1, list[i] as string), list[i + 1] as AttributeValue, i === 0 ? 0 : 1);
}

/**
 * Writes attributes held as an object, left open as `attributeList` leaves them.
 *
 * @example
 * attributeObject(event.attributes);
 */
export function attributeObject(attrs: Attributes): void {
  let i = 0;
  for (const name in attrs) {
    entry(keyAt(i, name), attrs[name] as AttributeValue, i === 0 ? 0 : 1);
    i++;
  }
  if (i === 0) byte(0x5b);
}

/** An AnyValue that has no piece of its own (bigints, arrays, non-finite doubles) as JSON text. */
function anyValue(v: AttributeValue | null): string {
  switch (typeof v) {
    case "string":
      return `{"stringValue":${JSON.stringify(v)}}`;
    case "number":
      if (Number.isSafeInteger(v)) return `{"intValue":"${v}"}`;
      // proto3 JSON spells non-finite doubles as strings.
      return Number.isFinite(v) ? `{"doubleValue":${v}}` : `{"doubleValue":"${v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : "NaN"}"}`;
    case "boolean":
      return v ? `{"boolValue":true}` : `{"boolValue":false}`;
    case "bigint":
      return v >= INT64_MIN && v <= INT64_MAX ? `{"intValue":"${v}"}` : `{"stringValue":"${v}"}`;
  }
  if (Array.isArray(v)) {
    // OTLP arrays are homogeneous: one non-integer makes every number a double.
    const doubles = v.some((x) => typeof x === "number" && !Number.isSafeInteger(x));
    let out = `{"arrayValue":{"values":[`;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      out += (i > 0 ? "," : "") + (x === null || x === undefined ? "{}" : doubles && Number.isFinite(x) ? `{"doubleValue":${x}}` : anyValue(x as AttributeValue));
    }
    return `${out}]}}`;
  }
  return "{}";
}
