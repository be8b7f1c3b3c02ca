import type { Attributes } from "./attributes.js";

/** Scope attributes from `withAttributes` and `observe` options, inherited by child spans. */
export interface Scope {
  readonly userId?: string | undefined;
  readonly sessionId?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  readonly attributes?: Attributes | undefined;
}
