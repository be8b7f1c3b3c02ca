// Ids come from one pooled buffer of random bytes: a getRandomValues call per span costs
// more than the rest of span creation, so we fill 4 KiB at a time and walk through it.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

// Hex digits as char codes: String.fromCharCode over them yields one flat string, where
// concatenating per byte would leave a rope of cons-strings behind every id.
const DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HI[i] = DIGITS[i >> 4] as number;
  LO[i] = DIGITS[i & 15] as number;
}
const CODES: Record<number, Uint16Array> = { 8: new Uint16Array(16), 16: new Uint16Array(32) };

function take(bytes: number): number {
  if (offset + bytes > POOL_SIZE) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const at = offset;
  offset += bytes;
  return at;
}

function hex(bytes: number): string {
  const at = take(bytes);
  const codes = CODES[bytes] as Uint16Array;
  let zero = true;
  for (let i = 0; i < bytes; i++) {
    const b = pool[at + i] as number;
    if (b !== 0) zero = false;
    codes[2 * i] = HI[b] as number;
    codes[2 * i + 1] = LO[b] as number;
  }
  // W3C Trace Context: an all-zero id is invalid (§3.2.2.3, §3.2.2.4).
  if (zero) return hex(bytes);
  return String.fromCharCode.apply(null, codes as unknown as number[]);
}

/** A random 16-byte trace id as 32 lowercase hex characters. */
export function newTraceId(): string {
  return hex(16);
}

/** A random 8-byte span id as 16 lowercase hex characters. */
export function newSpanId(): string {
  return hex(8);
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
