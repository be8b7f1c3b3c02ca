import { G } from "../global.js";
import { createSpanRedactor } from "./redact-spans.js";
import { resolveRedact } from "./resolve-redact.js";
import { wordCut } from "./word-cut.js";

/**
 * Lets `init({ redact })` (and `SPANWISE_REDACT`) validate and apply redaction. Runs when
 * `spanwise/redact`, `spanwise/node`, `/deno`, `/bun` or `/lambda` is imported; the core never
 * imports the patterns itself, so a Worker that does not redact does not carry them (about 4 KB
 * gzip). Without it, a `redact` option is a configuration error: spans are never sent
 * unredacted because a module was left out.
 *
 * @example
 * registerRedaction();
 */
export function registerRedaction(): void {
  G.redaction ??= { resolve: resolveRedact, create: createSpanRedactor, wordCut };
}
