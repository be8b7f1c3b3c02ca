const encoder = new TextEncoder();

/**
 * The first 64 bits of SHA-256(salt + text) as 16 lowercase hex characters, via `crypto.subtle`
 * (every runtime spanwise supports has it). Rejects where `crypto.subtle` is missing.
 *
 * @param salt - the secret salt, prepended to the text
 * @param text - what to hash
 * @example
 * await saltedSha256("pepper-123", "ada@example.com") // "5d0c…" (16 hex characters)
 */
export async function saltedSha256(salt: string, text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(salt + text)));
  let hex = "";
  for (let i = 0; i < 8; i++) hex += (digest[i] as number).toString(16).padStart(2, "0");
  return hex;
}
