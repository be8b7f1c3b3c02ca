import type { ChatMessage, SpanView } from "../types.js";
import type { ClientKit } from "./client-kit.js";

/**
 * Renders the span panel: overview, LLM details with the conversation, exception, events and
 * attributes. Runs in the browser from its source text, so it only uses `kit` and its arguments.
 *
 * @param kit - the DOM and formatting helpers
 * @param span - the selected span
 * @param traceStart - the trace's start, for offsets
 * @returns the panel element
 * @example
 * panel.replaceChildren(renderSpanPanel(kit, span, summary.start));
 */
export function renderSpanPanel(kit: ClientKit, span: SpanView, traceStart: number): HTMLElement {
  const { h } = kit;
  const STATUS = ["unset", "ok", "error"];
  const KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"];
  const section = (title: string, testid: string, ...children: (Node | null)[]): HTMLElement =>
    h("section", { class: "panel-section", "data-testid": testid }, h("h3", {}, title), ...children);
  const fact = (label: string, val: string, testid?: string): HTMLElement =>
    h("div", { class: "fact" }, h("span", { class: "fact-label" }, label), h("span", { class: "fact-value", "data-testid": testid }, val));

  const overview = h(
    "div",
    { class: "facts" },
    fact("duration", kit.duration(span.end - span.start), "span-duration"),
    fact("starts at", `+${kit.duration(span.start - traceStart)}`),
    fact("status", STATUS[span.status.code] ?? String(span.status.code), "span-status"),
    fact("span kind", KINDS[span.kind] ?? String(span.kind)),
    fact("service", String(span.resource["service.name"] ?? "unknown")),
    fact("span id", span.spanId),
  );

  let llm: HTMLElement | null = null;
  if (span.llm) {
    const l = span.llm;
    llm = section(
      span.category === "embedding" ? "Embedding" : "LLM call",
      "llm-details",
      h(
        "div",
        { class: "facts" },
        fact("model", l.model ?? "–", "llm-model"),
        fact("provider", l.provider ?? "–", "llm-provider"),
        fact("input tokens", l.inputTokens === undefined ? "–" : String(l.inputTokens), "llm-input-tokens"),
        fact("output tokens", l.outputTokens === undefined ? "–" : String(l.outputTokens), "llm-output-tokens"),
        fact("cost", kit.cost(l.cost), "llm-cost"),
        fact("time to first token", l.ttftMs === undefined ? "–" : kit.duration(l.ttftMs), "llm-ttft"),
        l.finishReasons && l.finishReasons.length > 0 ? fact("finish", l.finishReasons.join(", ")) : null,
      ),
      l.input.length + l.output.length > 0
        ? h("div", { class: "conversation", "data-testid": "conversation" }, ...l.input.map((m) => message(m, false)), ...l.output.map((m) => message(m, true)))
        : null,
    );
  }

  function message(m: ChatMessage, output: boolean): HTMLElement {
    return h(
      "div",
      { class: `message role-${m.role}${output ? " output" : ""}`, "data-testid": "message", "data-role": m.role },
      h("div", { class: "role" }, m.role, output ? " · completion" : ""),
      ...m.parts.map((p) => {
        if (p.type === "text") return h("div", { class: "part-text" }, p.text ?? "");
        if (p.type === "tool_call") return h("div", { class: "part-tool" }, h("b", {}, `call ${p.name ?? ""}`), h("pre", {}, kit.value(p.data)));
        if (p.type === "tool_call_response") return h("div", { class: "part-tool" }, h("b", {}, "tool result"), h("pre", {}, kit.value(p.data)));
        return h("pre", { class: "part-other" }, kit.value(p.data ?? p.text));
      }),
    );
  }

  const exceptions = span.events.filter((e) => e.name === "exception");
  const exception =
    exceptions.length > 0 || span.status.code === 2
      ? section(
          "Error",
          "exception",
          h("div", { class: "error-message" }, String(exceptions[0]?.attributes["exception.type"] ?? "Error"), ": ", String(exceptions[0]?.attributes["exception.message"] ?? span.status.message ?? "")),
          exceptions[0]?.attributes["exception.stacktrace"] ? h("pre", { class: "stack", "data-testid": "exception-stack" }, String(exceptions[0].attributes["exception.stacktrace"])) : null,
        )
      : null;

  const others = span.events.filter((e) => e.name !== "exception");
  const events =
    others.length > 0
      ? section(
          "Events",
          "events",
          h(
            "ul",
            { class: "events" },
            others.map((e) => h("li", {}, h("span", { class: "event-time" }, `+${kit.duration(e.time - span.start)}`), " ", h("b", {}, e.name), Object.keys(e.attributes).length > 0 ? h("pre", {}, kit.value(e.attributes)) : null)),
          ),
        )
      : null;

  const table = (attrs: Record<string, unknown>, testid: string): HTMLElement =>
    h(
      "table",
      { class: "attrs", "data-testid": testid },
      h(
        "tbody",
        {},
        Object.keys(attrs)
          .sort()
          .map((k) => h("tr", {}, h("th", {}, k), h("td", {}, typeof attrs[k] === "string" ? (attrs[k] as string) : h("code", {}, kit.value(attrs[k]))))),
      ),
    );

  return h(
    "div",
    { class: `span-panel-inner${span.status.code === 2 ? " is-error" : ""}`, "data-span-id": span.spanId },
    h("header", { class: "panel-head" }, kit.kindBadge(span.category), h("h2", { "data-testid": "span-name" }, span.name || "(unnamed)")),
    overview,
    exception,
    llm,
    events,
    section("Attributes", "attributes-section", Object.keys(span.attributes).length > 0 ? table(span.attributes, "attributes") : h("p", { class: "muted" }, "none")),
    h("details", { class: "panel-section" }, h("summary", {}, `Resource · ${span.scope.name || "no scope"}${span.scope.version ? ` ${span.scope.version}` : ""}`), table(span.resource, "resource")),
  );
}
