import type { SpanwiseOptions } from "../../core/spanwise-options.js";
import { ConfigError } from "../../core/errors.js";
import type { PropagateTo } from "../../core/instrument-fetch.js";
import { isPlainObject } from "../../core/is-plain-object.js";

/** Options of `instrument` and `instrumentDurableObject`: every `init` option, plus these. */
export interface WorkersOptions extends SpanwiseOptions {
  /**
   * How long the export waits, after the response has been sent, for the work you handed to
   * `ctx.waitUntil` (so the spans made there are delivered too). Default 10000 ms, at most
   * 20000 ms: with the export's own bound it stays under the platform's 30 s waitUntil limit.
   */
  flushTimeoutMs?: number;
  /** Destinations of outgoing `fetch` that receive `traceparent`. Default: the incoming request's origin only. */
  propagateTo?: PropagateTo;
  /** Record query values in `url.full` (incoming requests and outgoing fetches). Default false: each value is `REDACTED`. */
  captureQueryString?: boolean;
  /** Trace outgoing `fetch` calls as CLIENT spans. Default true. */
  instrumentFetch?: boolean;
}

/**
 * Options, or a function that builds them from the Worker's `env` bindings. The function runs
 * once per isolate, and again only when a different `env` object arrives.
 */
export type WorkersOptionsInput<Env> = WorkersOptions | ((env: Env) => WorkersOptions | undefined);

/** The options `instrument` and `instrumentDurableObject` take besides `init`'s, for errors that list the known ones. */
export const WORKERS_OPTIONS: readonly string[] = ["flushTimeoutMs", "propagateTo", "captureQueryString", "instrumentFetch"];

/** The Workers-only settings, after defaults and validation. */
export interface WorkersSettings {
  readonly flushTimeoutMs: number;
  readonly propagateTo: PropagateTo | undefined;
  readonly captureQueryString: boolean;
  readonly instrumentFetch: boolean;
}

/** The largest flushTimeoutMs: leaves the export room within the 30 s waitUntil limit. */
export const MAX_FLUSH_TIMEOUT_MS = 20_000;
/** The export's own bound after the wait, so that wait + export stays under 30 s. */
export const EXPORT_BUDGET_MS = 25_000;

/**
 * Splits options into what the core `init` takes and the Workers-only settings, validating the
 * latter. Throws a ConfigError naming the field.
 *
 * @param options - options as the user gave them
 * @param source - where they came from, for error messages
 * @returns the core options and the Workers settings
 * @example
 * const { core, workers } = splitOptions({ serviceName: "api", flushTimeoutMs: 5000 }, "instrument()");
 */
export function splitOptions(options: WorkersOptions | undefined, source: string): { core: SpanwiseOptions; workers: WorkersSettings } {
  if (options === undefined || options === null) return splitOptions({}, source);
  if (typeof options !== "object" || Array.isArray(options)) throw new ConfigError("options", options, "an options object", source);
  const { flushTimeoutMs, propagateTo, captureQueryString, instrumentFetch, ...core } = options;
  if (flushTimeoutMs !== undefined && !(Number.isInteger(flushTimeoutMs) && flushTimeoutMs >= 0 && flushTimeoutMs <= MAX_FLUSH_TIMEOUT_MS)) {
    throw new ConfigError("flushTimeoutMs", flushTimeoutMs, `an integer number of milliseconds from 0 to ${MAX_FLUSH_TIMEOUT_MS}`, source);
  }
  const validList = Array.isArray(propagateTo) && propagateTo.every((e) => typeof e === "string" || e instanceof RegExp);
  if (propagateTo !== undefined && typeof propagateTo !== "function" && !validList) {
    throw new ConfigError("propagateTo", propagateTo, 'an array of origins, host names, "*" or RegExps, or a function (url) => boolean', source);
  }
  for (const [field, value] of [["captureQueryString", captureQueryString], ["instrumentFetch", instrumentFetch]] as const) {
    if (value !== undefined && typeof value !== "boolean") throw new ConfigError(field, value, "true or false", source);
  }
  return {
    core,
    workers: {
      flushTimeoutMs: flushTimeoutMs ?? 10_000,
      propagateTo,
      captureQueryString: captureQueryString ?? false,
      instrumentFetch: instrumentFetch ?? true,
    },
  };
}

/**
 * True when two option objects configure the same thing: equal primitives and RegExps, the very
 * same functions and objects, and plain objects and arrays whose members are the same.
 *
 * @example
 * sameOptions({ serviceName: "a", headers: { x: "1" } }, { serviceName: "a", headers: { x: "1" } }) // true
 */
export function sameOptions(a: object, b: object): boolean {
  return same(a, b, 0);
}

function same(x: unknown, y: unknown, depth: number): boolean {
  if (Object.is(x, y)) return true;
  if (depth > 8) return false;
  if (x instanceof RegExp && y instanceof RegExp) return String(x) === String(y);
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => same(v, y[i], depth + 1));
  if (!isPlainObject(x) || !isPlainObject(y)) return false;
  const xs = x as Record<string, unknown>;
  const ys = y as Record<string, unknown>;
  const keys = new Set([...Object.keys(xs), ...Object.keys(ys)]);
  for (const key of keys) if (!same(xs[key], ys[key], depth + 1)) return false;
  return true;
}
