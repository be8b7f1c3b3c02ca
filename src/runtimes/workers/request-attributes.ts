import type { AttributeInput } from "../../core/attributes.js";
import { redactQuery } from "../../core/redact-query.js";
import { redactUrl } from "../../core/redact-url.js";
import { HTTP_METHODS } from "../../core/http-methods.js";

/**
 * The attributes of an incoming HTTP request: `http.request.method` (and
 * `http.request.method_original` for an unknown one), `url.full` and `url.query` (query values
 * redacted unless `keepQuery`), `url.path`, `url.scheme`, `server.address`,
 * `user_agent.original`, and Cloudflare's `cloudflare.colo` and `cf.ray` when present.
 *
 * @param request - the incoming Request
 * @param keepQuery - keep query values in `url.full`
 * @returns the attributes and the request's origin
 * @example
 * const { attributes, origin } = requestAttributes(request, false);
 */
export function requestAttributes(request: Request, keepQuery: boolean): { attributes: AttributeInput; origin: string | undefined } {
  const attributes: AttributeInput = {};
  const raw = request.method.toUpperCase();
  const method = HTTP_METHODS.has(raw) ? raw : "_OTHER";
  attributes["http.request.method"] = method;
  // workerd answers 501 to a method in another case (`patch`) before the Worker runs, so only an
  // unknown method needs its original kept.
  if (method === "_OTHER") attributes["http.request.method_original"] = request.method;
  let origin: string | undefined;
  try {
    const url = new URL(request.url);
    origin = url.origin;
    attributes["url.full"] = redactUrl(url, keepQuery);
    if (url.search !== "") attributes["url.query"] = keepQuery ? url.search.slice(1) : redactQuery(url);
    attributes["url.path"] = url.pathname;
    attributes["url.scheme"] = url.protocol.slice(0, -1);
    attributes["server.address"] = url.hostname;
  } catch {
    // Workers always give an absolute URL; a hand-made Request in a test may not.
  }
  const agent = request.headers.get("user-agent");
  if (agent !== null) attributes["user_agent.original"] = agent;
  const ray = request.headers.get("cf-ray");
  if (ray !== null) attributes["cf.ray"] = ray;
  const colo = (request as { cf?: { colo?: unknown } }).cf?.colo;
  if (typeof colo === "string") attributes["cloudflare.colo"] = colo;
  return { attributes, origin };
}
