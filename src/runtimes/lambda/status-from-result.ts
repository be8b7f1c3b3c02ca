import { obj } from "./read-event.js";

/**
 * The status code an HTTP trigger will answer with, from the handler's result.
 *
 * @param kind - "rest" (REST API, ALB: only an explicit statusCode) or "http" (HTTP API, Function URL: 200 unless given)
 * @param result - what the handler returned
 * @returns the status code, or undefined when it cannot be known
 * @example
 * statusFromResult("http", { statusCode: 201, body: "" }) // 201
 */
export function statusFromResult(kind: "rest" | "http", result: unknown): number | undefined {
  const code = obj(result)?.statusCode;
  if (typeof code === "number" && Number.isInteger(code)) return code;
  if (typeof code === "string" && /^\d{3}$/.test(code)) return Number(code);
  // HTTP APIs and Function URLs answer 200 for a result without a statusCode (they infer the response).
  return kind === "http" && result !== undefined ? 200 : undefined;
}
