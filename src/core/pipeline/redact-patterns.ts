import type { BuiltinPatternName } from "./types.js";

// Every pattern starts behind a lookbehind that rejects a position inside a longer run of the
// same characters, so a scan over a long string without a match stays linear.

/** Case-insensitive spelling of a word as a character-class sequence (the combined scan runs without the i flag). */
const ci = (word: string): string => word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);

const CREDENTIAL_KEYS = ["password", "passwd", "pwd", "secret", "api_key", "api-key", "apikey", "client_secret", "access_token", "auth_token", "refresh_token"].map(ci).join("|");

/** The source of each built-in pattern, in the order they are tried at one position. */
const SOURCES: Record<BuiltinPatternName, string> = {
  pem: String.raw`-----BEGIN[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)`,
  jwt: String.raw`(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`,
  anthropic: String.raw`(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}`,
  openai: String.raw`(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`,
  github: String.raw`(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`,
  slack: String.raw`(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/services/[A-Za-z0-9/_-]{20,}`,
  aws: String.raw`(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}(?![A-Z0-9])`,
  bearer: String.raw`(?<=\b(?:[Bb]earer|BEARER)\s+)[A-Za-z0-9._~+/-]{8,}=*`,
  credential: String.raw`(?<=\b(?:${CREDENTIAL_KEYS})\\?["']?\s*[:=]\s*\\?["']?)(?!\[REDACTED)[^\s"'&,;}\]\\]{3,}`,
  iban: String.raw`(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])`,
  card: String.raw`(?<!\d)[2-6](?:[ -]?\d){12,18}(?!\d)`,
  email: String.raw`(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])`,
  phone: [
    String.raw`(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)`,
    String.raw`(?<![\w(])\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}(?!\w)`,
    String.raw`(?<![\w.-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w-]|\.\d)`,
    String.raw`(?<![\w.-])0\d{1,4}[ /.-]\d{2,8}(?:[ .-]\d{2,4}){0,4}(?![\w-]|\.\d)`,
  ].join("|"),
};

/** Every built-in pattern name, in scan order. */
export const BUILTIN_PATTERN_NAMES = Object.keys(SOURCES) as BuiltinPatternName[];

/**
 * The built-in patterns as one global RegExp with a named group per pattern, so a string is
 * scanned once whatever the number of patterns. Undefined for an empty selection.
 *
 * @example
 * const re = builtinRegExp(["email", "card"]);
 */
export function builtinRegExp(names: readonly BuiltinPatternName[]): RegExp | undefined {
  const parts = BUILTIN_PATTERN_NAMES.filter((n) => names.includes(n)).map((n) => `(?<${n}>${SOURCES[n]})`);
  return parts.length === 0 ? undefined : new RegExp(parts.join("|"), "g");
}

/**
 * How much of a match is really what the pattern names: its length, or 0 when the check fails
 * (a card number failing Luhn, an IBAN failing mod 97, too few digits for a phone number).
 */
export function validLength(name: string, match: string): number {
  switch (name) {
    case "card":
      return luhn(match) ? match.length : 0;
    case "iban":
      return ibanLength(match);
    case "phone": {
      const digits = countDigits(match);
      const min = match.startsWith("+") ? 8 : match.startsWith("0") ? 9 : 10;
      if (digits < min || digits > 15) return 0;
      // National numbers use one separator throughout; "01.02.2024 06" is a date and a number.
      const c = match.charCodeAt(0);
      if (c >= 48 && c <= 57 && new Set(match.replace(/\d/g, "")).size > 1) return 0;
      return match.length;
    }
    default:
      return match.length;
  }
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Luhn checksum over the digits of `s` (13 to 19 of them). */
export function luhn(s: string): boolean {
  let sum = 0;
  let count = 0;
  let double = false;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    count++;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return count >= 13 && count <= 19 && sum % 10 === 0;
}

/**
 * The length of the longest prefix of `s` that is a valid IBAN (ISO 13616 mod-97 check), or 0.
 * The pattern may take one group too many ("DE89 3704 0044 0532 0130 00 AB"); shorter prefixes
 * ending at a group boundary are tried too.
 */
export function ibanLength(s: string): number {
  let end = s.length;
  while (end >= 15) {
    if (ibanValid(s.slice(0, end))) return end;
    const space = s.lastIndexOf(" ", end - 1);
    end = space > 0 ? space : end - 1;
  }
  return 0;
}

function ibanValid(raw: string): boolean {
  const iban = raw.replace(/ /g, "");
  if (iban.length < 15 || iban.length > 34) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const v = c >= 65 ? c - 55 : c - 48;
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
}
