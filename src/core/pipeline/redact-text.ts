import type { KeyRule } from "./redact-keys.js";
import { type BuiltinPattern, type Replace, countDigits, luhn } from "./redact-patterns.js";

export type { Replace } from "./redact-patterns.js";

/** Redacts text and values found under sensitive keys. */
export interface TextRedactor {
  /** Applies the patterns, and inside JSON text the key rules too. */
  text(s: string): string;
  /** The replacement of a whole value under a sensitive key; undefined means remove it. */
  whole(value: unknown): string | undefined;
  /** Redacts a number that is a card number; other numbers come back unchanged. */
  number(n: number | bigint): number | bigint | string;
}

/** What `createTextRedactor` needs. */
export interface TextRedactorOptions {
  readonly builtin: readonly BuiltinPattern[];
  readonly patterns: readonly { readonly name: string; readonly pattern: RegExp }[];
  readonly keyRule: KeyRule;
  readonly replace: Replace;
  /** "remove" deletes values under sensitive keys instead of replacing them. */
  readonly removeWhole: boolean;
  /** Remember results for short strings. */
  readonly cache: boolean;
  /** A result containing this is not remembered (hash mode's marks are valid for one batch only). */
  readonly volatileMark?: string;
}

// The shortest thing any built-in pattern finds is an e-mail like a@b.co.
const MIN_LENGTH = 6;
const MAX_DEPTH = 64;
const MAX_CACHED_LENGTH = 256;
const MAX_CACHED = 4096;
const FAILED = Symbol("unparsed");
// A run of digits as long as an integer JSON.parse may round (past 2^53 has 16 digits).
const LONG_DIGITS = /\d{16,}/g;

/** True when the text holds an integer that a number cannot keep exactly (JSON.parse would round it). */
function hasInexactInteger(s: string): boolean {
  for (const run of s.match(LONG_DIGITS) ?? []) if (String(Number(run)) !== run) return true;
  return false;
}
// A "key": value pair in JSON-like text that did not parse (cut by the length limit, or embedded in prose).
const KEY_VALUE = /"((?:[^"\\\n]|\\.){1,200})"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]+)/g;

/**
 * Builds the redactor that every string of a span goes through.
 *
 * @example
 * const r = createTextRedactor({ builtin: builtinPatterns(["email"]), patterns: [], keyRule, replace: (k) => `[REDACTED:${k}]`, removeWhole: false, cache: true });
 * r.text("write to ada@example.com") // "write to [REDACTED:email]"
 */
export function createTextRedactor(options: TextRedactorOptions): TextRedactor {
  const { builtin, patterns, keyRule, removeWhole } = options;
  const cache = options.cache ? new Map<string, string>() : undefined;
  // Counts replacements, so JSON that needed none keeps its original text and formatting.
  let hits = 0;
  const replace: Replace = (kind, found) => {
    hits++;
    return options.replace(kind, found);
  };

  const applyPatterns = (s: string): string => {
    let out = s;
    if (builtin.length > 0) {
      const digits = countDigits(s);
      for (const p of builtin) if (p.mayMatch(out, digits)) out = p.apply(out, replace);
    }
    for (const { name, pattern } of patterns) out = out.replace(pattern, (m) => (m === "" ? m : replace(name, m)));
    return out;
  };

  const whole = (value: unknown): string | undefined => {
    if (removeWhole) {
      hits++;
      return undefined;
    }
    return replace("key", value !== null && typeof value === "object" ? JSON.stringify(value) : String(value));
  };

  const number = (n: number | bigint): number | bigint | string => {
    // Only integers of 13 digits or more can be card numbers; everything else passes untouched.
    if (typeof n === "number" ? !(Number.isInteger(n) && n >= 1e12) : n < 1_000_000_000_000n) return n;
    const digits = n.toString();
    return /^[2-6]\d{12,18}$/.test(digits) && luhn(digits) ? replace("card", digits) : n;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (typeof value === "number") return number(value);
    if (value === null || typeof value !== "object") return value;
    // Deeper than any real payload: keep the text, without its structure.
    if (depth > MAX_DEPTH) return text(JSON.stringify(value));
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (keyRule(key)) {
        const replaced = whole(v);
        if (replaced !== undefined) out[key] = replaced;
      } else {
        out[key] = walk(v, depth + 1);
      }
    }
    return out;
  };

  const keyValues = (s: string): string =>
    s.replace(KEY_VALUE, (m: string, key: string, sep: string, value: string) => {
      if (!keyRule(key)) return m;
      const raw = value.startsWith('"') ? value.slice(1, value.endsWith('"') && value.length > 1 ? -1 : undefined) : value;
      const replaced = whole(raw);
      return `"${key}"${sep}${JSON.stringify(replaced ?? "")}`;
    });

  const text = (s: string): string => {
    if (s.length < MIN_LENGTH) return s;
    const cached = cache?.get(s);
    if (cached !== undefined) return cached;
    let out = s;
    if (hasSensitiveKey(s, keyRule)) {
      const first = s.trimStart()[0];
      // Integers past 2^53 do not survive a parse and stringify (ids would change): such JSON is
      // redacted as text.
      const parsed = (first === "{" || first === "[") && !hasInexactInteger(s) ? parse(s) : FAILED;
      if (parsed !== FAILED) {
        const before = hits;
        const redacted = walk(parsed, 0);
        if (hits !== before) out = JSON.stringify(redacted);
      } else {
        out = applyPatterns(keyValues(s));
      }
    } else {
      out = applyPatterns(s);
    }
    if (cache !== undefined && s.length <= MAX_CACHED_LENGTH && (options.volatileMark === undefined || !out.includes(options.volatileMark))) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(s, out);
    }
    return out;
  };

  return { text, whole, number };
}

/**
 * True when JSON-like text has a key the rule redacts: finds each `":` (or the escaped `\":` of
 * JSON inside a JSON string) and looks at the key before it, so only text with such a key is
 * parsed. Keys repeat, and the rule caches its answers.
 */
function hasSensitiveKey(s: string, rule: KeyRule): boolean {
  let q = s.indexOf('":');
  while (q > 0) {
    let end = q;
    while (end > 0 && s.charCodeAt(end - 1) === 92) end--;
    const start = s.lastIndexOf('"', end - 1);
    if (start >= 0 && end - start <= 201 && rule(s.slice(start + 1, end).replace(/\\+$/, ""))) return true;
    q = s.indexOf('":', q + 2);
  }
  return false;
}

function parse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return FAILED;
  }
}
