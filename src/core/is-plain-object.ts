/**
 * True for an object literal or `Object.create(null)`: an object whose prototype is
 * Object.prototype or null.
 *
 * @example
 * isPlainObject({ a: 1 }) // true
 * isPlainObject(new Headers()) // false
 */
export function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
