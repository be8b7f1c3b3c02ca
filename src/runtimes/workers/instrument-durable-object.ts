import type { AttributeInput } from "../../core/attributes.js";
import { extractFrom } from "../../core/propagation.js";
import { type OptionsCache, type Setup, createOptionsCache, runUntraced, setup } from "./isolate.js";
import type { WorkersOptionsInput } from "./options.js";
import { requestAttributes } from "./request-attributes.js";
import { openEnvelope } from "./rpc-envelope.js";
import { type EventSpec, runEvent } from "./run-event.js";
import type { DurableObjectClass, DurableObjectState } from "./types.js";

const STATE = Symbol("spanwise.durableObject.state");
const ENV = Symbol("spanwise.durableObject.env");
const HANDLERS = new Set(["fetch", "alarm", "webSocketMessage", "webSocketClose", "webSocketError"]);
// A pure call, so a Worker that never traces a Durable Object drops it from its bundle.
const AsyncFunction = /* @__PURE__ */ constructorOf(async () => {});

function constructorOf(fn: () => unknown): new () => unknown {
  return fn.constructor as new () => unknown;
}

interface Traced {
  [STATE]?: DurableObjectState;
  [ENV]?: unknown;
}

/**
 * Traces a Durable Object class: `fetch`, `alarm`, `webSocketMessage` (and `webSocketClose`,
 * `webSocketError`) and every RPC method become root spans named `Class.method`. A `fetch` with
 * a `traceparent` header, or an RPC call made through `tracedStub`, continues the caller's trace.
 * The object's spans are exported through its `ctx.waitUntil` after each event. Returns a
 * subclass: export it under the class name your wrangler.toml binds.
 *
 * @param Class - the Durable Object class
 * @param options - options, or `(env) => options`
 * @returns the traced subclass
 * @example
 * class CounterObject extends DurableObject { async increment(by: number) { ... } }
 * export const Counter = instrumentDurableObject(CounterObject, (env) => ({ endpoint: env.OTLP_ENDPOINT }));
 */
export function instrumentDurableObject<C extends DurableObjectClass, Env = unknown>(Class: C, options?: WorkersOptionsInput<Env>): C {
  const cache = createOptionsCache(options, "instrumentDurableObject()");
  const className = Class.name || "DurableObject";
  const Base = Class as unknown as new (...args: unknown[]) => object;
  const TracedClass = class extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      Object.defineProperty(this, STATE, { value: args[0] });
      Object.defineProperty(this, ENV, { value: args[1] });
    }
  };
  for (const [name, method] of methodsOf(Class.prototype as object)) {
    Object.defineProperty(TracedClass.prototype, name, { value: wrapMethod(cache, className, name, method), writable: true, configurable: true });
  }
  Object.defineProperty(TracedClass, "name", { value: className });
  return TracedClass as unknown as C;
}

/** The class's own methods, nearest definition first, up to the platform's base class. */
function methodsOf(proto: object | null): Map<string, (...args: unknown[]) => unknown> {
  const found = new Map<string, (...args: unknown[]) => unknown>();
  for (let p = proto; p !== null && p !== Object.prototype && !isNative(p); p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (name === "constructor" || found.has(name)) continue;
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d !== undefined && typeof d.value === "function") found.set(name, d.value as (...args: unknown[]) => unknown);
    }
  }
  return found;
}

function isNative(proto: object): boolean {
  const ctor = (proto as { constructor?: unknown }).constructor;
  try {
    return typeof ctor === "function" && Function.prototype.toString.call(ctor).includes("[native code]");
  } catch {
    return false;
  }
}

function wrapMethod<Env>(cache: OptionsCache<Env>, className: string, name: string, method: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const wrapped = function (this: Traced, ...received: unknown[]): unknown {
    // The context argument is taken off even when tracing is off: the method never sees it.
    const { args, carrier } = openEnvelope(received);
    const call = () => Reflect.apply(method, this, args);
    // Called from the constructor (before the state is known): the object is not serving an event yet.
    if (!Object.hasOwn(this, STATE)) return call();
    const ready = setup(cache, this[ENV] as Env);
    const run = (s: Setup): unknown => traceMethod(s, this, className, name, args, carrier, call);
    if (!(ready instanceof Promise)) return run(ready);
    // Setup is under way (the isolate's first event). Only a call that returns a promise anyway
    // waits for it: an event handler, an RPC call through tracedStub, an async method. Any other
    // (a synchronous helper the object calls itself) runs now, untraced, and returns its own value.
    return HANDLERS.has(name) || carrier !== undefined || method instanceof AsyncFunction ? ready.then(run) : call();
  };
  Object.defineProperty(wrapped, "name", { value: name });
  return wrapped;
}

function traceMethod(s: Setup, self: Traced, className: string, name: string, args: unknown[], carrier: Record<string, string> | undefined, call: () => unknown): unknown {
  const t = s.tracer;
  if (t === undefined) return runUntraced(s, call);
  // The object calling its own method within an event: part of that event, not a new one.
  if (carrier === undefined && t.storage.get()?.span !== undefined) return call();
  let spec: EventSpec;
  try {
    spec = describeEvent(self[STATE], className, name, args, carrier, s.settings.captureQueryString);
  } catch (err) {
    t.internalError("durable object event", err);
    return call();
  }
  return runEvent(t, s.settings, spec, call);
}

function describeEvent(state: DurableObjectState | undefined, className: string, name: string, args: unknown[], carrier: Record<string, string> | undefined, keepQuery: boolean): EventSpec {
  const attributes: AttributeInput = { "cloudflare.durable_object.class": className };
  const id = state?.id?.toString();
  if (typeof id === "string") attributes["cloudflare.durable_object.id"] = id;
  const waitUntil = typeof state?.waitUntil === "function" ? (p: Promise<unknown>) => state.waitUntil?.(p) : undefined;
  const base = { name: `${className}.${name}`, spanKind: "server" as const, waitUntil };
  const request = args[0];
  if (name === "fetch" && request instanceof Request) {
    const http = requestAttributes(request, keepQuery);
    return { ...base, attributes: { ...attributes, ...http.attributes, "faas.trigger": "http" }, parent: extractFrom(request.headers) ?? null, origin: http.origin, http: true };
  }
  if (name === "alarm") {
    const retryCount = (request as { retryCount?: unknown } | undefined)?.retryCount;
    return { ...base, attributes: { ...attributes, "faas.trigger": "timer", "cloudflare.alarm.retry_count": typeof retryCount === "number" ? retryCount : undefined } };
  }
  if (HANDLERS.has(name)) return { ...base, attributes: { ...attributes, "faas.trigger": "other" } };
  return {
    ...base,
    attributes: { ...attributes, "rpc.system": "cloudflare_workers_rpc", "rpc.service": className, "rpc.method": name },
    parent: carrier !== undefined ? (extractFrom(carrier) ?? null) : null,
  };
}
