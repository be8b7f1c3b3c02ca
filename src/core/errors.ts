const MARKER = Symbol.for("spanwise.error");

/**
 * Base class of every error spanwise raises. Survives duplicate copies of the package:
 * use `SpanwiseError.isInstance(err)` rather than `instanceof`.
 *
 * @example
 * try { init({ endpoint: "nope" }) } catch (err) { if (SpanwiseError.isInstance(err)) console.error(err.message) }
 */
export class SpanwiseError extends Error {
  readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SpanwiseError";
  }

  /** True for any spanwise error, from any copy of the package. */
  static isInstance(value: unknown): value is SpanwiseError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

const CONFIG_MARKER = Symbol.for("spanwise.error.config");

/**
 * Thrown by `init()` when an option is invalid. `field` names the option (or the
 * environment variable), `value` is what was given, `source` says where it came from.
 *
 * @example
 * try { init({ maxQueueSize: -1 }) } catch (err) { if (ConfigError.isInstance(err)) console.error(err.field) }
 */
export class ConfigError extends SpanwiseError {
  readonly [CONFIG_MARKER] = true;
  readonly field: string;
  readonly value: unknown;
  readonly source: string;

  constructor(field: string, value: unknown, expected: string, source = "init()", options?: { cause?: unknown }) {
    super(`spanwise: invalid ${field} from ${source}: expected ${expected}, got ${describe(value)}`, options);
    this.name = "ConfigError";
    this.field = field;
    this.value = value;
    this.source = source;
  }

  /** True for a ConfigError from any copy of the package. */
  static override isInstance(value: unknown): value is ConfigError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CONFIG_MARKER] === true;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === undefined || value === null || typeof value !== "object") return String(value);
  try {
    // Functions and RegExps shown, not dropped or emptied: `{ export() {} }` is no empty object.
    const s = JSON.stringify(value, (_key, v: unknown) => (typeof v === "function" ? "[function]" : v instanceof RegExp ? String(v) : v));
    return s.length > 80 ? `${s.slice(0, 80)}…` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
