/**
 * spanwise/redact: the code behind the `redact` option (and `SPANWISE_REDACT`), for runtimes
 * whose entry leaves it out to keep bundles small: Cloudflare Workers and the bare `spanwise`
 * core (Next.js and Vercel edge). Import it once, before `init()` or `instrument()` runs:
 * `import "spanwise/redact"`. `spanwise/node`, `/deno`, `/bun` and `/lambda` load it already.
 * Without it, a `redact` option is a configuration error, so spans are never sent unredacted.
 *
 * @module
 */
import { registerRedaction } from "../../core/pipeline/register-redaction.js";

registerRedaction();

export type { BuiltinPatternName, RedactMode, RedactOptions } from "../../core/pipeline/types.js";
