import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { isViewerSpan } from "./is-viewer-span.js";
import { summarizeTrace } from "./summarize-trace.js";
import type { TraceSummary, ViewerSpan } from "./types.js";

/** Options of `createTraceStore`. */
export interface TraceStoreOptions {
  /** Folder of `traces.jsonl` and its rotated `traces.1.jsonl`; created when missing. */
  dataDir: string;
  /** When `traces.jsonl` would pass this size it becomes `traces.1.jsonl` (the older one is dropped). */
  maxFileBytes: number;
  /** Traces kept in memory; the oldest go first. */
  maxTraces: number;
  /** Spans kept in memory over all traces; whole traces go, oldest first. */
  maxSpans: number;
  /** Bytes of span JSON kept in memory; whole traces go, oldest first. Default 2 × maxFileBytes, what a reload can restore. */
  maxMemoryBytes?: number;
}

/** Filters of the trace list. */
export interface TraceQuery {
  q?: string;
  errorsOnly?: boolean;
  session?: string;
  user?: string;
  model?: string;
  limit?: number;
}

/** The traces the viewer holds: in memory, bounded, backed by an append-only JSONL file. */
export interface TraceStore {
  /** Appends spans to the file and the index; returns the ids of the traces they touched. */
  add(spans: readonly ViewerSpan[]): string[];
  list(query?: TraceQuery): { traces: TraceSummary[]; total: number };
  facets(): { sessions: string[]; users: string[]; models: string[]; services: string[] };
  get(traceId: string): { summary: TraceSummary; spans: ViewerSpan[] } | undefined;
  summary(traceId: string): TraceSummary | undefined;
  /** Traces, spans and bytes of span JSON in memory, and lines skipped at reload because they were not whole spans. */
  readonly counts: { traces: number; spans: number; bytes: number; skippedLines: number };
}

interface Entry {
  spans: Map<string, ViewerSpan>;
  /** Bytes of the spans' JSON lines. */
  bytes: number;
  summary?: TraceSummary;
}

/**
 * Opens (or creates) the store in `dataDir` and reloads what earlier runs wrote.
 *
 * @param options - folder and bounds
 * @returns the store
 * @example
 * const store = createTraceStore({ dataDir: ".spanwise", maxFileBytes: 16 << 20, maxTraces: 2000, maxSpans: 200_000 });
 */
export function createTraceStore(options: TraceStoreOptions): TraceStore {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, "traces.jsonl");
  const rotated = join(options.dataDir, "traces.1.jsonl");
  const traces = new Map<string, Entry>();
  let spanCount = 0;
  let byteCount = 0;
  let skippedLines = 0;
  const maxBytes = options.maxMemoryBytes ?? 2 * options.maxFileBytes;

  // Memory is bounded in bytes of JSON, as the files are, so it holds what a reload restores.
  const index = (s: ViewerSpan, bytes: number): void => {
    let e = traces.get(s.traceId);
    if (e === undefined) {
      e = { spans: new Map(), bytes: 0 };
      traces.set(s.traceId, e);
    }
    const old = e.spans.get(s.spanId);
    if (old === undefined) spanCount++;
    else {
      const oldBytes = Buffer.byteLength(JSON.stringify(old)) + 1;
      e.bytes -= oldBytes;
      byteCount -= oldBytes;
    }
    e.spans.set(s.spanId, s);
    e.bytes += bytes;
    byteCount += bytes;
    e.summary = undefined;
  };

  const evict = (): void => {
    // Map iteration follows insertion order, so the first trace is the oldest.
    for (const [id, e] of traces) {
      if (traces.size <= options.maxTraces && spanCount <= options.maxSpans && byteCount <= maxBytes) break;
      traces.delete(id);
      spanCount -= e.spans.size;
      byteCount -= e.bytes;
    }
  };

  for (const path of [rotated, file]) {
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line === "") continue;
      try {
        const s: unknown = JSON.parse(line);
        if (!isViewerSpan(s)) throw new TypeError("not a span");
        index(s, Buffer.byteLength(line) + 1);
      } catch {
        // A line cut short by a crash, or edited by hand: skip it, keep the rest.
        skippedLines++;
      }
    }
  }
  evict();

  let size = existsSync(file) ? statSync(file).size : 0;
  // A crash mid-write can leave the last line without its newline; start a fresh line.
  let needsNewline = size > 0 && !readFileSync(file, "utf8").endsWith("\n");

  const summaryOf = (id: string, e: Entry): TraceSummary => (e.summary ??= summarizeTrace(id, [...e.spans.values()]));
  // The list must survive one trace it cannot summarise: leave that trace out.
  const summaries = function* (): Generator<[string, Entry, TraceSummary]> {
    for (const [id, e] of traces) {
      let s: TraceSummary;
      try {
        s = summaryOf(id, e);
      } catch {
        continue;
      }
      yield [id, e, s];
    }
  };

  return {
    add(spans) {
      if (spans.length === 0) return [];
      let text = needsNewline ? "\n" : "";
      const lines = spans.map((s) => `${JSON.stringify(s)}\n`);
      for (const line of lines) text += line;
      const bytes = Buffer.byteLength(text);
      if (size > 0 && size + bytes > options.maxFileBytes) {
        renameSync(file, rotated);
        size = 0;
        text = text.replace(/^\n/, "");
      }
      // One synchronous append per request keeps lines whole and in order; requests are small.
      appendFileSync(file, text);
      size += Buffer.byteLength(text);
      needsNewline = false;
      const touched = new Set<string>();
      spans.forEach((s, i) => {
        index(s, Buffer.byteLength(lines[i]!));
        touched.add(s.traceId);
      });
      evict();
      return [...touched].filter((id) => traces.has(id));
    },
    list(query = {}) {
      const q = query.q?.trim().toLowerCase();
      const rows: TraceSummary[] = [];
      for (const [, e, s] of summaries()) {
        if (query.errorsOnly && s.status !== "error") continue;
        if (query.session && s.sessionId !== query.session) continue;
        if (query.user && s.userId !== query.user) continue;
        if (query.model && !s.models.includes(query.model)) continue;
        if (q && !matches(s, e, q)) continue;
        rows.push(s);
      }
      rows.sort((a, b) => b.start - a.start);
      return { traces: rows.slice(0, query.limit ?? 200), total: rows.length };
    },
    facets() {
      const sessions = new Set<string>();
      const users = new Set<string>();
      const models = new Set<string>();
      const services = new Set<string>();
      for (const [, , s] of summaries()) {
        if (s.sessionId) sessions.add(s.sessionId);
        if (s.userId) users.add(s.userId);
        for (const m of s.models) models.add(m);
        services.add(s.service);
      }
      const sorted = (set: Set<string>): string[] => [...set].sort();
      return { sessions: sorted(sessions), users: sorted(users), models: sorted(models), services: sorted(services) };
    },
    get(traceId) {
      const e = traces.get(traceId);
      if (e === undefined) return undefined;
      return { summary: summaryOf(traceId, e), spans: [...e.spans.values()].sort((a, b) => a.start - b.start) };
    },
    summary(traceId) {
      const e = traces.get(traceId);
      try {
        return e && summaryOf(traceId, e);
      } catch {
        return undefined;
      }
    },
    get counts() {
      return { traces: traces.size, spans: spanCount, bytes: byteCount, skippedLines };
    },
  };
}

/** Search: trace id, root name, service, session, user, models, and every span's name. */
function matches(s: TraceSummary, e: Entry, q: string): boolean {
  const fields = [s.traceId, s.name, s.service, s.sessionId ?? "", s.userId ?? "", ...s.models];
  if (fields.some((f) => f.toLowerCase().includes(q))) return true;
  for (const span of e.spans.values()) if (span.name.toLowerCase().includes(q)) return true;
  return false;
}
