import type { AttributeInput } from "./attributes.js";
import { HTTP_METHODS } from "./http-methods.js";
import { redactQuery } from "./redact-query.js";

/**
 * The OpenTelemetry HTTP server attributes of an incoming request that the request itself says:
 * `http.request.method` (`_OTHER` for an unknown one) and `http.request.method_original` (for an
 * unknown method, or a known one sent in another case), `url.scheme`, `url.path`, `url.query`
 * (values redacted), `server.address`, `server.port` and `user_agent.original`. Shared by the
 * Hono middleware and the Deno and Bun `serve` wrappers; Workers add Cloudflare's own.
 *
 * @param request - the incoming Request, with an absolute URL
 * @returns the attributes (unset ones undefined)
 * @example
 * span.setAttributes(httpServerAttributes(request));
 */
export function httpServerAttributes(request: Request): AttributeInput {
  const url = new URL(request.url);
  const scheme = url.protocol.slice(0, -1);
  const method = request.method.toUpperCase();
  const known = HTTP_METHODS.has(method);
  return {
    "http.request.method": known ? method : "_OTHER",
    "http.request.method_original": known && method === request.method ? undefined : request.method,
    "url.scheme": scheme,
    "url.path": url.pathname,
    "url.query": redactQuery(url),
    "server.address": url.hostname,
    "server.port": url.port !== "" ? Number(url.port) : scheme === "https" ? 443 : 80,
    "user_agent.original": request.headers.get("user-agent") ?? undefined,
  };
}
