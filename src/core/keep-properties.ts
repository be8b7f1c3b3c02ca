/**
 * Gives a wrapper the own string-keyed properties of the function it replaces that it lacks, such
 * as Bun's `fetch.preconnect` or the `__nextPatched` mark Next.js leaves on the `fetch` it
 * patched, so code that reads them after instrumentation finds what it found before. Each is
 * copied as its descriptor (a getter stays a getter).
 *
 * @param wrapper - the function that replaces `original`
 * @param original - the function it wraps
 * @returns the wrapper
 * @example
 * globalThis.fetch = keepProperties(wrapFetch(current, options), current);
 */
export function keepProperties<F extends object>(wrapper: F, original: object): F {
  try {
    for (const key of Object.getOwnPropertyNames(original)) {
      if (!Object.hasOwn(wrapper, key)) Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key) as PropertyDescriptor);
    }
  } catch {
    // Only a Proxy that refuses to be read gets here: the wrapper works without what is left.
  }
  return wrapper;
}
