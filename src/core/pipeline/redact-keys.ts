// Keys are compared lowercased with separators removed, so `x-api-key`, `apiKey` and `API_KEY`
// are one key. Words that are secret wherever they appear are matched anywhere in the key;
// words that are also common in harmless keys (`token` in `token_count`, `auth` in `author`)
// only at its end.
const ANYWHERE = ["password", "passwd", "passphrase", "secret", "cookie", "authorization", "credential", "privatekey", "apikey", "accesskey"];
const AT_END = ["token", "auth", "pwd", "bearer", "jwt", "sessionkey"];

const MAX_CACHED = 10_000;

/** Decides whether a key's whole value is redacted. */
export type KeyRule = (key: string) => boolean;

const normalise = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Builds the key rule: the built-in words plus the user's `keys` (strings match keys that end
 * with them, ignoring case and separators; RegExps are tested on the key as written). Answers
 * are cached, since the same keys come back on every span.
 *
 * @param extra - the user's `redact.keys`
 * @example
 * const isSecret = createKeyRule(["ssn"]);
 * isSecret("http.request.header.authorization") // true
 * isSecret("gen_ai.usage.input_tokens") // false
 */
export function createKeyRule(extra: readonly (string | RegExp)[]): KeyRule {
  const ends = [...AT_END, ...extra.filter((k): k is string => typeof k === "string").map(normalise)];
  const regexps = extra.filter((k): k is RegExp => k instanceof RegExp);
  const cache = new Map<string, boolean>();
  const decide = (key: string): boolean => {
    const n = normalise(key);
    if (ANYWHERE.some((w) => n.includes(w))) return true;
    if (ends.some((w) => n.endsWith(w))) return true;
    return regexps.some((re) => re.test(key));
  };
  return (key: string): boolean => {
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = decide(key);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, answer);
    }
    return answer;
  };
}
