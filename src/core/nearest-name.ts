/**
 * The known name a misspelt one most likely meant: the closest by edit distance, ignoring case,
 * `_` and `-`, when at most two edits away (and fewer than the name's length); otherwise
 * undefined. Written here rather than taken from a package: it is a dozen lines, and it runs only
 * on the way to a config error.
 *
 * @param name - the name given
 * @param known - the names it could have meant
 * @returns the nearest known name, or undefined when none is close
 * @example
 * nearestName("sampleRatio", ["sampleRate", "endpoint"]) // "sampleRate"
 * nearestName("service_name", ["serviceName"]) // "serviceName"
 */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  const plain = (s: string): string => s.toLowerCase().replace(/[-_]/g, "");
  const a = plain(name);
  let best: string | undefined;
  let bestDistance = Math.min(3, a.length);
  for (const k of known) {
    const b = plain(k);
    // Levenshtein distance over one row.
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j] as number;
        row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    const d = row[b.length] as number;
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
