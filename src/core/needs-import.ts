/**
 * What a ConfigError expects of an option whose code is an import of its own where bundles
 * count (Workers, the bare core on edge runtimes): the import that loads it.
 *
 * @param what - the part, as the sentence names it ("redaction")
 * @param entry - the package entry that loads it ("redact" for `spanwise/redact`)
 * @example
 * throw new ConfigError("redact", true, needsImport("redaction", "redact"))
 */
export function needsImport(what: string, entry: string): string {
  return `${what} loaded first: add \`import "spanwise/${entry}"\` (spanwise/node, /deno, /bun and /lambda load it)`;
}
