import type { SpanKind, StatusCode } from "../span.js";

/** OTLP `Span.SpanKind` numbers, shared by the JSON and protobuf encoders. */
export const OTLP_KIND: Readonly<Record<SpanKind, number>> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
/** OTLP `Status.StatusCode` numbers. */
export const OTLP_STATUS: Readonly<Record<StatusCode, number>> = { unset: 0, ok: 1, error: 2 };
/** OTLP SpanFlags: bits 8 and 9 say whether the parent is known to be remote. */
export const HAS_IS_REMOTE = 0x100;
export const IS_REMOTE = 0x200;
/** The int64 range of OTLP's intValue. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
