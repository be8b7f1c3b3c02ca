/** Where spanwise reports about itself. `console` fits. */
export interface Logger {
  warn(message: string): void;
  debug?(message: string): void;
  error?(message: string): void;
}

const WARN_INTERVAL_MS = 60_000;
// One-time warnings keyed by what a request names (a model without a price) are kept to this
// many, so a gateway passing its callers' model names through grows neither memory nor the log.
// Others (a cap reached, an option ignored) have fixed keys and are always shown.
const MAX_ONCE = 100;

/** A logger that prefixes, masks secrets and rate-limits repeated warnings per key. */
export interface SdkLogger {
  warn(key: string, message: string): void;
  /** Once per key; `named` keys (a model's name) only for the first 100 of them. */
  warnOnce(key: string, message: string, named?: boolean): void;
  debug(message: () => string): void;
  readonly debugEnabled: boolean;
  /** The text with the secrets masked, as every line logged is (for `stats().lastError`). */
  mask(text: string): string;
}

/** Wraps a Logger: one warning per key per minute, one-shot warnings, lazily built debug lines. */
export function createSdkLogger(target: Logger, debugEnabled: boolean, secrets: readonly string[] = []): SdkLogger {
  const lastWarned = new Map<string, number>();
  const once = new Set<string>();
  let named = 0;
  const mask = (s: string): string => secrets.reduce((out, secret) => (secret.length >= 4 ? out.split(secret).join("****") : out), s);
  const write = (level: "warn" | "debug", message: string): void => {
    try {
      const fn = level === "debug" ? (target.debug ?? target.warn) : target.warn;
      fn.call(target, `[spanwise] ${mask(message)}`);
    } catch {
      // A broken logger must not break tracing.
    }
  };
  return {
    debugEnabled,
    mask,
    warn(key, message) {
      const t = Date.now();
      const last = lastWarned.get(key);
      if (last !== undefined && t - last < WARN_INTERVAL_MS) return;
      lastWarned.set(key, t);
      write("warn", message);
    },
    warnOnce(key, message, isNamed) {
      if (once.has(key) || (isNamed && named >= MAX_ONCE)) return;
      once.add(key);
      write("warn", message);
      if (isNamed && ++named === MAX_ONCE) write("warn", `${MAX_ONCE} models without a price were warned about; further ones are not`);
    },
    debug(message) {
      if (debugEnabled) write("debug", message());
    },
  };
}
