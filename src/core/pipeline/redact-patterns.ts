import type { BuiltinPatternName } from "./types.js";

/** Turns what a pattern found (`kind` names the pattern, or "key" for a key rule) into its replacement. */
export type Replace = (kind: string, text: string) => string;

/** One built-in pattern: a cheap test whether it can match at all, and its replacement pass. */
export interface BuiltinPattern {
  readonly name: BuiltinPatternName;
  /** False when the pattern cannot match `s` (`digits` is the number of digits in `s`). */
  mayMatch(s: string, digits: number): boolean;
  apply(s: string, replace: Replace): string;
}

// Each pattern runs as its own pass behind a prefilter: one regex combining them all defeats
// V8's literal-prefix scanning and costs five times their sum, and most text needs no pass at
// all. Patterns that start with a word class sit behind a lookbehind that rejects positions
// inside a longer run, so a scan over a long string without a match stays linear.
// A credential's name may end a longer one, as environment variables and config keys are
// written (DB_PASSWORD, MY_API_KEY, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN): it starts after
// anything but a letter or digit.
const CREDENTIAL =
  /(?<![A-Za-z0-9])(?:passw(?:or)?d|pwd|secret|api[_-]?key|client[_-]?secret|access[_-]?(?:token|key)|auth[_-]?token|refresh[_-]?token|[A-Za-z0-9]+_token)\\?["']?\s*[:=]\s*\\?["']?(?!\[REDACTED)([^\s"'&,;}\]\\]{3,})/gi;
const BEARER = /\b(?:[Bb]earer|BEARER)\s+([A-Za-z0-9._~+/-]{8,}=*)/g;
const EMAIL_DOMAIN = /[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

const REGEXPS: Record<Exclude<BuiltinPatternName, "email" | "bearer" | "credential">, RegExp> = {
  pem: /-----BEGIN[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
  // Its signature may be missing where a length limit cut the token (at the end, or before "…").
  jwt: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*|(?=…|$))/g,
  anthropic: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g,
  // Project, service-account and admin keys may hold "-" and "_"; a legacy key is letters and digits.
  openai: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20,}(?![A-Za-z0-9_-]))/g,
  github: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g,
  slack: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,}/g,
  aws: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}(?![A-Z0-9])/g,
  // Exactly 39 characters: a longer run that starts with "AIza" is something else.
  google: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  // Secret and restricted keys, and webhook signing secrets (base64 where Svix issues them).
  // Publishable keys (pk_live_, pk_test_) are meant to be shipped to browsers and stay.
  stripe: /(?<![A-Za-z0-9_])(?:[rs]k_(?:live|test)_[A-Za-z0-9]{24,}|whsec_[A-Za-z0-9+/]{24,}={0,2})/g,
  iban: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g,
  card: /(?<!\d)[2-6](?:[ -]?\d){12,18}(?!\d)/g,
  phone: new RegExp(
    [
      String.raw`(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?!\w)`,
      String.raw`(?<![\w(])\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}(?!\w)`,
      // Not with spaces: "512 768 1024" is a list of numbers far more often than a phone number.
      String.raw`(?<![\w.-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w-]|\.\d)`,
      String.raw`(?<![\w.-])0\d{1,4}[ /.-]\d{2,8}(?:[ .-]\d{2,4}){0,4}(?![\w-]|\.\d)`,
    ].join("|"),
    "g",
  ),
};

const MAY_MATCH: Record<BuiltinPatternName, (s: string, digits: number) => boolean> = {
  pem: (s) => s.includes("-----BEGIN"),
  jwt: (s) => s.includes("eyJ"),
  anthropic: (s) => s.includes("sk-ant-"),
  openai: (s) => s.includes("sk-"),
  github: (s) => s.includes("gh") && /gh[pousr]_|github_pat_/.test(s),
  slack: (s) => s.includes("xox") || s.includes("hooks.slack.com"),
  aws: (s) => /A(?:KIA|SIA|BIA|CCA|IDA|ROA)/.test(s),
  google: (s) => s.includes("AIza"),
  stripe: (s) => s.includes("k_live_") || s.includes("k_test_") || s.includes("whsec_"),
  bearer: (s) => /[Bb]earer|BEARER/.test(s),
  // "_token" only as a name before its value: max_tokens and input_tokens in usage JSON are not one.
  credential: (s) => (s.includes("=") || s.includes(":")) && /passw|pwd|secret|api.?key|access.?key|(?:access|auth|refresh).?token|_token\\?["']?\s*[:=]/i.test(s),
  iban: (s, digits) => digits >= 4 && /[A-Z]{2}\d{2}/.test(s),
  card: (_s, digits) => digits >= 13,
  email: (s) => s.includes("@"),
  phone: (_s, digits) => digits >= 8,
};

/** Every built-in pattern name, in the order the passes run. */
export const BUILTIN_PATTERN_NAMES = Object.keys(MAY_MATCH) as BuiltinPatternName[];

/**
 * The selected built-in patterns, in pass order.
 *
 * @param names - which patterns
 * @example
 * const [email] = builtinPatterns(["email"]);
 * email.apply("write to ada@example.com", (kind) => `[REDACTED:${kind}]`) // "write to [REDACTED:email]"
 */
export function builtinPatterns(names: readonly BuiltinPatternName[]): BuiltinPattern[] {
  return BUILTIN_PATTERN_NAMES.filter((n) => names.includes(n)).map((name) => ({ name, mayMatch: MAY_MATCH[name], apply: applier(name) }));
}

function applier(name: BuiltinPatternName): (s: string, replace: Replace) => string {
  if (name === "email") return replaceEmails;
  if (name === "bearer" || name === "credential") {
    const re = name === "bearer" ? BEARER : CREDENTIAL;
    // Only the value is replaced; "Bearer " and "password: " stay.
    return (s, replace) => s.replace(re, (m: string, value: string) => m.slice(0, m.length - value.length) + replace(name, value));
  }
  const re = REGEXPS[name];
  return (s, replace) =>
    s.replace(re, (m: string) => {
      const n = validLength(name, m);
      return n === 0 ? m : replace(name, m.slice(0, n)) + m.slice(n);
    });
}

const isLocalPart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;

/**
 * E-mail addresses, found from each "@" outwards: a local part of 1 to 64 characters that is a
 * whole run, then a domain with a top-level label of 2 to 24 letters.
 */
function replaceEmails(s: string, replace: Replace): string {
  let out = "";
  let last = 0;
  let at = s.indexOf("@");
  while (at >= 0) {
    let start = at;
    while (start > last && start > at - 64 && isLocalPart(s.charCodeAt(start - 1))) start--;
    const wholeRun = start === 0 || !isLocalPart(s.charCodeAt(start - 1));
    if (start < at && wholeRun) {
      EMAIL_DOMAIN.lastIndex = at + 1;
      if (EMAIL_DOMAIN.test(s)) {
        const end = EMAIL_DOMAIN.lastIndex;
        out += s.slice(last, start) + replace("email", s.slice(start, end));
        last = end;
        at = s.indexOf("@", end);
        continue;
      }
    }
    at = s.indexOf("@", at + 1);
  }
  return last === 0 ? s : out + s.slice(last);
}

/** How many of the characters of `s` are ASCII digits. */
export function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
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
      const plus = match.startsWith("+");
      const min = plus ? 8 : match.startsWith("0") ? 9 : 10;
      if (digits < min || digits > 15) return 0;
      // A signed number is no phone number: no country code starts with 0, one "." alone is a
      // decimal point, and without separators a number needs E.164's usual 10 digits or more.
      if (plus) {
        const separators = match.replace(/[\d+]/g, "");
        if (match.charCodeAt(1) === 48 || separators === "." || (separators === "" && digits < 10)) return 0;
      }
      // National numbers use one separator throughout; "01.02.2024 06" is a date and a number.
      const c = match.charCodeAt(0);
      if (c >= 48 && c <= 57 && new Set(match.replace(/\d/g, "")).size > 1) return 0;
      return match.length;
    }
    default:
      return match.length;
  }
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
