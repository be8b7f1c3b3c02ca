import { VERSION } from "./global.js";

/**
 * The User-Agent of spanwise's OTLP exports. OTLP exporters should name themselves and their
 * version this way (OpenTelemetry specification, protocol/exporter.md, "User Agent").
 */
export const EXPORT_USER_AGENT = `spanwise/${VERSION}`;

/**
 * True for a request spanwise's own exporter sent. A server that traced it (a collector in the
 * same process, a service that receives its own exports) would export a span for every export,
 * which would be exported in turn, for ever; the suppressed context the export runs in does not
 * reach the server's handler.
 *
 * @param request - an incoming request
 * @returns whether its User-Agent is spanwise's exporter's
 * @example
 * if (isExportRequest(request)) return handler(request);
 */
export function isExportRequest(request: Request): boolean {
  return request.headers.get("user-agent")?.startsWith("spanwise/") === true;
}
