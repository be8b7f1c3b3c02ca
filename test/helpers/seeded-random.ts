/**
 * A small deterministic generator of numbers in [0, 1), so a failing random test names a
 * reproducible case (its seed).
 *
 * @example
 * const rand = seededRandom(7);
 * const pick = items[Math.floor(rand() * items.length)];
 */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}
