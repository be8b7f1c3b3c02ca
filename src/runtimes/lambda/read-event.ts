/** A JSON object from an event, or undefined for anything else. */
export type Json = Record<string, unknown>;

/**
 * Reads an event field as an object.
 *
 * @param value - any value from an event
 * @returns the value when it is a non-array object
 * @example
 * const rc = obj(event.requestContext);
 */
export function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/**
 * Reads an event field as a non-empty string.
 *
 * @param value - any value from an event
 * @returns the value when it is a non-empty string
 * @example
 * const method = str(event.httpMethod);
 */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
