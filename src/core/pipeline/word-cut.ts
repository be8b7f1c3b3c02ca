/**
 * Where a value cut at `end` should end when it will be redacted: before the word the cut falls
 * in (letters, digits and the marks of addresses and keys) and the groups of digits before it or
 * before the cut. Redaction runs at export, on the cut, and no pattern recognises the first 12
 * digits of a card, an e-mail address without the end of its domain or half an API key.
 * Part of the redaction code (`spanwise/redact`), so a Worker that does not redact never carries it.
 *
 * @param s - the whole value
 * @param end - where the length limit cuts it
 * @returns where the cut ends instead, at most `end`
 * @example
 * wordCut("card 4111 1111 1111 1111", 17) // 5, before "4111"
 */
export function wordCut(s: string, end: number): number {
  let at = end;
  if (isWord(s.charCodeAt(at))) while (at > 0 && isWord(s.charCodeAt(at - 1))) at--;
  // Digit groups apart by spaces, dashes or parentheses ("4111 1111 1111 11", "(555) 867-53",
  // "+44 20" cut in or after a group).
  for (let i = at; i > 0; ) {
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
