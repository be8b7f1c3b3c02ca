import { registerOtlpJson } from "./export/register-otlp-json.js";
import { registerRedaction } from "./pipeline/register-redaction.js";

/**
 * Loads the parts that are imports of their own where bundles count (`spanwise/redact`,
 * `spanwise/otlp-json`), for the entries without a bundle budget: `spanwise/node`, `/deno`,
 * `/bun`, `/lambda` and the CLI. There, `init({ redact })` and protocol http/json need no import.
 *
 * @example
 * registerOptInParts();
 */
export function registerOptInParts(): void {
  registerRedaction();
  registerOtlpJson();
}
