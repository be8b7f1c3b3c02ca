import { ConfigError } from "../errors.js";
import { unknownOption } from "../unknown-option.js";
import { BUILTIN_PATTERN_NAMES } from "./redact-patterns.js";
import type { BuiltinPatternName, RedactMode } from "./types.js";

/** `redact` after validation: every field settled, user patterns made global. */
export interface ResolvedRedact {
  readonly mode: RedactMode;
  readonly builtin: readonly BuiltinPatternName[];
  readonly patterns: readonly { readonly name: string; readonly pattern: RegExp }[];
  readonly keys: readonly (string | RegExp)[];
  readonly salt: string | undefined;
}

const MODES: readonly RedactMode[] = ["mask", "remove", "hash"];
const FIELDS = new Set(["mode", "patterns", "builtinPatterns", "keys", "salt"]);
const MIN_SALT = 8;

/**
 * Validates the `redact` option; undefined when redaction is off. Throws a ConfigError naming
 * the exact field (`redact.mode`, `redact.patterns[2]`, ...).
 *
 * @param value - `true`, `false`, undefined or a `RedactOptions` object
 * @param source - "init()", "environment" or a config file's path, for the error message
 * @param name - the option or environment variable the value came from
 * @example
 * resolveRedact({ mode: "hash", salt: "s3cret-salt" }, "init()", "redact").mode // "hash"
 */
export function resolveRedact(value: unknown, source: string, name: string): ResolvedRedact | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { mode: "mask", builtin: BUILTIN_PATTERN_NAMES, patterns: [], keys: [], salt: undefined };
  const fail = (field: string, got: unknown, expected: string): never => {
    const where = source !== "environment" ? (field === "" ? name : `${name}.${field}`) : field === "salt" ? "SPANWISE_REDACT_SALT" : name;
    throw new ConfigError(where, got, expected, source);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail("", value, "true, false or an object");
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) throw unknownOption(`${name}.${key}`, o[key], [...FIELDS], source);

  const mode = (o.mode ?? "mask") as RedactMode;
  if (!MODES.includes(mode)) fail("mode", o.mode, '"mask", "remove" or "hash"');

  let builtin: readonly BuiltinPatternName[] = BUILTIN_PATTERN_NAMES;
  if (o.builtinPatterns === false) builtin = [];
  else if (Array.isArray(o.builtinPatterns)) {
    o.builtinPatterns.forEach((p, i) => {
      if (!BUILTIN_PATTERN_NAMES.includes(p as BuiltinPatternName)) fail(`builtinPatterns[${i}]`, p, `one of ${BUILTIN_PATTERN_NAMES.join(", ")}`);
    });
    builtin = o.builtinPatterns as BuiltinPatternName[];
  } else if (o.builtinPatterns !== undefined && o.builtinPatterns !== true) fail("builtinPatterns", o.builtinPatterns, "true, false or a list of built-in pattern names");

  const patterns: { name: string; pattern: RegExp }[] = [];
  if (o.patterns !== undefined && !Array.isArray(o.patterns)) fail("patterns", o.patterns, "an array of RegExp or { name, pattern: RegExp }");
  ((o.patterns ?? []) as unknown[]).forEach((p, i) => {
    const entry = p instanceof RegExp ? { name: "custom", pattern: p } : (p as { name?: unknown; pattern?: unknown } | null);
    if (!entry || typeof entry.name !== "string" || entry.name === "" || !(entry.pattern instanceof RegExp)) {
      return fail(`patterns[${i}]`, p, "a RegExp or { name: string, pattern: RegExp }");
    }
    const flags = entry.pattern.flags.includes("g") ? entry.pattern.flags : `${entry.pattern.flags}g`;
    const pattern = new RegExp(entry.pattern.source, flags.replace("y", ""));
    // A pattern that matches empty text would put a mask between every two characters.
    if (new RegExp(entry.pattern.source, flags.replace(/[gy]/g, "")).test("")) fail(`patterns[${i}]`, entry.pattern, "a pattern that does not match empty text");
    patterns.push({ name: entry.name, pattern });
  });

  if (o.keys !== undefined && !Array.isArray(o.keys)) fail("keys", o.keys, "an array of strings or RegExps");
  const keys = ((o.keys ?? []) as unknown[]).map((k, i) => {
    if (k instanceof RegExp) return new RegExp(k.source, k.flags.replace(/[gy]/g, ""));
    if (typeof k !== "string" || k.replace(/[^a-z0-9]/gi, "") === "") return fail(`keys[${i}]`, k, "a string with a letter or digit, or a RegExp");
    return k;
  });

  const salt = o.salt;
  if (salt !== undefined && (typeof salt !== "string" || salt.length < MIN_SALT)) fail("salt", salt === undefined ? salt : "(hidden)", `a string of at least ${MIN_SALT} characters`);
  if (mode === "hash" && salt === undefined) {
    fail("salt", undefined, `a secret salt of at least ${MIN_SALT} characters for mode "hash" (unsalted hashes of e-mails and phone numbers are easy to reverse by guessing)`);
  }
  return { mode, builtin, patterns, keys, salt: salt as string | undefined };
}
