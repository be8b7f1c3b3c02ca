import type { Baggage } from "../../core/context.js";
import { injectInto } from "../../core/propagation.js";
import type { SpanContext } from "../../core/span.js";

/**
 * The key of the trace context that `tracedStub` appends to an RPC call's arguments, and that
 * `instrumentDurableObject` takes off again before the method runs. A plain object, so it
 * survives structured cloning.
 */
export const ENVELOPE_KEY = "spanwise.context";

/**
 * The extra last argument that carries `traceparent`, `tracestate` and `baggage` over RPC.
 *
 * @param ctx - the calling span's context
 * @param baggage - W3C Baggage to pass along
 * @returns `{ "spanwise.context": { traceparent, ... } }`
 * @example
 * stub.increment(5, rpcEnvelope(span.spanContext(), undefined));
 */
export function rpcEnvelope(ctx: SpanContext, baggage: Baggage | undefined): Record<string, Record<string, string>> {
  return { [ENVELOPE_KEY]: injectInto({} as Record<string, string>, ctx, baggage) };
}

/**
 * Takes the trace context off the end of an RPC call's arguments, if it is there.
 *
 * @param args - the arguments as received
 * @returns the user's arguments and the carrier of trace headers (undefined when absent)
 * @example
 * const { args, carrier } = openEnvelope(received);
 */
export function openEnvelope(args: readonly unknown[]): { args: unknown[]; carrier: Record<string, string> | undefined } {
  const last = args[args.length - 1];
  if (last === null || typeof last !== "object" || Object.getPrototypeOf(last) !== Object.prototype) return { args: [...args], carrier: undefined };
  const keys = Object.keys(last);
  const carrier = (last as Record<string, unknown>)[ENVELOPE_KEY];
  if (keys.length !== 1 || carrier === null || typeof carrier !== "object" || typeof (carrier as { traceparent?: unknown }).traceparent !== "string") {
    return { args: [...args], carrier: undefined };
  }
  return { args: args.slice(0, -1), carrier: carrier as Record<string, string> };
}
