// Ids come from one pooled buffer of random bytes: a getRandomValues call per span costs
// more than the rest of span creation, so we fill 4 KiB at a time and walk through it.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i < 16 ? "0" : "") + i.toString(16));

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
  let out = "";
  let zero = true;
  for (let i = at; i < at + bytes; i++) {
    const b = pool[i] as number;
    if (b !== 0) zero = false;
    out += HEX[b];
  }
  // W3C Trace Context: an all-zero id is invalid (§3.2.2.3, §3.2.2.4).
  return zero ? hex(bytes) : out;
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
