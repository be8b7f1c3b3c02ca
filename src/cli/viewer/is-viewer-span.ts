import type { ViewerSpan } from "./types.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isHex = (v: unknown, length: number): boolean => typeof v === "string" && v.length === length && /^[0-9a-f]+$/.test(v);
const isAttributes = (v: unknown): boolean => isObj(v);

/**
 * Whether a line read back from `traces.jsonl` has every field a stored span has, with its type:
 * the file may be cut short by a crash or edited by hand, and one malformed span must not break
 * the summaries of the trace list.
 *
 * @param v - a parsed line
 * @returns true when the viewer can use it as a span
 * @example
 * if (!isViewerSpan(JSON.parse(line))) skipped++;
 */
export function isViewerSpan(v: unknown): v is ViewerSpan {
  if (!isObj(v)) return false;
  if (!isHex(v.traceId, 32) || !isHex(v.spanId, 16) || (v.parentSpanId !== undefined && !isHex(v.parentSpanId, 16))) return false;
  if (typeof v.name !== "string" || !Number.isInteger(v.kind) || !isNum(v.start) || !isNum(v.end)) return false;
  const { status, scope } = v;
  if (!isObj(status) || !Number.isInteger(status.code) || (status.message !== undefined && typeof status.message !== "string")) return false;
  if (!isObj(scope) || typeof scope.name !== "string" || (scope.version !== undefined && typeof scope.version !== "string")) return false;
  if (!isAttributes(v.attributes) || !isAttributes(v.resource)) return false;
  if (!Array.isArray(v.events) || !v.events.every((e) => isObj(e) && typeof e.name === "string" && isNum(e.time) && isAttributes(e.attributes))) return false;
  return Array.isArray(v.links) && v.links.every((l) => isObj(l) && isHex(l.traceId, 32) && isHex(l.spanId, 16) && isAttributes(l.attributes));
}
