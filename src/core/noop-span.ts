import type { Span, SpanContext } from "./span-types.js";

const NOOP_CONTEXT: SpanContext = { traceId: "00000000000000000000000000000000", spanId: "0000000000000000", traceFlags: 0, isRemote: false };

/** The span handed out when tracing is off: every method is a no-op. */
export const NOOP_SPAN: Span = {
  traceId: NOOP_CONTEXT.traceId,
  spanId: NOOP_CONTEXT.spanId,
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
