import type { ReadableSpan } from "../../src/runtimes/node/index.js";

/**
 * A finished span as a plain object, not a span record (as a processor or another SDK may hand
 * one to an exporter): a root span "plain" with no attributes, events or links, with `fields`
 * laid over it. Fields may hold values of other types than declared, to test what encoders make
 * of them.
 *
 * @example
 * const odd = plainSpan({ kind: "sideways", startTime: Number.NaN });
 */
export function plainSpan(fields: Record<string, unknown> = {}): ReadableSpan {
  return {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    parentSpanId: undefined,
    parentIsRemote: false,
    traceFlags: 1,
    traceState: undefined,
    name: "plain",
    type: "span",
    kind: "internal",
    startTime: 1_700_000_000_123.4567,
    endTime: 1_700_000_001_000,
    attributes: {},
    events: [],
    links: [],
    statusCode: "unset",
    statusMessage: undefined,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    ...fields,
  } as unknown as ReadableSpan;
}
