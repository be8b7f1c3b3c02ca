import { createHash, timingSafeEqual } from "node:crypto";

/** The cookie the browser keeps the token in after opening `/?token=...`. */
export const TOKEN_COOKIE = "spanwise_token";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** What a request may do: go on, or be answered with this status and reason. */
export type Access = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/**
 * Decides whether a request may reach the viewer. With a token: `Authorization: Bearer <token>`,
 * the `spanwise_token` cookie or `?token=` must carry it. Without one (loopback only), the Host
 * header must name the loopback, so a web page cannot read local traces through DNS rebinding.
 *
 * @param request - the incoming request
 * @param token - the configured token, if any
 * @returns whether it may go on, and how the token came
 * @example
 * const access = checkAccess(c.req.raw, options.token);
 */
export function checkAccess(request: Request, token: string | undefined): Access {
  if (token === undefined) {
    const host = (request.headers.get("host") ?? "").replace(/:\d+$/, "").toLowerCase();
    if (LOOPBACK_NAMES.has(host)) return { ok: true, viaQuery: false };
    return { ok: false, status: 403, reason: `Host "${host}" is not the loopback; the viewer without a token only answers localhost and 127.0.0.1` };
  }
  const want = digest(token);
  const same = (given: string | undefined | null): boolean => typeof given === "string" && given !== "" && timingSafeEqual(digest(given), want);
  const auth = request.headers.get("authorization") ?? "";
  if (/^bearer /i.test(auth) && same(auth.slice(7).trim())) return { ok: true, viaQuery: false };
  const cookie = /(?:^|;\s*)spanwise_token=([^;]*)/.exec(request.headers.get("cookie") ?? "")?.[1];
  if (cookie !== undefined && same(decodeCookie(cookie))) return { ok: true, viaQuery: false };
  if (same(new URL(request.url).searchParams.get("token"))) return { ok: true, viaQuery: true };
  return { ok: false, status: 401, reason: "this viewer requires its token: send Authorization: Bearer <token>, or open the viewer URL with ?token=<token>" };
}

/** A cookie value, or undefined when its percent-encoding is broken (treated as no cookie). */
function decodeCookie(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
