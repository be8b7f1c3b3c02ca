import { ConfigError } from "./errors.js";
import { nearestName } from "./nearest-name.js";

/**
 * The ConfigError for an option (or a nested field, `redact.mod`) spanwise does not know. It names
 * the one most likely meant and lists the known ones:
 * `spanwise: unknown option sampleRatio from init(): did you mean sampleRate? (known: …)`.
 *
 * @param field - the unknown option as the user wrote it, with its parent's path (`redact.mod`)
 * @param value - the value given for it
 * @param known - the options known at that level
 * @param source - "init()", "environment" or a config file's path
 * @returns the error to throw
 * @example
 * throw unknownOption("sampleRatio", 0.5, ["sampleRate", "endpoint"], "init()");
 */
export function unknownOption(field: string, value: unknown, known: readonly string[], source: string): ConfigError {
  const dot = field.lastIndexOf(".") + 1;
  const near = nearestName(field.slice(dot), known);
  const error = new ConfigError(field, value, "a known option", source);
  error.message = `spanwise: unknown option ${field} from ${source}${near !== undefined ? `: did you mean ${field.slice(0, dot)}${near}?` : ""} (known: ${known.join(", ")})`;
  return error;
}
