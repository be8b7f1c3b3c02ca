import { nearestName } from "./nearest-name.js";

/** Every SPANWISE_* variable spanwise reads (the dev viewer's token included). */
export const SPANWISE_VARIABLES: readonly string[] = [
  "SPANWISE_SERVICE_NAME",
  "SPANWISE_SERVICE_VERSION",
  "SPANWISE_ENVIRONMENT",
  "SPANWISE_ENDPOINT",
  "SPANWISE_API_KEY",
  "SPANWISE_ENABLED",
  "SPANWISE_DEBUG",
  "SPANWISE_CAPTURE_CONTENT",
  "SPANWISE_SAMPLE_RATE",
  "SPANWISE_MAX_SPANS_PER_SECOND",
  "SPANWISE_REDACT",
  "SPANWISE_REDACT_SALT",
  "SPANWISE_DEV_TOKEN",
];

/**
 * A warning for each SPANWISE_* variable that is set but that spanwise does not read: most
 * likely a misspelt one, named with the variable it probably meant.
 *
 * @param env - the environment (process.env, a Worker's bindings)
 * @returns one message per such variable, without the "[spanwise]" prefix
 * @example
 * unknownVariables({ SPANWISE_SAMPLE_RATIO: "0.1" })
 * // ["SPANWISE_SAMPLE_RATIO is set, but spanwise reads no such variable (did you mean SPANWISE_SAMPLE_RATE?)."]
 */
export function unknownVariables(env: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(env)) {
    // Unset is undefined, null or blank text; a Worker's `0` or `false` binding is set.
    const v = env[name];
    if (!name.startsWith("SPANWISE_") || SPANWISE_VARIABLES.includes(name) || v == null || (typeof v === "string" && v.trim() === "")) continue;
    const near = nearestName(name, SPANWISE_VARIABLES);
    out.push(`${name} is set, but spanwise reads no such variable (${near !== undefined ? `did you mean ${near}?` : "is it misspelt?"}).`);
  }
  return out;
}
