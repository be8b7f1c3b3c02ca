/**
 * Shows enough of a secret to recognise it and nothing to use it: the first four characters and
 * the length for long values, `****` for short ones (where four characters would be most of it).
 *
 * @param value - an API key, a header value, a salt
 * @returns the masked form
 * @example
 * maskSecret("sk-abcdefghijklmnopqrstuvwxyz012345") // "sk-a…(35 chars)"
 */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `${value.slice(0, 4)}…(${value.length} chars)` : "****";
}
