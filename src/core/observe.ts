import { type AttributeInput, type Attributes, toAttributeValue } from "./attributes.js";
import type { Context } from "./context.js";
import { G } from "./global.js";
import { setIO } from "./llm/attributes.js";
import type { RemoteSpanContext } from "./propagation.js";
import { endWithError, settle } from "./settle.js";
import { NOOP_SPAN, type Span, type SpanKind, type SpanRecord, type SpanType } from "./span.js";
import type { Scope } from "./scope.js";
import type { ParentInput, Tracer } from "./tracer.js";

/** Options of `observe` and `span`. */
export interface ObserveOptions {
  /** Span name. Default: the function's name (`Class.method` for decorated methods). */
  name?: string;
  /** What the span means. Default "span". */
  kind?: SpanType;
  /** The OpenTelemetry span kind. Default: client for llm/embedding, internal otherwise. */
  spanKind?: SpanKind;
  attributes?: AttributeInput;
  /** Tags for this span and its descendants (`tag.tags`). */
  tags?: readonly string[];
  /** Metadata for this span and its descendants (`metadata`). */
  metadata?: Record<string, unknown>;
  /** Record the arguments as `input.value`. Default: the `captureInput` init option. */
  captureInput?: boolean;
  /** Record the result as `output.value`. Default: the `captureOutput` init option. */
  captureOutput?: boolean;
  /** Argument positions left out of the captured input (clients, large buffers). */
  skipArgs?: readonly number[];
  /** `session.id` for this span and its descendants. */
  sessionId?: string;
  /** `user.id` for this span and its descendants. */
  userId?: string;
  /** Explicit parent: a span, a received context, a traceparent string, or null for a new trace. */
  parent?: ParentInput;
}

const SUPPRESSED = Symbol("suppressed");

/** Per-wrapper state computed once, not per call. */
interface Prepared {
  readonly opts: ObserveOptions;
  readonly type: SpanType;
  readonly scope: Scope | undefined;
  readonly skip: ReadonlySet<number> | undefined;
}

/** Prepares options once per wrapped function. */
export function prepare(opts: ObserveOptions | undefined): Prepared {
  const o = opts ?? {};
  const hasScope = o.userId !== undefined || o.sessionId !== undefined || o.tags !== undefined || o.metadata !== undefined;
  return {
    opts: o,
    type: o.kind ?? "span",
    scope: hasScope ? { userId: o.userId, sessionId: o.sessionId, tags: o.tags, metadata: o.metadata } : undefined,
    skip: Array.isArray(o.skipArgs) && o.skipArgs.length > 0 ? new Set(o.skipArgs) : undefined,
  };
}

/** Merges a child scope over its parent: ids replace, tags add up, metadata merges. */
export function mergeScope(parent: Scope | undefined, child: Scope | undefined): Scope | undefined {
  if (!child) return parent;
  if (!parent) return child;
  return {
    userId: child.userId ?? parent.userId,
    sessionId: child.sessionId ?? parent.sessionId,
    tags: child.tags && parent.tags ? [...new Set([...parent.tags, ...child.tags])] : (child.tags ?? parent.tags),
    metadata: child.metadata && parent.metadata ? { ...parent.metadata, ...child.metadata } : (child.metadata ?? parent.metadata),
    attributes: child.attributes && parent.attributes ? { ...parent.attributes, ...child.attributes } : (child.attributes ?? parent.attributes),
  };
}

/** Converts user attributes for a scope once. */
export function toScopeAttributes(input: AttributeInput | undefined, maxLength: number): Attributes | undefined {
  if (!input) return undefined;
  const out: Attributes = {};
  for (const key in input) {
    const v = toAttributeValue(input[key], maxLength);
    if (v !== undefined && key !== "__proto__") out[key] = v;
  }
  return out;
}

// What enterSpan needs, handed over through module state rather than a closure per span:
// ContextStorage.run calls its function synchronously, and enterSpan takes these before any
// other code can run, so a nested traced() call never sees them.
let nextTracer: Tracer | undefined;
let nextSpan: SpanRecord | undefined;
let nextContext: Context | undefined;
let nextFn: ((...args: unknown[]) => unknown) | undefined;
let nextThis: unknown;
let nextArgs: readonly unknown[] | undefined;
let nextCapture = false;

/** Runs the pending call inside its span's context (the body of storage.run). */
function enterSpan(): unknown {
  const t = nextTracer as Tracer;
  const s = nextSpan as SpanRecord;
  const c = nextContext as Context;
  const fn = nextFn as (...args: unknown[]) => unknown;
  const self = nextThis;
  const args = nextArgs;
  const capture = nextCapture;
  nextTracer = nextSpan = nextContext = nextFn = nextThis = nextArgs = undefined;
  let result: unknown;
  try {
    result = args === undefined ? fn(s) : Reflect.apply(fn, self, args as unknown[]);
  } catch (err) {
    endWithError(s, err);
    throw err;
  }
  return settle(t, s, c, result, capture);
}

/**
 * Runs a call inside a new span: starts it, makes it current, ends it when the result is done.
 * With `args` undefined the call is `fn(span)` (span()); otherwise `fn` applied to `self` and `args`
 * (observe). The SDK's own failures fall back to calling untraced; the user's result and errors
 * pass through untouched, and the call runs exactly once.
 */
export function traced<T>(t: Tracer, name: string, p: Prepared, args: readonly unknown[] | undefined, fn: (...args: never[]) => T, self?: unknown): T {
  let span: SpanRecord | undefined;
  let ctx: Context | undefined;
  let capture = false;
  try {
    const parentCtx = t.storage.get();
    // The SDK's own work (an exporter's fetch) is never traced.
    if (parentCtx?.suppressed) throw SUPPRESSED;
    const scope = mergeScope(parentCtx?.scope, p.scope);
    span = t.start(name, p.type, p.opts.spanKind, p.opts.parent, parentCtx, scope);
    if (p.opts.attributes) span.setAttributes(p.opts.attributes);
    if (args !== undefined && args.length > 0 && (p.opts.captureInput ?? t.config.captureInput)) {
      const kept = p.skip ? args.filter((_, i) => !p.skip?.has(i)) : args;
      if (kept.length > 0) setIO(span, "input", kept.length === 1 ? kept[0] : kept, t.limits.captureLength);
    }
    const parent = p.opts.parent;
    const baggage = parent !== null && typeof parent === "object" ? (parent as RemoteSpanContext).baggage : undefined;
    ctx = { span, scope, baggage: baggage ?? parentCtx?.baggage };
    capture = p.opts.captureOutput ?? t.config.captureOutput;
  } catch (err) {
    if (err !== SUPPRESSED) t.internalError("observe", err);
    if (span !== undefined && span.endTime === 0) span.end();
    span = undefined;
  }
  const call = fn as unknown as (...a: unknown[]) => T;
  // Outside the try: the user's function runs exactly once, and its errors are its own.
  if (span === undefined || ctx === undefined) return args === undefined ? call(NOOP_SPAN) : Reflect.apply(call, self, args as unknown[]);
  nextTracer = t;
  nextSpan = span;
  nextContext = ctx;
  nextFn = call;
  nextThis = self;
  nextArgs = args;
  nextCapture = capture;
  try {
    return t.storage.run(ctx, enterSpan) as T;
  } catch (err) {
    // enterSpan clears nextFn as it starts: if it is still set, a user-given contextStorage
    // failed before running the call, so the error is the SDK's and the call still runs once.
    if (nextFn !== call) throw err;
    nextTracer = nextSpan = nextContext = nextFn = nextThis = nextArgs = undefined;
    t.internalError("context", err);
    span.end();
    return args === undefined ? call(NOOP_SPAN) : Reflect.apply(call, self, args as unknown[]);
  }
}

type AnyFunction = (...args: never[]) => unknown;

/** A TS 5 (stage 3) decorator for methods, getters, setters and fields. */
export interface ObserveDecorator {
  <This, Args extends unknown[], Return>(
    value: (this: This, ...args: Args) => Return,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
  ): (this: This, ...args: Args) => Return;
  <This, Value>(value: (this: This) => Value, context: ClassGetterDecoratorContext<This, Value>): (this: This) => Value;
  <This, Value>(value: (this: This, value: Value) => void, context: ClassSetterDecoratorContext<This, Value>): (this: This, value: Value) => void;
  <This, Value>(value: undefined, context: ClassFieldDecoratorContext<This, Value>): (initial: Value) => Value;
  /** With `experimentalDecorators` (NestJS, Angular): a method, getter or setter. */
  <T>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
  /** With `experimentalDecorators`: a field, which such a decorator cannot wrap; left as it is. */
  (target: object, key: string | symbol): void;
}

/** The kind of a TS 5 decorator context (`method`, `getter`, `field`, ...), or undefined for anything else. */
function decoratorKind(v: unknown): string | undefined {
  try {
    if (typeof v !== "object" || v === null || typeof (v as { addInitializer?: unknown }).addInitializer !== "function") return undefined;
    const kind = (v as { kind?: unknown }).kind;
    return typeof kind === "string" ? kind : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies `@observe` (bare or with options) to a class member: a method, getter or setter is
 * wrapped; a field holding a function is wrapped when it is initialised; a field holding anything
 * else, and classes and auto-accessors, are left as they are (a decorator returning undefined
 * changes nothing).
 */
function decorate(value: unknown, context: { kind?: unknown; name?: unknown }, options: ObserveOptions | undefined): unknown {
  const name = String(context.name);
  const kind = context.kind;
  if (kind === "field") return (initial: unknown) => (typeof initial === "function" ? wrap(initial as AnyFunction, options, name) : initial);
  return (kind === "method" || kind === "getter" || kind === "setter") && typeof value === "function" ? wrap(value as AnyFunction, options, name) : undefined;
}

/**
 * True for the arguments of a legacy (`experimentalDecorators`) member decorator: a prototype or
 * class, a key, and the member's descriptor (undefined for a field, passed all the same: three
 * arguments). `observe(fn, "text")` is a function with options of the wrong type, traced as usual.
 */
function isLegacyCall(target: unknown, key: unknown, count: number): boolean {
  return (typeof key === "string" || typeof key === "symbol") && (count >= 3 || (typeof target === "object" && target !== null));
}

/**
 * Applies a legacy (`experimentalDecorators`) `@observe` to a member's property descriptor: a
 * method, getter or setter is wrapped; a field (no descriptor) is left as it is, since such a
 * decorator cannot reach its value.
 */
function decorateLegacy(key: string | symbol, descriptor: unknown, options: ObserveOptions | undefined): unknown {
  if (typeof descriptor !== "object" || descriptor === null) return undefined;
  const d = { ...(descriptor as PropertyDescriptor) };
  const name = String(key);
  if (typeof d.value === "function") d.value = wrap(d.value as AnyFunction, options, name);
  if (typeof d.get === "function") d.get = wrap(d.get, options, name);
  if (typeof d.set === "function") d.set = wrap(d.set, options, name);
  return d;
}

function wrap<F extends AnyFunction>(fn: F, options: ObserveOptions | undefined, methodName?: string): F {
  let p: Prepared;
  let fixedName: string | undefined;
  try {
    p = prepare(options);
    fixedName = typeof options?.name === "string" && options.name !== "" ? options.name : undefined;
  } catch {
    // Hostile options (a throwing getter): trace with defaults rather than fail the caller.
    p = prepare(undefined);
  }
  const call = fn as unknown as (...a: unknown[]) => unknown;
  // `arguments` rather than a rest parameter, and Reflect.apply rather than `call.apply`: V8 then
  // passes the arguments on without making an array, and keeps doing so for functions whose
  // `name` a bundler redefined (esbuild's keepNames, which wrangler and tsx turn on), where
  // `call.apply` costs twice as much.
  const wrapped = function (this: unknown): unknown {
    const t = G.tracer;
    // Called with `new` (a wrapped class or constructor function): constructed as it would be, a span too.
    if (new.target !== undefined) {
      const target = new.target === wrapped ? call : new.target;
      const construct = function (this: unknown): unknown {
        return Reflect.construct(call, arguments as unknown as unknown[], target);
      };
      return t === undefined ? Reflect.apply(construct, undefined, arguments as unknown as unknown[]) : traced(t, fixedName ?? fn.name, p, Array.prototype.slice.call(arguments), construct);
    }
    if (t === undefined) return Reflect.apply(call, this, arguments as unknown as unknown[]);
    return traced(t, fixedName ?? spanName(fn, this, methodName), p, Array.prototype.slice.call(arguments), fn, this);
  };
  try {
    // The function's own properties stay reachable through the wrapper (a tool's `description`):
    // read and written on the function itself, so they stay live and its getters keep their
    // `this`. `name`, `length` and `prototype` are copied, so `instanceof` answers for both.
    for (const key of Reflect.ownKeys(fn)) {
      if (key === "arguments" || key === "caller") continue;
      const d = Object.getOwnPropertyDescriptor(fn, key);
      if (d === undefined) continue;
      if (key === "prototype") Object.defineProperty(wrapped, key, { value: d.value, writable: true });
      else if (key === "name" || key === "length") Object.defineProperty(wrapped, key, { value: d.value, configurable: true });
      else {
        const own = fn as unknown as Record<PropertyKey, unknown>;
        Object.defineProperty(wrapped, key, {
          get: () => own[key],
          set: (v: unknown) => {
            own[key] = v;
          },
          enumerable: d.enumerable === true,
          configurable: true,
        });
      }
    }
  } catch {
    // Cosmetic past the name: a frozen or exotic function keeps what could be copied.
  }
  return wrapped as unknown as F;
}

/** `Class.method` for methods (from the receiver, so subclasses are named right), else the function's name. */
function spanName(fn: AnyFunction, self: unknown, methodName: string | undefined): string {
  try {
    // A `name` may be redefined: a getter that throws, a value that is not a string.
    const own: unknown = fn.name;
    if (methodName === undefined) return typeof own === "string" && own !== "" ? own : "anonymous";
    const owner = typeof self === "function" ? self.name : (self as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof owner === "string" && owner !== "" ? `${owner}.${methodName}` : methodName;
  } catch {
    return methodName ?? "anonymous";
  }
}

/**
 * Traces a function: every call becomes a span that ends when the result is done (promises,
 * generators, async generators, ReadableStreams and streamed Responses included). Also a TS 5
 * method decorator.
 *
 * @param fn - the function to trace (or, as a decorator factory, the options)
 * @param options - name, kind, attributes, capture and scope options (`ObserveOptions`)
 * @returns a function of the same type, or a method decorator
 * @example
 * const answer = observe(async (q: string) => llm(q), { name: "answer", kind: "agent" });
 * class Agent { @observe({ kind: "tool" }) async search(q: string) { return [] } }
 */
export function observe<F extends AnyFunction>(fn: F, options?: ObserveOptions): F;
export function observe<This, Args extends unknown[], Return>(
  value: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
): (this: This, ...args: Args) => Return;
export function observe<This, Value>(value: (this: This) => Value, context: ClassGetterDecoratorContext<This, Value>): (this: This) => Value;
export function observe<This, Value>(value: (this: This, value: Value) => void, context: ClassSetterDecoratorContext<This, Value>): (this: This, value: Value) => void;
export function observe<This, Value>(value: undefined, context: ClassFieldDecoratorContext<This, Value>): (initial: Value) => Value;
export function observe<T>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T>;
export function observe(target: object, key: string | symbol): void;
// Last: TypeScript resolves a decorator against overloads of fewer parameters too.
export function observe(options?: ObserveOptions): ObserveDecorator;
export function observe(a?: unknown, b?: unknown, c?: unknown): unknown {
  // Bare `@observe`: called with the member and its decorator context (a field's value is undefined).
  if (decoratorKind(b) !== undefined) return decorate(a, b as { kind?: unknown; name?: unknown }, undefined);
  // Bare legacy `@observe`: called with the prototype (or class) and the member's key and descriptor.
  if (isLegacyCall(a, b, arguments.length)) return decorateLegacy(b as string | symbol, c, undefined);
  if (typeof a === "function") return wrap(a as AnyFunction, b as ObserveOptions | undefined);
  const options = a as ObserveOptions | undefined;
  return function (value: unknown, context: unknown, descriptor?: unknown): unknown {
    return decoratorKind(context) !== undefined
      ? decorate(value, context as { kind?: unknown; name?: unknown }, options)
      : isLegacyCall(value, context, arguments.length)
        ? decorateLegacy(context as string | symbol, descriptor, options)
        : typeof value === "function"
          ? wrap(value as AnyFunction, options, value.name)
          : value;
  };
}
