import { redactQuery } from "./redact-query.js";

/**
 * A URL as it may be recorded in `url.full`: credentials replaced by `REDACTED` (OpenTelemetry
 * HTTP semantic conventions), the fragment dropped, and each query value replaced by `REDACTED`
 * unless `keepQuery` is set, because query strings carry tokens, signatures and personal data.
 *
 * @param url - the URL to record
 * @param keepQuery - keep query values as they are
 * @returns the URL text to record
 * @example
 * redactUrl(new URL("https://u:p@api.example.com/s?q=secret#top"), false) // "https://REDACTED:REDACTED@api.example.com/s?q=REDACTED"
 */
export function redactUrl(url: URL, keepQuery: boolean): string {
  const copy = new URL(url.href);
  if (copy.username !== "") copy.username = "REDACTED";
  if (copy.password !== "") copy.password = "REDACTED";
  copy.hash = "";
  if (!keepQuery && copy.search !== "") copy.search = redactQuery(copy) ?? "";
  return copy.href;
}
