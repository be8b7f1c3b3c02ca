import type { SpanView, TraceSummary } from "../types.js";
import type { ClientKit } from "./client-kit.js";
import type { renderSpanPanel as RenderSpanPanel } from "./span-panel.js";

interface ListResponse {
  traces: TraceSummary[];
  total: number;
  facets: { sessions: string[]; users: string[]; models: string[] };
}

interface TraceResponse {
  summary: TraceSummary;
  spans: SpanView[];
}

/**
 * The viewer's browser script: the trace list with search and filters, the trace page with its
 * waterfall and span panel, and live updates over server-sent events. Runs in the browser from
 * its source text (see client-script.ts), so it only uses its arguments and browser globals.
 *
 * @param kit - the DOM and formatting helpers
 * @param renderSpanPanel - the span panel renderer
 * @example
 * viewerClient(clientKit(), renderSpanPanel);
 */
export function viewerClient(kit: ClientKit, renderSpanPanel: typeof RenderSpanPanel): void {
  const { h } = kit;
  const main = document.getElementById("main") as HTMLElement;
  const live = document.getElementById("live") as HTMLElement;
  const filters = { q: "", errors: false, session: "", user: "", model: "" };
  let view: { name: "list" } | { name: "trace"; id: string; span?: string } = { name: "list" };
  let current: TraceResponse | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  function route(): void {
    const m = /^#\/trace\/([0-9a-f]+)(?:\/([0-9a-f]+))?/.exec(location.hash);
    const next: typeof view = m ? { name: "trace", id: m[1]!, span: m[2] } : { name: "list" };
    const sameTrace = next.name === "trace" && view.name === "trace" && view.id === next.id && current !== undefined;
    view = next;
    if (sameTrace) renderTrace(current!);
    else void load();
  }

  async function load(): Promise<void> {
    try {
      if (view.name === "list") renderList(await kit.getJson<ListResponse>(`/api/traces?${listQuery()}`));
      else {
        current = await kit.getJson<TraceResponse>(`/api/traces/${view.id}`);
        renderTrace(current);
      }
    } catch (err) {
      main.replaceChildren(h("div", { class: "empty", "data-testid": "load-error" }, `Could not load: ${(err as Error).message}`));
    }
  }

  function listQuery(): string {
    const p = new URLSearchParams();
    if (filters.q) p.set("q", filters.q);
    if (filters.errors) p.set("errors", "1");
    if (filters.session) p.set("session", filters.session);
    if (filters.user) p.set("user", filters.user);
    if (filters.model) p.set("model", filters.model);
    return p.toString();
  }

  function select(key: "session" | "user" | "model", label: string, options: string[]): HTMLElement {
    const el = h(
      "select",
      { "data-testid": `filter-${key}`, "aria-label": label, onchange: (e: Event) => ((filters[key] = (e.target as HTMLSelectElement).value), void load()) },
      h("option", { value: "" }, `any ${label}`),
      options.map((o) => h("option", { value: o }, o)),
    );
    el.value = filters[key];
    return el;
  }

  function renderList(data: ListResponse): void {
    const search = h("input", {
      type: "search",
      placeholder: "Search names, services, sessions, users, models, trace ids…",
      value: filters.q,
      "data-testid": "search",
      oninput: (e: Event) => {
        filters.q = (e.target as HTMLInputElement).value;
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void load(), 200);
      },
    });
    const bar = h(
      "div",
      { class: "filters" },
      search,
      h("label", { class: "toggle" }, h("input", { type: "checkbox", checked: filters.errors, "data-testid": "filter-errors", onchange: (e: Event) => ((filters.errors = (e.target as HTMLInputElement).checked), void load()) }), " errors only"),
      select("session", "session", data.facets.sessions),
      select("user", "user", data.facets.users),
      select("model", "model", data.facets.models),
      h("span", { class: "count", "data-testid": "trace-count" }, `${data.total} trace${data.total === 1 ? "" : "s"}`),
    );
    const head = h("tr", {}, ["Trace", "Service", "Started", "Duration", "Status", "Spans", "Tokens", "Cost", "Session", "User"].map((t) => h("th", {}, t)));
    const rows = data.traces.map((t) =>
      h(
        "tr",
        { class: `trace-row${t.status === "error" ? " is-error" : ""}`, "data-testid": "trace-row", "data-trace-id": t.traceId, onclick: () => (location.hash = `#/trace/${t.traceId}`) },
        h("td", { "data-testid": "trace-name" }, h("a", { href: `#/trace/${t.traceId}` }, t.name), h("div", { class: "sub" }, t.models.join(", "))),
        h("td", { "data-testid": "trace-service" }, t.service),
        h("td", { "data-testid": "trace-start", title: new Date(t.start).toISOString() }, kit.time(t.start)),
        h("td", { "data-testid": "trace-duration", class: "num" }, kit.duration(t.durationMs)),
        h("td", { "data-testid": "trace-status" }, h("span", { class: `status status-${t.status}` }, t.status === "error" ? `✗ ${t.errorCount} error${t.errorCount === 1 ? "" : "s"}` : t.status === "ok" ? "✓ ok" : "✓")),
        h("td", { "data-testid": "trace-spans", class: "num" }, t.spanCount),
        h("td", { "data-testid": "trace-tokens", class: "num" }, kit.tokens(t.inputTokens, t.outputTokens)),
        h("td", { "data-testid": "trace-cost", class: "num" }, kit.cost(t.cost)),
        h("td", { class: "sub-cell" }, t.sessionId ?? ""),
        h("td", { class: "sub-cell" }, t.userId ?? ""),
      ),
    );
    const empty =
      data.total === 0
        ? h(
            "div",
            { class: "empty", "data-testid": "empty-state" },
            listQuery() ? "No trace matches these filters." : h("span", {}, "No traces yet. Send OTLP/HTTP to ", h("code", {}, `${location.origin}/v1/traces`), ", or run ", h("code", {}, "npm run demo"), "."),
          )
        : null;
    const focused = document.activeElement === main.querySelector("[data-testid=search]");
    main.replaceChildren(h("div", { class: "list-view", "data-testid": "trace-list" }, bar, h("table", { class: "traces" }, h("thead", {}, head), h("tbody", {}, rows)), empty));
    if (focused) {
      search.focus();
      search.setSelectionRange(search.value.length, search.value.length);
    }
  }

  /** Spans in tree order (children by start time) with their depth; orphans become roots. */
  function treeOrder(spans: SpanView[]): { span: SpanView; depth: number }[] {
    const ids = new Set(spans.map((s) => s.spanId));
    const children = new Map<string, SpanView[]>();
    const roots: SpanView[] = [];
    for (const s of spans) {
      if (s.parentSpanId && ids.has(s.parentSpanId)) {
        const list = children.get(s.parentSpanId) ?? [];
        list.push(s);
        children.set(s.parentSpanId, list);
      } else roots.push(s);
    }
    const out: { span: SpanView; depth: number }[] = [];
    const visit = (s: SpanView, depth: number): void => {
      out.push({ span: s, depth });
      for (const c of (children.get(s.spanId) ?? []).sort((a, b) => a.start - b.start)) visit(c, depth + 1);
    };
    for (const r of roots.sort((a, b) => a.start - b.start)) visit(r, 0);
    return out;
  }

  function renderTrace(data: TraceResponse): void {
    if (view.name !== "trace") return;
    const t = data.summary;
    const total = Math.max(t.durationMs, 0.001);
    const selectedId = view.span ?? data.spans.find((s) => s.category === "llm")?.spanId ?? data.spans[0]?.spanId;
    const selected = data.spans.find((s) => s.spanId === selectedId);
    const stat = (label: string, val: string, testid: string): HTMLElement => h("div", { class: "stat" }, h("div", { class: "stat-label" }, label), h("div", { class: "stat-value", "data-testid": testid }, val));
    const header = h(
      "header",
      { class: "trace-head", "data-testid": "trace-header" },
      h("a", { href: "#/", class: "back", "data-testid": "back-link" }, "← all traces"),
      h("h1", { "data-testid": "trace-title" }, t.name, t.status === "error" ? h("span", { class: "status status-error" }, `✗ ${t.errorCount} error${t.errorCount === 1 ? "" : "s"}`) : null),
      h(
        "div",
        { class: "stats" },
        stat("service", t.service, "trace-service"),
        stat("started", kit.time(t.start), "trace-start"),
        stat("duration", kit.duration(t.durationMs), "trace-duration"),
        stat("spans", String(t.spanCount), "trace-span-count"),
        stat("tokens", kit.tokens(t.inputTokens, t.outputTokens), "trace-tokens"),
        stat("cost", kit.cost(t.cost), "trace-cost"),
        t.sessionId ? stat("session", t.sessionId, "trace-session") : null,
        t.userId ? stat("user", t.userId, "trace-user") : null,
        h("div", { class: "stat trace-id" }, h("div", { class: "stat-label" }, "trace id"), h("code", {}, t.traceId)),
      ),
    );
    const ticks = h("div", { class: "ticks" }, [0, 0.25, 0.5, 0.75, 1].map((f) => h("span", { style: `left:${f * 100}%` }, kit.duration(total * f))));
    const rows = treeOrder(data.spans).map(({ span: s, depth }) => {
      const left = ((s.start - t.start) / total) * 100;
      const width = Math.max(((s.end - s.start) / total) * 100, 0.3);
      const err = s.status.code === 2;
      // As the console tree writes them: an unreported count (an embedding's output) is "?", not 0.
      const counted = s.llm && (s.llm.inputTokens !== undefined || s.llm.outputTokens !== undefined);
      const llm = s.llm ? [counted ? `${s.llm.inputTokens ?? "?"}→${s.llm.outputTokens ?? "?"} tok` : "", s.llm.cost !== undefined ? kit.cost(s.llm.cost) : ""].filter(Boolean).join(" · ") : "";
      return h(
        "div",
        {
          class: `wf-row cat-${s.category}${err ? " is-error" : ""}${s.spanId === selectedId ? " selected" : ""}`,
          "data-testid": "waterfall-row",
          "data-span-id": s.spanId,
          "data-category": s.category,
          "data-status": err ? "error" : "ok",
          tabindex: 0,
          onclick: () => (location.hash = `#/trace/${t.traceId}/${s.spanId}`),
        },
        h(
          "div",
          { class: "wf-label", style: `padding-left:${depth * 16 + 8}px`, title: s.name },
          kit.kindBadge(s.category),
          h("span", { class: "wf-name" }, s.name || "(unnamed)"),
          err ? h("span", { class: "err-icon", title: s.status.message ?? "error" }, "✗") : null,
          llm ? h("span", { class: "wf-meta" }, llm) : null,
        ),
        h("div", { class: "wf-track" }, h("div", { class: "wf-bar", style: `left:${left}%;width:${width}%` })),
        h("div", { class: "wf-dur" }, kit.duration(s.end - s.start)),
      );
    });
    const panel = h("aside", { class: "span-panel", "data-testid": "span-panel" }, selected ? renderSpanPanel(kit, selected, t.start) : h("p", { class: "muted" }, "Select a span."));
    main.replaceChildren(
      h("div", { class: "trace-view", "data-testid": "trace-view" }, header, h("div", { class: "split" }, h("div", { class: "waterfall", "data-testid": "waterfall" }, h("div", { class: "wf-head" }, h("div", { class: "wf-label" }, "span"), ticks, h("div", { class: "wf-dur" }, "duration")), rows), panel)),
    );
  }

  function connect(): void {
    const source = new EventSource("/api/events");
    let dropped = false;
    source.addEventListener("open", () => {
      // Events sent while the stream was down are lost: reload what is shown.
      if (dropped) void load();
      dropped = false;
      live.textContent = "● live";
      live.className = "live on";
    });
    source.addEventListener("error", () => {
      dropped = true;
      live.textContent = "○ reconnecting";
      live.className = "live off";
    });
    source.addEventListener("traces", (e) => {
      const ids = (JSON.parse((e as MessageEvent<string>).data) as { traces: TraceSummary[] }).traces.map((s) => s.traceId);
      if (view.name === "trace" && !ids.includes(view.id)) return;
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void load(), 150);
    });
  }

  window.addEventListener("hashchange", route);
  connect();
  route();
}
