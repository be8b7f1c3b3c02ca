/** Reads type, message and stack from anything thrown, never throwing itself. */
export function describeError(error: unknown): { type: string; message: string; stack: string | undefined } {
  try {
    if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
      const e = error as { name?: unknown; message?: unknown; stack?: unknown; constructor?: { name?: string } };
      const type = typeof e.name === "string" && e.name !== "Error" ? e.name : (e.constructor?.name ?? "Error");
      return { type, message: String(e.message ?? ""), stack: typeof e.stack === "string" ? e.stack : undefined };
    }
    return { type: typeof error, message: String(error), stack: undefined };
  } catch {
    return { type: "unknown", message: "[unreadable error]", stack: undefined };
  }
}
