// Ids come from one pooled buffer of random 32-bit words: a getRandomValues call per span costs
// more than the rest of span creation, so we fill 16 KiB at a time and walk through it. A span
// keeps its id as two words (small integers V8 stores inline, no allocation); the hex string is
// made only when something reads it, in practice at export.
const POOL_WORDS = 4096;
const pool = new Int32Array(POOL_WORDS);
let next = POOL_WORDS;

/**
 * The next random 32-bit word, as a signed integer.
 *
 * @example
 * const hi = randomWord();
 */
export function randomWord(): number {
  if (next === POOL_WORDS) {
    crypto.getRandomValues(pool);
    next = 0;
  }
  return pool[next++] as number;
}

/** Two-character lowercase hex of every byte value. */
export const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? "0" : "") + i.toString(16));

/**
 * A 32-bit word as 8 lowercase hex characters, most significant byte first.
 *
 * @example
 * hexWord(-1) // "ffffffff"
 */
export function hexWord(w: number): string {
  return (HEX[(w >>> 24) & 255] as string) + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];
}

/** A random 16-byte trace id as 32 lowercase hex characters (never all zeros, W3C §3.2.2.3). */
export function newTraceId(): string {
  let a: number;
  let b: number;
  let c: number;
  let d: number;
  do {
    a = randomWord();
    b = randomWord();
    c = randomWord();
    d = randomWord();
  } while ((a | b | c | d) === 0);
  return hexWord(a) + hexWord(b) + hexWord(c) + hexWord(d);
}

/** A random 8-byte span id as 16 lowercase hex characters (never all zeros, W3C §3.2.2.4). */
export function newSpanId(): string {
  let a: number;
  let b: number;
  do {
    a = randomWord();
    b = randomWord();
  } while ((a | b) === 0);
  return hexWord(a) + hexWord(b);
}

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** True for a 32-char lowercase hex trace id that is not all zeros. */
export function isValidTraceId(id: string): boolean {
  return TRACE_ID.test(id) && id !== "00000000000000000000000000000000";
}

/** True for a 16-char lowercase hex span id that is not all zeros. */
export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id) && id !== "0000000000000000";
}
