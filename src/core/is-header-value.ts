const isSpace = (c: number): boolean => c === 9 || c === 10 || c === 13 || c === 32;

/**
 * True when fetch takes `value` as a header value: no NUL and no character past U+00FF (headers
 * are bytes), and CR or LF only among the tabs and spaces at either end, which fetch trims off (a
 * secret read from a file ends in a newline). With `leading` false only the end is trimmed, as for
 * an API key that follows `Bearer `. A loop, not a regular expression: the ones that say this
 * backtrack quadratically on long runs of spaces.
 *
 * @example
 * isHeaderValue("sk-live-123\n") // true
 * isHeaderValue("a\nb") // false
 */
export function isHeaderValue(value: string, leading = true): boolean {
  let start = 0;
  let end = value.length;
  if (leading) while (start < end && isSpace(value.charCodeAt(start))) start++;
  while (end > start && isSpace(value.charCodeAt(end - 1))) end--;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 10 || c === 13 || c > 255) return false;
  }
  return true;
}
