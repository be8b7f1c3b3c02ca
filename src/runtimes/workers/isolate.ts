import { type ContextStorage, SUPPRESSED } from "../../core/context.js";
import type { EnvRecord } from "../../core/env.js";
import { G, registerRuntime } from "../../core/global.js";
import { instrumentFetch, uninstrumentedFetch } from "../../core/instrument-fetch.js";
import { shutdown } from "../../core/lifecycle.js";
import type { TraceData } from "../../core/trace-data.js";
import type { Tracer } from "../../core/tracer.js";
import { initWith } from "../../core/init-with.js";
import { isPlainObject } from "../../core/is-plain-object.js";
import { loadAsyncLocalStorage } from "./load-async-local-storage.js";
import { resolveWorkersConfig } from "./resolve-config.js";
import { WORKERS_OPTIONS, type WorkersOptions, type WorkersOptionsInput, type WorkersSettings, sameOptions, splitOptions } from "./options.js";

/**
 * Everything spanwise keeps per isolate on Workers, in one place. Nothing here starts a timer or
 * does I/O at global scope: it is filled in by the first event.
 */
interface IsolateState {
  /** True until the first traced event has taken it. */
  coldStart: boolean;
  /** AsyncLocalStorage once looked for; null when the isolate has none. */
  storage: ContextStorage | null | undefined;
  loading: Promise<void> | undefined;
  /** The env the core reads SPANWISE_* and OTEL_* from while it initialises. */
  env: EnvRecord | undefined;
  /** The options the live tracer was made from, when spanwise/workers made it. */
  owner: WorkersOptions | undefined;
  /** The options function they came from, if any: wrappers given the same one agree. */
  ownerInput: unknown;
  restoreFetch: (() => void) | undefined;
  /** The incoming request's origin per trace, for same-origin propagation of outgoing fetch. */
  origins: WeakMap<TraceData, string>;
}

const isolate: IsolateState = {
  coldStart: true,
  storage: undefined,
  loading: undefined,
  env: undefined,
  owner: undefined,
  ownerInput: undefined,
  restoreFetch: undefined,
  origins: new WeakMap(),
};

/** One wrapper's options, evaluated once per env. */
export interface OptionsCache<Env> {
  readonly input: WorkersOptionsInput<Env> | undefined;
  readonly source: string;
  env: Env | undefined;
  options: WorkersOptions | undefined;
  settings: WorkersSettings | undefined;
  /** These options turned tracing off (until the env changes). */
  disabled: boolean;
}

/**
 * Creates the per-wrapper options cache. Static options are validated at once, so a bad option
 * fails when the Worker is deployed rather than at its first request.
 *
 * @param input - options or a function of env
 * @param source - the wrapper's name, for error messages
 * @example
 * const cache = createOptionsCache((env) => ({ endpoint: env.OTLP_URL }), "instrument()");
 */
export function createOptionsCache<Env>(input: WorkersOptionsInput<Env> | undefined, source: string): OptionsCache<Env> {
  const cache: OptionsCache<Env> = { input, source, env: undefined, options: undefined, settings: undefined, disabled: false };
  if (typeof input !== "function") {
    const { core, workers } = splitOptions(input, source);
    // The environment is not known yet: this checks the options themselves, without it.
    resolveWorkersConfig(core, undefined, undefined, undefined, undefined, source, WORKERS_OPTIONS);
    cache.options = input;
    cache.settings = workers;
  }
  return cache;
}

/** What an event needs: the live tracer (undefined when tracing is off) and the wrapper's settings. */
export interface Setup {
  readonly tracer: Tracer | undefined;
  readonly settings: WorkersSettings;
  /**
   * The isolate's tracer when this wrapper asks for more privacy than it gives (see
   * `asksForMore`): the event runs untraced, with tracing suppressed, so nothing inside it is
   * recorded under the other wrapper's options.
   */
  readonly withheld?: Tracer | undefined;
}

/**
 * Runs an event this wrapper does not trace: as it is, or with tracing suppressed when the
 * isolate's tracer was withheld from it.
 *
 * @example
 * if (s.tracer === undefined) return runUntraced(s, () => handler.fetch(request, env, ctx));
 */
export function runUntraced<R>(s: Setup, call: () => R): R {
  const t = s.withheld;
  return t === undefined ? call() : (t.storage.run(SUPPRESSED, call) as R);
}

/**
 * True when a wrapper's options ask for what the live tracer, started by another wrapper's
 * options, does not give: redaction (or other redaction settings), or less content capture.
 * Recording its events anyway would send what its options keep back.
 */
function asksForMore(options: WorkersOptions, owner: WorkersOptions, live: Tracer): boolean {
  const redact = options.redact;
  if (redact !== undefined && redact !== false && (live.config.redact === undefined || !sameOptions({ redact }, { redact: owner.redact }))) return true;
  return (["captureContent", "captureInput", "captureOutput"] as const).some((k) => options[k] === false && live.config[k] !== false);
}

/**
 * Makes sure tracing is ready for an event: AsyncLocalStorage looked for, the wrapper's options
 * evaluated for this env, the tracer initialised (once per isolate) and outgoing fetch
 * instrumented. Synchronous after the first event. Throws a ConfigError for a bad option.
 *
 * @param cache - the wrapper's options cache
 * @param env - the event's env bindings
 * @returns the tracer and settings, or a promise of them on the isolate's first event
 * @example
 * const { tracer, settings } = await setup(cache, env);
 */
export function setup<Env>(cache: OptionsCache<Env>, env: Env): Setup | Promise<Setup> {
  const loading = findStorage();
  if (loading !== undefined) return loading.then(() => setup(cache, env));
  try {
    return configure(cache, env);
  } catch (err) {
    // A malformed binding or a throwing options function must not fail the user's requests: the
    // events run untraced, and the error is reported once (again only if the env changes).
    cache.env = env;
    cache.disabled = true;
    cache.settings ??= splitOptions(undefined, cache.source).workers;
    console.warn(`[spanwise] tracing is off for this Worker: ${(err as Error)?.message ?? String(err)}`);
    return { tracer: undefined, settings: cache.settings };
  }
}

function configure<Env>(cache: OptionsCache<Env>, env: Env): Setup {
  const changed = evaluate(cache, env);
  const settings = cache.settings as WorkersSettings;
  if (cache.disabled) return { tracer: undefined, settings };
  const options = cache.options ?? {};
  let tracer = G.tracer;
  if (tracer !== undefined) {
    // The env changed and with it the options this isolate's tracer was made from: start over.
    if (changed && isolate.owner !== undefined && !sameOptions(isolate.owner, options)) {
      void shutdown();
      tracer = undefined;
    } else {
      // Wrappers given the same options function agree, even where it makes new functions (a
      // propagateTo predicate) each time it runs.
      const sameSource = typeof cache.input === "function" && cache.input === isolate.ownerInput;
      if (isolate.owner !== undefined && !sameSource && !sameOptions(isolate.owner, options)) {
        if (asksForMore(options, isolate.owner, tracer)) {
          tracer.log.warnOnce(
            "workers-withheld",
            `${cache.source} asks for redaction or less content capture than the wrapper that started spanwise in this isolate: its events are not traced. Give every wrapper the same options.`,
          );
          return { tracer: undefined, settings, withheld: tracer };
        }
        tracer.log.warnOnce("workers-options", `${cache.source} has other options than the wrapper that started spanwise in this isolate; the first configuration stays`);
      }
      return { tracer, settings };
    }
  }
  tracer = start(options, settings, env, typeof cache.input === "function" ? `${cache.source} options function` : cache.source);
  if (tracer !== undefined) isolate.ownerInput = cache.input;
  cache.disabled = tracer === undefined;
  return { tracer, settings };
}

/** Evaluates the wrapper's options for this env; true when they were evaluated anew for a changed env. */
function evaluate<Env>(cache: OptionsCache<Env>, env: Env): boolean {
  if (typeof cache.input !== "function" || (cache.settings !== undefined && cache.env === env)) return false;
  const hadEnv = cache.settings !== undefined;
  const options = cache.input(env) ?? undefined;
  const { workers } = splitOptions(options, `${cache.source} options function`);
  cache.env = env;
  cache.options = options;
  cache.settings = workers;
  cache.disabled = false;
  return hadEnv;
}

/**
 * Registers the Workers runtime: AsyncLocalStorage context (where a compatibility flag provides
 * it), env bindings as the environment, Cloudflare resource attributes. Called by every event;
 * call it yourself only before a bare `init()`.
 *
 * @returns true when the Workers runtime is (now) the registered one
 * @example
 * registerWorkers();
 */
export function registerWorkers(): boolean {
  // Without nodejs_compat the storage only arrives asynchronously, too late for this init.
  void findStorage();
  return registerRuntime({
    name: "workers",
    language: "webjs",
    createStorage: () => isolate.storage ?? undefined,
    readEnv: () => isolate.env,
    resource: () => ({ "cloud.provider": "cloudflare", "cloud.platform": "cloudflare.workers" }),
  });
}

/** Looks for AsyncLocalStorage, once per isolate: a promise while the dynamic import is under way. */
function findStorage(): Promise<void> | undefined {
  if (isolate.storage !== undefined) return undefined;
  if (isolate.loading !== undefined) return isolate.loading;
  const found = loadAsyncLocalStorage();
  if (!(found instanceof Promise)) {
    isolate.storage = found ?? null;
    return undefined;
  }
  return (isolate.loading = found.then((storage) => {
    isolate.storage ??= storage ?? null;
  }));
}

function start(options: WorkersOptions, settings: WorkersSettings, env: unknown, source: string): Tracer | undefined {
  registerWorkers();
  const { core } = splitOptions(options, source);
  // An env without SPANWISE_* or OTEL_* bindings (the usual Worker) gives the core nothing to
  // read, parse or warn about: it is not handed over, which spares the first request that code.
  isolate.env = env !== null && typeof env === "object" && mayNameVariables(env) ? (env as EnvRecord) : undefined;
  try {
    // The exporter keeps the untraced fetch, so its own requests can never become spans.
    const resolve: typeof resolveWorkersConfig = (explicit, fromEnv, envNames, file, ignored) => resolveWorkersConfig(explicit, fromEnv, envNames, file, ignored, source, WORKERS_OPTIONS);
    if (!initWith(resolve, { ...core, fetch: core.fetch ?? uninstrumentedFetch() })) return undefined;
  } finally {
    isolate.env = undefined;
  }
  isolate.owner = options;
  isolate.restoreFetch?.();
  isolate.restoreFetch = settings.instrumentFetch
    ? instrumentFetch({ propagateTo: settings.propagateTo, captureQueryString: settings.captureQueryString, origin: currentOrigin })
    : undefined;
  return G.tracer;
}

/**
 * False only when `env` is a plain object none of whose own names starts with SPANWISE_ or OTEL_,
 * so that reading it (optionsFromEnv, unknownVariables) would find nothing. Anything else (an
 * env with getters on its prototype, say) is read as before.
 */
function mayNameVariables(env: object): boolean {
  if (!isPlainObject(env)) return true;
  for (const name of Object.getOwnPropertyNames(env)) if (name.startsWith("SPANWISE_") || name.startsWith("OTEL_")) return true;
  return false;
}

function currentOrigin(): string | undefined {
  const trace = G.tracer?.storage.get()?.span?.trace;
  return trace === undefined ? undefined : isolate.origins.get(trace);
}

/**
 * Remembers the origin of the request a trace serves, for same-origin propagation.
 *
 * @example
 * rememberOrigin(invocation.root.trace, new URL(request.url).origin);
 */
export function rememberOrigin(trace: TraceData, origin: string): void {
  isolate.origins.set(trace, origin);
}

/**
 * True for the first traced event of this isolate, false afterwards.
 *
 * @example
 * root.setAttribute("faas.coldstart", takeColdStart());
 */
export function takeColdStart(): boolean {
  const cold = isolate.coldStart;
  isolate.coldStart = false;
  return cold;
}
