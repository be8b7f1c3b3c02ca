import type { SpanEvent, SpanKind, SpanLink, SpanType, StatusCode } from "./span-types.js";

/** Shared empty lists a span reports until its first event or link. */
export const NO_EVENTS = Object.freeze([]) as unknown as SpanEvent[];
export const NO_LINKS = Object.freeze([]) as unknown as SpanLink[];

// Kind, status and type are kept as small integers in one bit field with the recording flag.
export const KIND_NAMES: readonly SpanKind[] = ["internal", "server", "client", "producer", "consumer"];
export const KINDS: Record<string, number> = { internal: 0, server: 1, client: 2, producer: 3, consumer: 4 };
export const STATUS_NAMES: readonly StatusCode[] = ["unset", "ok", "error"];
export const KIND_MASK = 7;
export const STATUS_SHIFT = 3;
export const STATUS_MASK = 3 << STATUS_SHIFT;
export const OK = 1 << STATUS_SHIFT;
export const ERROR = 2 << STATUS_SHIFT;
export const RECORDING = 1 << 5;
/** Set while the attribute list holds distinct keys only (see SpanRecord.attributeList). */
export const SETTLED = 1 << 9;
export const TYPE_SHIFT = 6;
/** Span types by their number in the bit field; 7 means "another value, kept in the span's extras". */
export const TYPE_NAMES: readonly SpanType[] = ["span", "agent", "llm", "tool", "retrieval", "embedding", "workflow"];
export const OTHER_TYPE = 7;
