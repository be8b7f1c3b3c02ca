import { writeFileSync } from "node:fs";
import { cpus } from "node:os";

/** One line of results. `ratio` is OpenTelemetry / spanwise: above 1 means spanwise does better. */
export interface Row {
  readonly measure: string;
  readonly spanwise: number;
  readonly otel: number | null;
  readonly unit: string;
  readonly ratio: number | null;
}

/**
 * Builds a row, computing the ratio when both sides were measured.
 *
 * @example
 * row("encode", 800, 2400, "ns/span"); // ratio 3
 */
export function row(measure: string, spanwise: number, otel: number | null, unit: string): Row {
  return { measure, spanwise, otel, unit, ratio: otel === null ? null : otel / spanwise };
}

/** The machine the numbers came from. */
export interface Machine {
  readonly node: string;
  readonly cpu: string;
}

/**
 * Describes this machine: Node version and CPU model.
 *
 * @example
 * const { node, cpu } = machine();
 */
export function machine(): Machine {
  const list = cpus();
  return { node: process.version, cpu: `${list[0]?.model.trim() ?? "unknown"} (${list.length} logical)` };
}

const fmt = (value: number | null, unit: string): string => (value === null ? "n/a" : `${value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`);

/**
 * Renders rows as an aligned text table.
 *
 * @example
 * console.log(formatTable(rows));
 */
export function formatTable(rows: readonly Row[]): string {
  const cells = [
    ["measure", "spanwise", "OpenTelemetry", "ratio (otel/spanwise)"],
    ...rows.map((r) => [r.measure, fmt(r.spanwise, r.unit), fmt(r.otel, r.unit), r.ratio === null ? "" : `${r.ratio.toFixed(2)}x`]),
  ];
  const widths = cells[0]!.map((_, col) => Math.max(...cells.map((line) => line[col]!.length)));
  // Text left-aligned, numbers right-aligned.
  const render = (line: string[]): string => line.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join("  ");
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [render(cells[0]!), rule, ...cells.slice(1).map(render)].join("\n");
}

/**
 * Writes `{ date, node, cpu, rows }` as JSON to `path`.
 *
 * @example
 * writeResults(new URL("./results.json", import.meta.url), rows, machine());
 */
export function writeResults(path: URL, rows: readonly Row[], on: Machine): void {
  const round = (n: number | null): number | null => (n === null ? null : Math.round(n * 100) / 100);
  const out = rows.map((r) => ({ ...r, spanwise: round(r.spanwise), otel: round(r.otel), ratio: round(r.ratio) }));
  writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), node: on.node, cpu: on.cpu, rows: out }, null, 2)}\n`);
}
