/**
 * A copy of a cut string that shares no memory with the string it was cut from. V8 (Node, Deno,
 * workerd) makes a `slice` of 13 characters or more a view on the whole string, and
 * JavaScriptCore (Bun) shares substrings too, so a 16 KB cut of a 1 MB prompt keeps the 1 MB alive
 * for as long as a queued span holds the cut (in Node 20 and Bun 1, fifty 4,096-character cuts of
 * 1 MB strings kept 52 MB). Joining a character in front makes a rope; reading a character of it
 * makes both engines flatten the rope into a string of its own, and the slice that drops the
 * character again shares only that (0.2–1.3 MB for the same fifty). Without the read, Bun slices
 * the rope itself, which still holds the original. The read's result is used so that no
 * optimising compiler drops it. Only values that were cut pay for the copy.
 *
 * @param s - a string cut from a longer one
 * @returns the same characters, in memory of their own
 * @example
 * const kept = ownString(prompt.slice(0, 16_384));
 */
export function ownString(s: string): string {
  const joined = ` ${s}`;
  // NaN (s is empty) is not >= 0: the empty string is its own.
  return joined.charCodeAt(1) >= 0 ? joined.slice(1) : s;
}
