import type { KeyRule } from "./redact-keys.js";
import { BUILTIN_PATTERN_NAMES, luhn, validLength } from "./redact-patterns.js";

/** Turns what a pattern found (`kind` names the pattern, or "key" for a key rule) into its replacement. */
export type Replace = (kind: string, text: string) => string;

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
  readonly builtin: RegExp | undefined;
  readonly patterns: readonly { readonly name: string; readonly pattern: RegExp }[];
  readonly keyRule: KeyRule;
  readonly replace: Replace;
  /** "remove" deletes values under sensitive keys instead of replacing them. */
  readonly removeWhole: boolean;
  /** Remember results for short strings (only when `replace` depends on nothing but its input). */
  readonly cache: boolean;
}

// The shortest thing any built-in pattern finds is an e-mail like a@b.co.
const MIN_LENGTH = 6;
const MAX_DEPTH = 64;
const MAX_CACHED_LENGTH = 256;
const MAX_CACHED = 4096;
const FAILED = Symbol("unparsed");
// A "key": value pair in JSON-like text that did not parse (cut by the length limit, or embedded in prose).
const KEY_VALUE = /"((?:[^"\\\n]|\\.){1,200})"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]+)/g;

/**
 * Builds the redactor that every string of a span goes through.
 *
 * @example
 * const r = createTextRedactor({ builtin: builtinRegExp(["email"]), patterns: [], keyRule, replace: (k) => `[REDACTED:${k}]`, removeWhole: false, cache: true });
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

  const onBuiltin = (match: string, ...rest: unknown[]): string => {
    const groups = rest[rest.length - 1] as Record<string, string | undefined>;
    let kind = "secret";
    for (const name of BUILTIN_PATTERN_NAMES) {
      if (groups[name] !== undefined) {
        kind = name;
        break;
      }
    }
    const n = validLength(kind, match);
    if (n === 0) return match;
    return replace(kind, match.slice(0, n)) + match.slice(n);
  };

  const applyPatterns = (s: string): string => {
    let out = builtin ? s.replace(builtin, onBuiltin) : s;
    for (const { name, pattern } of patterns) out = out.replace(pattern, (m) => (m === "" ? m : replace(name, m)));
    return out;
  };

  const whole = (value: unknown): string | undefined => {
    if (removeWhole) {
      hits++;
      return undefined;
    }
    return replace("key", typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)));
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
    if (keyRule.hint === undefined || keyRule.hint.test(s)) {
      const first = s.trimStart()[0];
      const parsed = first === "{" || first === "[" ? parse(s) : FAILED;
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
    if (cache !== undefined && s.length <= MAX_CACHED_LENGTH) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(s, out);
    }
    return out;
  };

  return { text, whole, number };
}

function parse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return FAILED;
  }
}
