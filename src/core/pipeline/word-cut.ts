import type { ResolvedRedact } from "./resolve-redact.js";

/** The longest word left out, whole: longer runs (base64 media, a URL, a sequence) are no secret a pattern knows, and stay for media stripping. */
const MAX_WORD = 256;

/**
 * Where a value cut at `end` should end when it will be redacted: before the word the cut falls
 * in (letters, digits and the marks of addresses and keys, up to 256 characters) and the groups
 * of digits before it or before the cut. Redaction runs at export, on the cut, and no pattern
 * recognises the first 12 digits of a card, an e-mail address without the end of its domain or
 * half an API key. Without patterns to run (key rules only) the cut stays where it is.
 * Part of the redaction code (`spanwise/redact`), so a Worker that does not redact never carries it.
 *
 * @param s - the whole value
 * @param end - where the length limit cuts it
 * @param redact - the redaction in force
 * @returns where the cut ends instead, at most `end`
 * @example
 * wordCut("card 4111 1111 1111 1111", 17, redact) // 5, before "4111"
 */
export function wordCut(s: string, end: number, redact: ResolvedRedact): number {
  if (redact.builtin.length === 0 && redact.patterns.length === 0) return end;
  let at = end;
  if (isWord(s.charCodeAt(at))) {
    let after = end;
    while (after < s.length && after - end <= MAX_WORD && isWord(s.charCodeAt(after))) after++;
    while (at > 0 && after - at <= MAX_WORD && isWord(s.charCodeAt(at - 1))) at--;
    if (after - at > MAX_WORD) return end;
  }
  // Digit groups apart by spaces, dashes or parentheses ("4111 1111 1111 11", "(555) 867-53",
  // "+44 20" cut in or after a group), as far as a card or phone number reaches.
  for (let i = at; i > 0 && end - i <= 32; ) {
    while (i > 0 && " -()".includes(s.charAt(i - 1))) i--;
    const groupEnd = i;
    while (i > 0 && isDigit(s.charCodeAt(i - 1))) i--;
    if (i === groupEnd) break;
    at = i;
  }
  return at;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Letters, digits and `@ . _ % + - / = : ~`, what e-mail addresses, keys and tokens are made of. */
const isWord = (c: number): boolean => isDigit(c) || ((c | 32) >= 97 && (c | 32) <= 122) || "@._%+-/=:~".includes(String.fromCharCode(c));
