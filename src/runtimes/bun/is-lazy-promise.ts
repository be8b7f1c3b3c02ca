type Constructor = abstract new (...args: never[]) => unknown;

let shellPromise: Constructor | null | undefined;

/**
 * True for Bun's Promise subclasses that do their work only when first awaited: a `Bun.$` shell
 * command (ShellPromise) and a `Bun.SQL` query (Query). Their caller picks a mode before awaiting
 * (`.text()`, `.quiet()`, `.nothrow()`, `.values()`); a then() from spanwise would start them at
 * once in their default mode, so `.text()` would throw "Shell is already running", the command's
 * output would reach stdout, and `.values()` would return objects. Bun exports no Query class, so
 * a query is known by its constructor's name and its own methods.
 *
 * @param value - a Promise that is not a plain Promise
 * @returns whether spanwise must leave it alone
 * @example
 * isLazyBunPromise(Bun.$`ls`) // true
 */
export function isLazyBunPromise(value: Promise<unknown>): boolean {
  if (shellPromise === undefined) {
    const found = (globalThis as { Bun?: { $?: { ShellPromise?: unknown } } }).Bun?.$?.ShellPromise;
    shellPromise = typeof found === "function" ? (found as Constructor) : null;
  }
  if (shellPromise !== null && value instanceof shellPromise) return true;
  const query = value as { execute?: unknown; values?: unknown };
  return value.constructor?.name === "Query" && typeof query.execute === "function" && typeof query.values === "function";
}
