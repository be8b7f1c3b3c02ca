/**
 * DOM and formatting helpers of the viewer's browser script. Runs in the browser from its
 * source text (see client-script.ts), so it must stay self-contained: no imports, no outer names.
 *
 * @returns the helpers
 * @example
 * const kit = clientKit(); document.body.append(kit.h("p", {}, kit.duration(12.5)));
 */
export function clientKit() {
  type Child = Node | string | number | null | undefined | false;
  type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

  /** Builds an element; text children become text nodes, so data is never parsed as HTML. */
  function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
      else if (k === "class") el.className = String(v);
      else if (k === "style") el.setAttribute("style", String(v));
      else if (k === "value" && "value" in el) (el as HTMLInputElement).value = String(v);
      else if (k === "checked" && "checked" in el) (el as HTMLInputElement).checked = Boolean(v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function duration(ms: number): string {
    if (!Number.isFinite(ms)) return "–";
    if (ms === 0) return "0 ms";
    if (ms < 1) return `${Math.round(ms * 1000)} µs`;
    if (ms < 1000) return `${ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
    return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  }

  function cost(usd: number | undefined): string {
    if (usd === undefined) return "–";
    if (usd === 0) return "$0";
    if (usd < 0.000001) return "<$0.000001";
    return `$${usd < 1 ? String(Number(usd.toPrecision(3))) : usd.toFixed(2)}`;
  }

  function tokens(input: number, output: number): string {
    return input + output === 0 ? "–" : `${input.toLocaleString("en-US")} → ${output.toLocaleString("en-US")}`;
  }

  function time(ms: number): string {
    const d = new Date(ms);
    const today = new Date().toDateString() === d.toDateString();
    const clock = d.toLocaleTimeString(undefined, { hour12: false });
    return today ? clock : `${d.toLocaleDateString()} ${clock}`;
  }

  function value(v: unknown): string {
    if (typeof v === "string") return v;
    const flat = Array.isArray(v) && v.every((x) => x === null || typeof x !== "object");
    return JSON.stringify(v, null, flat ? 0 : 2);
  }

  async function getJson<T>(path: string): Promise<T> {
    const res = await fetch(path, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  }

  const KIND_LABEL: Record<string, string> = {
    agent: "agent",
    llm: "llm",
    tool: "tool",
    retrieval: "retrieval",
    embedding: "embedding",
    workflow: "workflow",
    http: "http",
    db: "db",
    span: "span",
  };

  function kindBadge(category: string): HTMLElement {
    return h("span", { class: `kind kind-${category}`, "data-testid": "kind-badge" }, KIND_LABEL[category] ?? category);
  }

  return { h, duration, cost, tokens, time, value, getJson, kindBadge };
}

/** The helpers `clientKit` returns. */
export type ClientKit = ReturnType<typeof clientKit>;
