import type { Span, SpanContext } from "./span-types.js";

// Plain constants rather than NOOP_CONTEXT.traceId: a property read at module level is code a
// bundler must keep, and with it NOOP_SPAN, in every bundle of a chunk that holds them.
const NO_TRACE_ID = "00000000000000000000000000000000";
const NO_SPAN_ID = "0000000000000000";
const NOOP_CONTEXT: SpanContext = { traceId: NO_TRACE_ID, spanId: NO_SPAN_ID, traceFlags: 0, isRemote: false };

/** The span handed out when tracing is off: every method is a no-op. */
export const NOOP_SPAN: Span = {
  traceId: NO_TRACE_ID,
  spanId: NO_SPAN_ID,
  setAttribute() {
    return this;
  },
  setAttributes() {
    return this;
  },
  addEvent() {
    return this;
  },
  addLink() {
    return this;
  },
  setStatus() {
    return this;
  },
  recordException() {
    return this;
  },
  update() {
    return this;
  },
  updateName() {
    return this;
  },
  end() {},
  isRecording: () => false,
  spanContext: () => NOOP_CONTEXT,
};
