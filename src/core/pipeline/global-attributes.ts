import { type Attributes, toAttributeValue } from "../attributes.js";
import type { ResolvedConfig } from "../resolved-config.js";
import { G } from "../global.js";

/**
 * The `globalAttributes` option converted once at init; keys over `maxAttributeKeyLength` are left out.
 *
 * @param config - the resolved configuration
 * @example
 * tracer.globals = initialGlobals(config);
 */
export function initialGlobals(config: ResolvedConfig): Attributes | undefined {
  let globals: Attributes | undefined;
  for (const [key, value] of Object.entries(config.globalAttributes)) {
    const v = key.length <= config.maxAttributeKeyLength && key !== "__proto__" ? toAttributeValue(value, config.maxAttributeValueLength) : undefined;
    if (v !== undefined) (globals ??= {})[key] = v;
  }
  return globals;
}

/**
 * Sets an attribute on every span started from now on, below what the span itself and
 * `withAttributes` set. `undefined` or `null` removes it. A no-op before `init()`.
 *
 * @param key - the attribute key
 * @param value - a string, number, boolean or array of them (objects are serialised)
 * @example
 * setGlobalAttribute("deployment.region", "eu-west-1");
 */
export function setGlobalAttribute(key: string, value: unknown): void {
  const t = G.tracer;
  if (t === undefined) return;
  try {
    if (typeof key !== "string" || key === "" || key === "__proto__") return;
    if (key.length > t.config.maxAttributeKeyLength) {
      t.log.warn("global-key", `setGlobalAttribute: key longer than maxAttributeKeyLength (${t.config.maxAttributeKeyLength}) ignored: ${key.slice(0, 64)}…`);
      return;
    }
    const v = toAttributeValue(value, t.limits.valueLength);
    // Copied, never changed in place: spans already started keep the set they started with.
    const next = { ...t.globals };
    if (v === undefined) delete next[key];
    else next[key] = v;
    t.globals = Object.keys(next).length > 0 ? next : undefined;
  } catch (err) {
    t.internalError("setGlobalAttribute", err);
  }
}

/**
 * Stops adding a global attribute to spans started from now on. A no-op before `init()`.
 *
 * @param key - the attribute key
 * @example
 * removeGlobalAttribute("feature.flag");
 */
export function removeGlobalAttribute(key: string): void {
  setGlobalAttribute(key, undefined);
}
