/** Reads type, message and stack from anything thrown, never throwing itself. */
export function describeError(error: unknown): { type: string; message: string; stack: string | undefined } {
  try {
    if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
      const e = error as { name?: unknown; message?: unknown; stack?: unknown; constructor?: { name?: string } };
      const type = typeof e.name === "string" && e.name !== "Error" ? e.name : (e.constructor?.name ?? "Error");
      return { type, message: String(e.message ?? ""), stack: typeof e.stack === "string" ? e.stack : undefined };
    }
    return { type: typeof error, message: typeof error === "object" && error !== null ? objectText(error) : String(error), stack: undefined };
  } catch {
    return { type: "unknown", message: "[unreadable error]", stack: undefined };
  }
}

/**
 * A thrown or returned object without a message, by its own fields where that says more than
 * `[object Object]`: `{"code":8,"details":"quota"}`. One level deep (nested values by their
 * kind, strings cut at 200 characters, 500 in all), so what it holds deeper (a user record, a
 * payload) stays out of `exception.message`.
 */
function objectText(error: object): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(error, (key, v: unknown) => (key === "" ? v : typeof v === "string" ? v.slice(0, 200) : v !== null && typeof v === "object" ? "[object]" : v));
  } catch {
    // A throwing getter or toJSON, a BigInt: its tag, below.
  }
  // "{}" and "[]" say less than the tag ("[object Response]").
  return json !== undefined && json.length > 2 ? json.slice(0, 500) : String(error);
}
