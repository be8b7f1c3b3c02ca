import type { ReadableSpan } from "../span-types.js";

/**
 * One trace as tail sampling and `processors` see it at flush: the spans of the trace that ended
 * in this process and are being exported now. Processors may edit a span's `attributes` in place.
 */
export interface FinishedTrace {
  readonly traceId: string;
  /** The spans, each with `toJSON()` for a plain copy (`{ ...span }` misses its accessors). */
  readonly spans: readonly (ReadableSpan & { toJSON(): ReadableSpan })[];
  /** The trace's first span in this isolate, when it is among `spans`. */
  readonly root: (ReadableSpan & { toJSON(): ReadableSpan }) | undefined;
  /** True when any span has status ERROR. */
  readonly hasError: boolean;
  /** The root's duration, or from the earliest start to the latest end when the root is not here. */
  readonly durationMs: number;
  /** Sum of `llm.cost.total` over the trace's llm and embedding spans. */
  readonly costUsd: number;
  /** Sum of `llm.token_count.total` (or input + output tokens) over the trace's llm and embedding spans. */
  readonly tokens: number;
  /** The head sampler's decision for the trace. */
  readonly sampled: boolean;
}

/**
 * A function over each finished trace, run at flush after redaction (with the default
 * `processorOrder: "safety"`). It may edit span attributes; returning `false` drops the trace
 * (counted in `stats().dropped.filtered`). Errors and rejections are caught and counted in
 * `stats().processorErrors`; the trace is exported all the same.
 *
 * @example
 * const tagTeam: TraceProcessor = (trace) => { for (const s of trace.spans) s.attributes["team"] = "search" };
 */
export type TraceProcessor = (trace: FinishedTrace) => void | boolean | Promise<void | boolean>;

/** What redaction does with what it finds: replace with `[REDACTED:<kind>]`, remove, or replace with a salted SHA-256. */
export type RedactMode = "mask" | "remove" | "hash";

/** The patterns spanwise ships; all are on unless `builtinPatterns` says otherwise. */
export type BuiltinPatternName =
  | "email"
  | "phone"
  | "card"
  | "iban"
  | "openai"
  | "anthropic"
  | "aws"
  | "google"
  | "stripe"
  | "github"
  | "slack"
  | "bearer"
  | "jwt"
  | "pem"
  | "credential";

/** Options of `redact`. `redact: true` means `{ mode: "mask" }` with every built-in pattern and key rule. */
export interface RedactOptions {
  /** Default "mask". "hash" needs `salt`. */
  mode?: RedactMode;
  /** Extra patterns, applied after the built-in ones. A bare RegExp reports as `custom`. */
  patterns?: ReadonlyArray<RegExp | { readonly name: string; readonly pattern: RegExp }>;
  /** Which built-in patterns run: true (default) for all, false for none, or a list. */
  builtinPatterns?: boolean | readonly BuiltinPatternName[];
  /**
   * Extra keys whose whole value is redacted, beside the built-in ones (password, secret, token,
   * authorization, cookie, api_key, ...). A string matches keys that end with it, ignoring case
   * and separators ("ssn" matches `user.ssn` and `customerSSN`); a RegExp is tested on the key.
   */
  keys?: ReadonlyArray<string | RegExp>;
  /** Secret salt for "hash" mode, at least 8 characters; the same salt gives the same hashes. */
  salt?: string;
}
