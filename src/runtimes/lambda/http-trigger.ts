import type { Attributes } from "../../core/attributes.js";
import { redactUrl } from "../../core/redact-url.js";
import { extractFrom } from "../../core/propagation.js";
import { type Json, obj, str } from "./read-event.js";
import type { Trigger } from "./trigger.js";

/**
 * API Gateway REST APIs (and HTTP APIs with payload 1.0), HTTP APIs (payload 2.0), Function URLs
 * and ALB target groups: HTTP server attributes and the caller's trace context from the headers.
 *
 * @param e - the event as an object
 * @returns the trigger, or undefined when the event is not an HTTP request
 * @example
 * httpTrigger({ version: "2.0", routeKey: "GET /items", requestContext: { http: { method: "GET", path: "/items" } } })
 */
export function httpTrigger(e: Json): Trigger | undefined {
  const rc = obj(e.requestContext);
  if (rc === undefined) return undefined;
  const http = obj(rc.http);
  if (http !== undefined && str(http.method)) return httpApi(e, rc, http);
  const method = str(e.httpMethod);
  if (method === undefined) return undefined;
  const headers = headerBag(e);
  const elb = obj(rc.elb);
  const attributes: Attributes = {
    "faas.trigger": "http",
    "aws.lambda.trigger": elb ? "alb" : "api-gateway-rest",
    "http.request.method": method,
  };
  const route = elb ? undefined : str(e.resource) ?? str(rc.resourcePath);
  put(attributes, "url.path", str(e.path) ?? str(rc.path));
  put(attributes, "http.route", route);
  put(attributes, "url.scheme", headers["x-forwarded-proto"]);
  put(attributes, "server.address", headers.host ?? str(rc.domainName));
  put(attributes, "user_agent.original", headers["user-agent"]);
  if (elb) {
    put(attributes, "client.address", headers["x-forwarded-for"]?.split(",")[0]?.trim());
    put(attributes, "aws.alb.target_group_arn", str(elb.targetGroupArn));
  } else {
    put(attributes, "client.address", str(obj(rc.identity)?.sourceIp));
    put(attributes, "aws.apigateway.api_id", str(rc.apiId));
    put(attributes, "aws.apigateway.stage", str(rc.stage));
    put(attributes, "aws.apigateway.request_id", str(rc.requestId));
  }
  return { name: route ? `${method} ${route}` : method, spanKind: "server", attributes, parent: extractFrom(headers), links: [], http: "rest" };
}

function httpApi(e: Json, rc: Json, http: Json): Trigger {
  const method = str(http.method) as string;
  const headers = headerBag(e);
  const domain = str(rc.domainName);
  const functionUrl = domain !== undefined && domain.includes(".lambda-url.");
  // routeKey is "GET /items/{id}", or "$default" when no route matched (always for Function URLs).
  const routeKey = str(e.routeKey);
  const route = routeKey && routeKey !== "$default" ? routeKey.slice(routeKey.indexOf(" ") + 1) : undefined;
  const attributes: Attributes = {
    "faas.trigger": "http",
    "aws.lambda.trigger": functionUrl ? "function-url" : "api-gateway-http",
    "http.request.method": method,
    "url.scheme": headers["x-forwarded-proto"] ?? "https",
  };
  put(attributes, "url.path", str(e.rawPath) ?? str(http.path));
  put(attributes, "url.query", redactQuery(str(e.rawQueryString)));
  put(attributes, "http.route", route);
  put(attributes, "server.address", domain ?? headers.host);
  put(attributes, "client.address", str(http.sourceIp));
  put(attributes, "user_agent.original", str(http.userAgent) ?? headers["user-agent"]);
  put(attributes, "network.protocol.version", str(http.protocol)?.replace(/^HTTP\//i, ""));
  if (!functionUrl) {
    put(attributes, "aws.apigateway.api_id", str(rc.apiId));
    put(attributes, "aws.apigateway.stage", str(rc.stage));
    put(attributes, "aws.apigateway.request_id", str(rc.requestId));
  }
  return { name: route ? `${method} ${route}` : method, spanKind: "server", attributes, parent: extractFrom(headers), links: [], http: "http" };
}

/**
 * The request headers with lower-case names, from `headers` and, for REST APIs and ALB with
 * multi-value headers on, `multiValueHeaders`, whose values are joined with commas as HTTP
 * combines a repeated field (so two `tracestate` headers make one list, as W3C Trace Context
 * asks; `headers` holds only the last of them).
 */
function headerBag(e: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const single = obj(e.headers);
  if (single) {
    for (const [k, v] of Object.entries(single)) if (typeof v === "string") out[k.toLowerCase()] = v;
  }
  const multi = obj(e.multiValueHeaders);
  if (multi) {
    for (const [k, v] of Object.entries(multi)) {
      const values = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
      if (values.length > 0) out[k.toLowerCase()] = values.join(",");
    }
  }
  return out;
}

function put(attributes: Attributes, key: string, value: string | undefined): void {
  if (value !== undefined && value !== "") attributes[key] = value;
}

/** Query values replaced by REDACTED, as Workers and outgoing fetch record them: query strings carry tokens and signatures. */
function redactQuery(query: string | undefined): string | undefined {
  if (query === undefined || query === "") return query;
  const search = redactUrl(new URL(`http://q/?${query}`), false);
  return search.slice(search.indexOf("?") + 1);
}
