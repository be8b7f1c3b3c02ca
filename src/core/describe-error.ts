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

/** A thrown or returned object without a message, as JSON where that says more than `[object Object]`. */
function objectText(error: object): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(error);
  } catch {
    // A cycle or a BigInt: its tag, below.
  }
  // "{}" and "[]" say less than the tag ("[object Response]").
  return json !== undefined && json.length > 2 ? json.slice(0, 500) : String(error);
}
