import { G } from "../../core/global.js";
import { wrapFetch } from "../../core/instrument-fetch.js";
import { endWithError } from "../../core/settle.js";
import type { SpanRecord } from "../../core/span.js";
import { rpcEnvelope } from "./rpc-envelope.js";

// Members of a stub that are not calls into the object.
const UNTRACED = new Set(["then", "dup", "connect", "id", "name", "constructor", "toString", "valueOf", "toJSON"]);
const PROMISE_METHODS = new Set<PropertyKey>(["then", "catch", "finally"]);

/**
 * A view of a Durable Object stub (or a service binding) whose calls continue the current trace:
 * `fetch` becomes a CLIENT span and carries `traceparent` in its headers; an RPC method call
 * becomes a CLIENT span and carries the trace context as one extra, last argument, which an
 * object wrapped with `instrumentDurableObject` takes off before the method runs. Use it only
 * for objects wrapped that way, or whose methods ignore an extra argument. The stub itself is
 * not changed, and results (RPC promises included) come back as they are. Reading a property or
 * getter (`await stub.count`), and calls pipelined through one, work as on the stub, untraced.
 *
 * @param stub - the stub from `env.MY_OBJECT.get(id)`
 * @returns the traced view of the stub
 * @example
 * const counter = tracedStub(env.COUNTER.get(env.COUNTER.idFromName("global")));
 * const total = await counter.increment(5);
 */
export function tracedStub<S extends object>(stub: S): S {
  if (stub === null || (typeof stub !== "object" && typeof stub !== "function")) return stub;
  const members = new Map<PropertyKey, unknown>();
  return new Proxy(stub, {
    get(target, prop) {
      const cached = members.get(prop);
      if (cached !== undefined) return cached;
      const got: unknown = Reflect.get(target, prop);
      if (typeof got !== "function") return got;
      const value = got as (...args: unknown[]) => unknown;
      let member: unknown;
      if (prop === "fetch") {
        member = wrapFetch((input, init) => Reflect.apply(value, target, init === undefined ? [input] : [input, init]) as Promise<Response>, { propagateTo: () => true });
      } else if (typeof prop === "string" && !UNTRACED.has(prop)) {
        member = new Proxy(value, {
          apply: (fn, _self, args: unknown[]) => callRpc(target, fn, prop, args),
          // An RPC property is also a promise of its value: its then, catch and finally check their
          // receiver, so they run on the property itself. Other names (`stub.api.double`) pass as they are.
          get: (fn, name) => {
            const got: unknown = Reflect.get(fn, name);
            return typeof got === "function" && PROMISE_METHODS.has(name) ? got.bind(fn) : got;
          },
        });
      } else {
        // Native stub methods check their receiver: call them on the real stub.
        member = new Proxy(value, { apply: (fn, _self, args: unknown[]) => Reflect.apply(fn, target, args) });
      }
      members.set(prop, member);
      return member;
    },
  });
}

function callRpc(target: object, fn: (...args: unknown[]) => unknown, method: string, args: unknown[]): unknown {
  const t = G.tracer;
  let span: SpanRecord | undefined;
  let withContext: unknown[] = args;
  if (t !== undefined) {
    try {
      const ctx = t.storage.get();
      if (!ctx?.suppressed) {
        span = t.start(method, "span", "client", undefined, ctx, ctx?.scope);
        span.setAttribute("rpc.system", "cloudflare_workers_rpc");
        span.setAttribute("rpc.method", method);
        withContext = [...args, rpcEnvelope(span.spanContext(), ctx?.baggage)];
      }
    } catch (err) {
      t.internalError("tracedStub", err);
      if (span !== undefined && span.endTime === 0) span.end();
      span = undefined;
      withContext = args;
    }
  }
  if (span === undefined) return Reflect.apply(fn, target, args);
  const s = span;
  let result: unknown;
  try {
    result = Reflect.apply(fn, target, withContext);
  } catch (err) {
    endWithError(s, err);
    throw err;
  }
  // Followed on a side branch: the caller keeps the very RPC promise, pipelining included.
  try {
    if (result !== null && (typeof result === "object" || typeof result === "function") && typeof (result as PromiseLike<unknown>).then === "function") {
      (result as PromiseLike<unknown>).then(
        () => s.end(),
        (err: unknown) => endWithError(s, err),
      );
    } else {
      s.end();
    }
  } catch (err) {
    t?.internalError("tracedStub", err);
    if (s.endTime === 0) s.end();
  }
  return result;
}
