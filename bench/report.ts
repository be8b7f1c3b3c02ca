import { writeFileSync } from "node:fs";
import { cpus } from "node:os";

/**
 * One line of results. `peer` is the same measure for the peer named in `peerName` (measured in
 * the same run unless `peerNote` says otherwise); `ratio` is peer / spanwise, so above 1 means
 * spanwise does better. `target` is the issue's budget in words, `pass` whether it is met (null
 * for rows without a budget).
 */
export interface Row {
  readonly measure: string;
  readonly spanwise: number;
  readonly peer: number | null;
  readonly peerName: string;
  readonly unit: string;
  readonly ratio: number | null;
  readonly target: string;
  readonly pass: boolean | null;
  readonly peerNote?: string | undefined;
}

/** What a row is held to. */
export interface Budget {
  /** At most this many units. */
  readonly max?: number;
  /** At least this ratio (peer / spanwise). */
  readonly minRatio?: number;
}

/**
 * Builds a row, computing the ratio and the verdict against the budget.
 *
 * @example
 * row("encode", 800, 2400, "ns/span", "OpenTelemetry", { max: 1000, minRatio: 3 }); // ratio 3, pass
 */
export function row(measure: string, spanwise: number, peer: number | null, unit: string, peerName = "OpenTelemetry", budget?: Budget, peerNote?: string): Row {
  const ratio = peer === null ? null : peer / spanwise;
  const parts: string[] = [];
  let pass: boolean | null = null;
  if (budget?.max !== undefined) {
    parts.push(`≤ ${budget.max} ${unit}`);
    pass = spanwise <= budget.max;
  }
  if (budget?.minRatio !== undefined) {
    parts.push(`≥ ${budget.minRatio}× ${peerName}`);
    pass = (pass ?? true) && ratio !== null && ratio >= budget.minRatio;
  }
  return { measure, spanwise, peer, peerName, unit, ratio, target: parts.join(", "), pass, peerNote };
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
    ["measure", "spanwise", "peer", "peer / spanwise", "target", "verdict"],
    ...rows.map((r) => [
      r.measure,
      fmt(r.spanwise, r.unit),
      `${fmt(r.peer, r.unit)}${r.peer === null ? "" : ` (${r.peerName}${r.peerNote ? `, ${r.peerNote}` : ""})`}`,
      r.ratio === null ? "" : `${r.ratio.toFixed(2)}×`,
      r.target,
      r.pass === null ? "" : r.pass ? "pass" : "MISS",
    ]),
  ];
  const widths = cells[0]!.map((_, col) => Math.max(...cells.map((line) => line[col]!.length)));
  // Text left-aligned, numbers right-aligned.
  const render = (line: string[]): string => line.map((cell, col) => (col === 0 || col >= 4 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join("  ");
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
  const out = rows.map((r) => ({ ...r, spanwise: round(r.spanwise), peer: round(r.peer), ratio: round(r.ratio) }));
  writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), node: on.node, cpu: on.cpu, rows: out }, null, 2)}\n`);
}
