import { G } from "./global.js";
import { ownString } from "./own-string.js";

/**
 * The first `length` UTF-16 units of `s`, one fewer when the cut would split a surrogate pair
 * (an emoji cut in half is a lone surrogate, which protobuf sends as U+FFFD and JSON as an
 * escape, so the two encodings would disagree), in memory of its own (see `ownString`). With
 * redaction on, the cut ends before a word it would split (see `wordCut`).
 *
 * @param s - the string to cut
 * @param length - at most this many UTF-16 units are kept
 * @returns the cut, sharing no memory with `s`
 * @example
 * cutString("ab😀", 3) // "ab"
 */
export function cutString(s: string, length: number): string {
  const last = s.charCodeAt(length - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? length - 1 : length;
  const redact = G.tracer?.config.redact;
  const wordCut = G.redaction?.wordCut;
  return ownString(s.slice(0, redact && wordCut ? wordCut(s, end, redact) : end));
}
