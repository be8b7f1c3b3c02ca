// The buffer the OTLP/JSON encoder writes into, and the writes it is made of. Written by hand
// rather than taken from a package: in JavaScript what costs is the number of writes, not their
// size, and no package writes JSON the way this needs (into a lent buffer, constant text as whole
// 8-byte words, strings checked for escapes while copied). bench/json-floor.ts measured each
// route: 8-byte `DataView` stores copy constant text in half the time of 4-byte ones and a
// twelfth of a byte loop, and one `Uint8Array#set` costs more than short pieces repay.
// Encoding is synchronous, so one writer serves every request (a request begun inside another,
// from a span's getter, saves and restores it: see encodeOtlpJsonBytes).

import { toUnixNano } from "../clock.js";

const utf8 = /* @__PURE__ */ new TextEncoder();

/** The writer's state in one object (module-level `let`s cost a hole check on every access). */
export const w = { b: /* @__PURE__ */ new Uint8Array(0), v: /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(0)), p: 0 };

/**
 * Starts a request in `buf` (it grows as needed).
 *
 * @example
 * start(new Uint8Array(4096));
 */
export function start(buf: Uint8Array<ArrayBuffer>): void {
  w.b = buf;
  w.v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  w.p = 0;
}

/**
 * The bytes written since `start`, as a view from the buffer's start.
 *
 * @example
 * const body = finish();
 */
export function finish(): Uint8Array<ArrayBuffer> {
  return w.b.subarray(0, w.p) as Uint8Array<ArrayBuffer>;
}

/**
 * Makes room for `n` more bytes.
 *
 * @example
 * room(64);
 */
export function room(n: number): void {
  if (w.p + n <= w.b.length) return;
  const next = new Uint8Array(Math.max(w.b.length * 2, w.p + n));
  next.set(w.b.subarray(0, w.p));
  w.b = next;
  w.v = new DataView(next.buffer);
}

/**
 * Constant text as UTF-8 in 8-byte words, the last padded with zeros, copied with
 * `DataView#setFloat64`. Only a NaN could come back from a float array with other bits, and no
 * UTF-8 word reads as one: that needs its last byte to be 0x7f or 0xff and the byte before it
 * 0xf0–0xff, but 0xff never occurs in UTF-8 and a byte of 0xf0–0xf4 is always followed by a
 * continuation byte (0x80–0xbf). So every bit survives, in half the stores of 32-bit words.
 * (That holds for little-endian words; a big-endian platform copies the bytes instead.)
 */
export interface Piece {
  readonly words: Float64Array;
  readonly length: number;
}

const LITTLE = /* @__PURE__ */ littleEndian();

function littleEndian(): boolean {
  return new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
}

/**
 * The piece of a text.
 *
 * @example
 * const close = piece('"}}');
 */
export function piece(text: string): Piece {
  const bytes = utf8.encode(text);
  const words = new Float64Array(Math.ceil(bytes.length / 8));
  new Uint8Array(words.buffer).set(bytes);
  return { words, length: bytes.length };
}

/**
 * Writes a piece. It may write up to seven bytes past its end, which later writes cover.
 *
 * @example
 * put(close);
 */
export function put(p: Piece): void {
  room(p.length + 8);
  const words = p.words;
  const v = w.v;
  const at = w.p;
  if (LITTLE) for (let i = 0; i < words.length; i++) v.setFloat64(at + i * 8, words[i]!, true);
  else w.b.set(new Uint8Array(words.buffer, 0, p.length), at);
  w.p = at + p.length;
}

/**
 * Writes one ASCII byte.
 *
 * @example
 * byte(0x2c); // ,
 */
export function byte(c: number): void {
  room(1);
  w.b[w.p++] = c;
}

/**
 * Writes a string's characters as they go inside a JSON string literal whose opening quote was
 * the last byte written. Plain ASCII (most names, keys and values) is copied as it is checked;
 * other text is written as UTF-8 by the platform's encoder, and text with anything JSON escapes
 * (quotes, backslashes, control characters, surrogates, which pair or are escaped) takes
 * `JSON.stringify`'s spelling. Anything not a string (a processor may assign one to a span's
 * name) is written as `String` spells it.
 *
 * @example
 * text("gpt-4o");
 */
export function text(s: string): void {
  if (typeof s !== "string") s = String(s);
  const n = s.length;
  room(n + 8);
  const b = w.b;
  const at = w.p;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
      other(s, i);
      return;
    }
    b[at + i] = c;
  }
  w.p = at + n;
}

/**
 * Writes a string known to be plain ASCII (a number's digits), unchecked.
 *
 * @example
 * ascii(String(0.7));
 */
export function ascii(s: string): void {
  const n = s.length;
  room(n + 8);
  const b = w.b;
  const at = w.p;
  for (let i = 0; i < n; i++) b[at + i] = s.charCodeAt(i);
  w.p = at + n;
}

/** The rest of `text` once character `from` is not plain ASCII. */
function other(s: string, from: number): void {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      // JSON.stringify's literal, written over the opening quote (the same byte) and without its closing one.
      const literal = JSON.stringify(s);
      w.p -= 1;
      raw(literal);
      w.p -= 1;
      return;
    }
  }
  raw(s);
}

/**
 * Writes a string as UTF-8, unchecked.
 *
 * @example
 * raw("]}]}]}");
 */
export function raw(s: string): void {
  // Into the room there is first: reserving three bytes a character up front would make a lent
  // buffer that fits the request grow all the same.
  room(8);
  let r = utf8.encodeInto(s, w.b.subarray(w.p));
  if (r.read < s.length) {
    room(s.length * 3 + 8);
    r = utf8.encodeInto(s, w.b.subarray(w.p));
  }
  w.p += r.written;
}

/** Two lowercase hex characters per byte, as a little-endian 16-bit store. */
const HEX2 = /* @__PURE__ */ pairs(256, (i) => (i < 16 ? "0" : "") + i.toString(16));
/** Two decimal digits per number under 100, as a little-endian 16-bit store. */
const DIGITS2 = /* @__PURE__ */ pairs(100, (i) => (i < 10 ? "0" : "") + i);

function pairs(n: number, spell: (i: number) => string): Uint16Array {
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const s = spell(i);
    out[i] = s.charCodeAt(0) | (s.charCodeAt(1) << 8);
  }
  return out;
}

/**
 * Writes a 32-bit word as eight lowercase hex characters at `at` (room is the caller's).
 *
 * @example
 * hexWordAt(w.p, span.idHi);
 */
export function hexWordAt(at: number, x: number): void {
  w.v.setInt32(at, HEX2[x >>> 24]! | (HEX2[(x >>> 16) & 255]! << 16), true);
  w.v.setInt32(at + 4, HEX2[(x >>> 8) & 255]! | (HEX2[x & 255]! << 16), true);
}

/**
 * Writes a non-negative integer under 2^53 in decimal.
 *
 * @example
 * uint(257);
 */
export function uint(v: number): void {
  // A count on a span that was not made here may be anything: another number is written as
  // `String` spells it, anything else (NaN, undefined) as 0, so the JSON stays valid.
  if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v))) return ascii(Number.isFinite(v) ? String(v) : "0");
  room(16);
  digits(v);
}

function digits(v: number): void {
  if (v < 10) {
    w.b[w.p++] = 48 + v;
    return;
  }
  if (v < 100) {
    w.v.setUint16(w.p, DIGITS2[v]!, true);
    w.p += 2;
    return;
  }
  const hi = Math.floor(v / 100);
  digits(hi);
  w.v.setUint16(w.p, DIGITS2[v - hi * 100]!, true);
  w.p += 2;
}

/** Exactly six digits of a number under a million (room is the caller's). */
function six(v: number): void {
  const a = Math.floor(v / 10000);
  const rest = v - a * 10000;
  const b = Math.floor(rest / 100);
  w.v.setUint16(w.p, DIGITS2[a]!, true);
  w.v.setUint16(w.p + 2, DIGITS2[b]!, true);
  w.v.setUint16(w.p + 4, DIGITS2[rest - b * 100]!, true);
  w.p += 6;
}

// The first seven digits of epoch milliseconds change every 1,000 s, so they are worked out once
// per change and written as two stores: the spans of a request are seconds apart.
const time = { hi: -1, a: 0, b: 0 };

/**
 * Writes epoch milliseconds as decimal nanoseconds, exactly as `toUnixNano` spells them.
 *
 * @example
 * nanos(span.startTime);
 */
export function nanos(ms: number): void {
  room(32);
  if (!(ms > 0)) {
    w.b[w.p++] = 48;
    return;
  }
  if (!(ms < 2 ** 53)) {
    raw(toUnixNano(ms));
    return;
  }
  let whole = Math.floor(ms);
  let frac = Math.round((ms - whole) * 1e6);
  if (frac >= 1e6) {
    whole += 1;
    frac -= 1e6;
  }
  const hi = Math.floor(whole / 1e6);
  if (hi >= 1e6 && hi < 1e7) {
    if (hi !== time.hi) {
      const a = Math.floor(hi / 1e5);
      const b = Math.floor((hi - a * 1e5) / 1e3);
      const c = hi - a * 1e5 - b * 1e3;
      const cd = Math.floor(c / 10);
      time.a = DIGITS2[a]! | (DIGITS2[b]! << 16);
      time.b = DIGITS2[cd]! | ((48 + c - cd * 10) << 16);
      time.hi = hi;
    }
    w.v.setInt32(w.p, time.a, true);
    w.v.setInt32(w.p + 4, time.b, true);
    w.p += 7;
    six(whole - hi * 1e6);
  } else digits(whole);
  six(frac);
}
