import type { AttributeValue, Attributes } from "../attributes.js";
import { editList } from "../attribute-list.js";
import type { SpanEvent, SpanRecord } from "../span.js";
import type { TraceData } from "../trace-data.js";
import { createKeyRule } from "./redact-keys.js";
import { builtinPatterns } from "./redact-patterns.js";
import { type Replace, type TextRedactor, createTextRedactor } from "./redact-text.js";
import type { ResolvedRedact } from "./resolve-redact.js";
import { saltedSha256 } from "./sha256.js";

/** The redaction stage. */
export interface SpanRedactor {
  /**
   * Redacts names, status messages, attributes, event names and attributes, and link attributes in place. Returns the
   * spans to keep: a trace whose redaction failed is left out (never sent unredacted) and counted
   * through `onFailure` (once per run).
   */
  run(spans: SpanRecord[]): Promise<SpanRecord[]>;
}

// Hash mode first marks what to hash, then hashes everything of a batch at once (crypto.subtle
// is async) and swaps the marks for the digests. Private-use characters no pattern matches.
const MARK_OPEN = "\uE000";
const MARK = /\uE000(\d+)\uE001/g;
const MAX_HASHES_CACHED = 10_000;

/**
 * Builds the redaction stage for the resolved `redact` option.
 *
 * @param options - the resolved `redact` option
 * @param onFailure - told how many spans were left out, and why
 * @example
 * const stage = createSpanRedactor(config.redact, (n, err) => counters.dropped.redactionFailed += n);
 * const kept = await stage.run(spans);
 */
export function createSpanRedactor(options: ResolvedRedact, onFailure: (spans: number, err: unknown) => void): SpanRedactor {
  const keyRule = createKeyRule(options.keys);
  const builtin = builtinPatterns(options.builtin);
  const hashes = new Map<string, string>();
  let pending: string[] = [];
  let pendingIndex = new Map<string, number>();
  const salt = options.salt ?? "";
  let marks = 0;
  const mark = (found: string): string => {
    marks++;
    let i = pendingIndex.get(found);
    if (i === undefined) {
      i = pending.push(found) - 1;
      pendingIndex.set(found, i);
    }
    return `${MARK_OPEN}${i}\uE001`;
  };

  const replace: Replace =
    options.mode === "mask"
      ? (kind) => (kind === "key" ? "[REDACTED]" : `[REDACTED:${kind}]`)
      : options.mode === "remove"
        ? () => ""
        : (_kind, found) => hashes.get(found) ?? mark(found);
  const redactor = createTextRedactor({ builtin, patterns: options.patterns, keyRule, replace, removeWhole: options.mode === "remove", cache: true, volatileMark: MARK_OPEN });

  return {
    async run(spans) {
      pending = [];
      pendingIndex = new Map();
      const failed = new Set<TraceData>();
      const marked: SpanRecord[] = [];
      let firstError: unknown;
      for (const span of spans) {
        if (failed.has(span.trace)) continue;
        const before = marks;
        try {
          visit(span, redactor, keyRule);
        } catch (err) {
          failed.add(span.trace);
          firstError ??= err;
        }
        if (marks > before) marked.push(span);
      }
      if (pending.length > 0) {
        const found = pending;
        pending = [];
        pendingIndex = new Map();
        const digests = await digestAll(salt, found);
        for (let i = 0; i < found.length; i++) {
          if (hashes.size >= MAX_HASHES_CACHED) hashes.clear();
          hashes.set(found[i] as string, digests[i] as string);
        }
        const unmark = (s: string): string => (s.includes(MARK_OPEN) ? s.replace(MARK, (m, i: string) => digests[Number(i)] ?? m) : s);
        // The same walk, with the digests for the marks as the only change and no key rule.
        const swap: TextRedactor = { text: unmark, whole: unmark as TextRedactor["whole"], number: (n) => n };
        for (const span of marked) if (!failed.has(span.trace)) visit(span, swap, () => false);
      }
      if (failed.size === 0) return spans;
      const kept = spans.filter((s) => !failed.has(s.trace));
      onFailure(spans.length - kept.length, firstError);
      return kept;
    },
  };
}

async function digestAll(salt: string, found: readonly string[]): Promise<string[]> {
  try {
    return await Promise.all(found.map(async (text) => `[sha256:${await saltedSha256(salt, text)}]`));
  } catch {
    // No crypto.subtle here: fall back to masking rather than leaving anything in clear.
    return found.map(() => "[REDACTED]");
  }
}

function visit(span: SpanRecord, r: TextRedactor, keyRule: (key: string) => boolean): void {
  span.name = r.text(span.name);
  if (span.statusMessage) span.statusMessage = r.text(span.statusMessage);
  // The span's own list where it has one: reading `attributes` would make it an object, and an
  // LLM span's 20 or more keys make that object one of V8's slow dictionaries, for this stage
  // and the encoders after it.
  const list = span.attributeList();
  const removed = list ? editList(list, (key, v) => (keyRule(key) ? r.whole(v) : redactValue(v, r)), undefined) : redactAttributes(span.attributes, r, keyRule);
  span.attributeCount -= removed;
  renameEvents(span, r.text);
  for (const e of span.events) redactAttributes(e.attributes, r, keyRule);
  for (const l of span.links) redactAttributes(l.attributes, r, keyRule);
}

function renameEvents(span: SpanRecord, text: (s: string) => string): void {
  for (let i = 0; i < span.events.length; i++) {
    const e = span.events[i] as SpanEvent;
    const name = text(e.name);
    if (name !== e.name) span.events[i] = { ...e, name };
  }
}

/** Redacts one attribute record in place; returns how many attributes were removed. */
function redactAttributes(attrs: Attributes, r: TextRedactor, keyRule: (key: string) => boolean): number {
  let removed = 0;
  for (const key in attrs) {
    const v = attrs[key] as AttributeValue;
    if (keyRule(key)) {
      const replaced = r.whole(v);
      if (replaced === undefined) {
        delete attrs[key];
        removed++;
      } else attrs[key] = replaced;
      continue;
    }
    const w = redactValue(v, r);
    if (w !== v) attrs[key] = w;
  }
  return removed;
}

/** A value with its strings (and card numbers) redacted: the value itself when nothing changed. */
function redactValue(v: AttributeValue, r: TextRedactor): AttributeValue {
  if (typeof v === "string") return r.text(v);
  if (typeof v === "number" || typeof v === "bigint") {
    const n = r.number(v);
    return n === v ? v : (n as AttributeValue);
  }
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((item: string | number | boolean | null) => {
      const next = typeof item === "string" ? r.text(item) : typeof item === "number" ? r.number(item) : item;
      if (next !== item) changed = true;
      return next;
    });
    return changed ? (out as AttributeValue) : v;
  }
  return v;
}
