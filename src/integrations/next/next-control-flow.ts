/** What a Next.js control-flow error stands for: the status Next answers with, if it answers. */
export interface NextControlFlow {
  /** The response status (307 for `redirect()`, 404 for `notFound()`), or undefined for a render signal. */
  status: number | undefined;
}

// Digests as next/dist/client/components/{redirect-error,http-access-fallback,hooks-server-context}
// and server/app-render/dynamic-rendering write them (Next 15-16); NEXT_NOT_FOUND is Next 14's.
const SIGNALS = new Set(["DYNAMIC_SERVER_USAGE", "NEXT_PRERENDER_INTERRUPTED", "BAILOUT_TO_CLIENT_SIDE_RENDERING", "HANGING_PROMISE_REJECTION"]);
const POSTPONE = /* @__PURE__ */ Symbol.for("react.postpone");

/**
 * Recognises the errors Next.js throws for control flow, not failure: `redirect()` and
 * `permanentRedirect()` (`NEXT_REDIRECT;<type>;<url>;<status>;`), `notFound()`, `forbidden()` and
 * `unauthorized()` (`NEXT_HTTP_ERROR_FALLBACK;<status>`), and the dynamic-rendering signals
 * (`DYNAMIC_SERVER_USAGE`, `NEXT_PRERENDER_INTERRUPTED`, bailouts, React's postpone). Never throws.
 *
 * @param error - anything a route handler threw
 * @returns the status it stands for, or undefined for an ordinary error
 * @example
 * nextControlFlow(caught)?.status // 307 after redirect("/login")
 */
export function nextControlFlow(error: unknown): NextControlFlow | undefined {
  try {
    if (typeof error !== "object" || error === null) return undefined;
    if ((error as { $$typeof?: unknown }).$$typeof === POSTPONE) return { status: undefined };
    if ((error as { code?: unknown }).code === "NEXT_STATIC_GEN_BAILOUT") return { status: undefined };
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== "string") return undefined;
    if (SIGNALS.has(digest)) return { status: undefined };
    if (digest === "NEXT_NOT_FOUND") return { status: 404 };
    const parts = digest.split(";");
    if (parts[0] === "NEXT_HTTP_ERROR_FALLBACK") {
      const status = Number(parts[1]);
      return status >= 400 && status < 600 ? { status } : undefined;
    }
    if (parts[0] === "NEXT_REDIRECT" && parts.length >= 4) {
      // The URL may itself hold semicolons: the status is the second field from the end.
      const status = Number(parts[parts.length - 2]);
      return status >= 300 && status < 400 ? { status } : undefined;
    }
  } catch {
    // A getter that throws: an ordinary error.
  }
  return undefined;
}
