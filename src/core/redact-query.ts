/**
 * A URL's query as it may be recorded in `url.query` (without the `?`): each value replaced by
 * `REDACTED`, the keys kept, as `url.full` records it, because query strings carry tokens,
 * signatures and personal data. Undefined when the URL has no query.
 *
 * @param url - the URL whose query to record
 * @returns the redacted query, or undefined
 * @example
 * redactQuery(new URL("https://api.example.com/s?q=secret&page=2")) // "q=REDACTED&page=REDACTED"
 */
export function redactQuery(url: URL): string | undefined {
  if (url.search === "") return undefined;
  const keys: string[] = [];
  for (const key of url.searchParams.keys()) keys.push(`${encodeURIComponent(key)}=REDACTED`);
  return keys.join("&");
}
