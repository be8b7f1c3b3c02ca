/**
 * A copy of a cut string that shares no memory with the string it was cut from. V8 makes a
 * `slice` of 13 characters or more a view on the whole string (JavaScriptCore shares substrings
 * too, from its own length), so a 16 KB cut of a 1 MB prompt keeps the 1 MB alive for as long as
 * a queued span holds the cut (in Node 20, fifty 4,096-character cuts of 1 MB strings kept
 * 50 MB). Joining a character in front and cutting it off again makes the runtime copy the
 * characters into a string of their own, one character longer (0.2 MB for the same fifty).
 * Only values that were cut pay for the copy.
 *
 * @param s - a string cut from a longer one
 * @returns the same characters, in memory of their own
 * @example
 * const kept = ownString(prompt.slice(0, 16_384));
 */
export function ownString(s: string): string {
  return ` ${s}`.slice(1);
}
