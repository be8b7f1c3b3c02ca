/** The viewer's stylesheet, served at `/assets/app.css`. */
export const STYLES = `
:root {
  --bg: #f6f7f9; --panel: #fff; --line: #e3e6eb; --text: #1d2330; --muted: #6b7385; --accent: #4f46e5;
  --err: #d92d20; --err-bg: #fff1f0; --ok: #16803c;
  --agent: #7c3aed; --llm: #2563eb; --tool: #ea7a0b; --retrieval: #0f9f6e; --embedding: #0891b2;
  --workflow: #64748b; --http: #475569; --db: #a16207; --span: #94a3b8;
  font: 14px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--text); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
code, pre, .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
.top { display: flex; align-items: center; gap: 12px; padding: 10px 20px; background: #111827; color: #e5e7eb; }
.brand { color: #fff; font-weight: 700; font-size: 16px; letter-spacing: .2px; }
.subtitle { color: #9ca3af; }
.live { margin-left: auto; font-size: 12px; }
.live.on { color: #4ade80; } .live.off { color: #fbbf24; }
main { padding: 16px 20px; }
.empty { padding: 40px; text-align: center; color: var(--muted); background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.muted { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 12px; }
.filters input[type=search] { flex: 1 1 320px; padding: 7px 10px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.filters select { padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; font: inherit; }
.toggle { display: flex; align-items: center; gap: 4px; color: var(--muted); }
.count { color: var(--muted); margin-left: auto; }
table.traces { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.traces th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; padding: 8px 10px; border-bottom: 1px solid var(--line); background: #fafbfc; }
.traces td { padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
.trace-row { cursor: pointer; } .trace-row:hover { background: #f3f4ff; }
.trace-row.is-error { box-shadow: inset 3px 0 0 var(--err); }
.trace-row .sub, .sub-cell { color: var(--muted); font-size: 12px; }
.status { font-size: 12px; padding: 1px 7px; border-radius: 10px; white-space: nowrap; }
.status-error { color: var(--err); background: var(--err-bg); margin-left: 8px; }
.status-ok, .status-unset { color: var(--ok); }
.trace-head { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 12px; }
.trace-head h1 { font-size: 19px; margin: 6px 0 10px; display: flex; align-items: center; }
.back { font-size: 13px; }
.stats { display: flex; flex-wrap: wrap; gap: 8px 28px; }
.stat-label { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .4px; }
.stat-value { font-weight: 600; }
.trace-id code { font-size: 12px; color: var(--muted); }
.split { display: grid; grid-template-columns: minmax(0, 1.5fr) minmax(340px, 1fr); gap: 12px; align-items: start; }
.waterfall { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.wf-head, .wf-row { display: grid; grid-template-columns: minmax(260px, 44%) 1fr 72px; align-items: center; }
.wf-head { font-size: 11px; color: var(--muted); text-transform: uppercase; border-bottom: 1px solid var(--line); background: #fafbfc; height: 30px; }
.wf-head .wf-label { padding-left: 8px; }
.ticks { position: relative; height: 100%; margin: 0 8px; }
.ticks span { position: absolute; top: 8px; transform: translateX(-50%); white-space: nowrap; text-transform: none; }
.ticks span:first-child { transform: none; } .ticks span:last-child { transform: translateX(-100%); }
.wf-row { min-height: 34px; border-bottom: 1px solid #f0f1f4; cursor: pointer; }
.wf-row:hover { background: #f7f7ff; }
.wf-row.selected { background: #eef0ff; box-shadow: inset 3px 0 0 var(--accent); }
.wf-row.is-error { background: var(--err-bg); }
.wf-row.is-error.selected { box-shadow: inset 3px 0 0 var(--err); }
.wf-label { display: flex; align-items: center; gap: 6px; overflow: hidden; white-space: nowrap; padding: 4px 6px; }
.wf-name { flex: 0 1 auto; min-width: 40px; overflow: hidden; text-overflow: ellipsis; }
.wf-meta { flex: 1 1 0; min-width: 0; color: var(--muted); font-size: 11.5px; overflow: hidden; text-overflow: ellipsis; }
.err-icon { color: var(--err); font-weight: 700; }
.wf-track { position: relative; height: 34px; margin: 0 8px; }
.wf-bar { position: absolute; top: 10px; height: 14px; border-radius: 3px; background: var(--span); min-width: 2px; }
.wf-dur { text-align: right; padding-right: 10px; font-size: 12px; color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.kind { font-size: 10.5px; font-weight: 600; text-transform: uppercase; letter-spacing: .3px; padding: 1px 6px; border-radius: 4px; color: #fff; background: var(--span); flex: none; }
.kind-agent, .cat-agent .wf-bar { background: var(--agent); }
.kind-llm, .cat-llm .wf-bar { background: var(--llm); }
.kind-tool, .cat-tool .wf-bar { background: var(--tool); }
.kind-retrieval, .cat-retrieval .wf-bar { background: var(--retrieval); }
.kind-embedding, .cat-embedding .wf-bar { background: var(--embedding); }
.kind-workflow, .cat-workflow .wf-bar { background: var(--workflow); }
.kind-http, .cat-http .wf-bar { background: var(--http); }
.kind-db, .cat-db .wf-bar { background: var(--db); }
.wf-row.is-error .wf-bar { background: repeating-linear-gradient(135deg, var(--err) 0 6px, #f05a4f 6px 12px); }
.span-panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow: auto; }
.span-panel-inner.is-error .panel-head h2 { color: var(--err); }
.panel-head { display: flex; align-items: center; gap: 8px; }
.panel-head h2 { font-size: 16px; margin: 0; word-break: break-all; }
.panel-section { margin-top: 14px; }
.panel-section h3, .panel-section summary { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); margin: 0 0 6px; cursor: default; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 8px 14px; margin-top: 10px; }
.fact { display: flex; flex-direction: column; min-width: 0; }
.fact-label { color: var(--muted); font-size: 11px; }
.fact-value { font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
section[data-testid=llm-details] { border-top: 1px solid var(--line); padding-top: 10px; }
.conversation { display: flex; flex-direction: column; gap: 8px; margin-top: 12px; }
.message { border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; background: #fafbfc; }
.message .role { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); margin-bottom: 3px; }
.message.role-system { background: #f8fafc; border-style: dashed; }
.message.role-user { background: #f5f7ff; border-color: #dfe3ff; }
.message.role-assistant { background: #f1fbf5; border-color: #cdeedb; }
.message.role-tool { background: #fff8ef; border-color: #fde1bd; }
.part-text { white-space: pre-wrap; }
.error-message { color: var(--err); font-weight: 600; }
.stack { background: #1f2430; color: #f3f4f6; padding: 10px; border-radius: 6px; max-height: 260px; overflow: auto; font-size: 11.5px; }
section[data-testid=exception] { border: 1px solid #fbd0cc; background: var(--err-bg); border-radius: 8px; padding: 8px 10px; }
.events { margin: 0; padding-left: 18px; } .event-time { color: var(--muted); font-size: 12px; }
table.attrs { width: 100%; border-collapse: collapse; font-size: 12.5px; }
.attrs th { text-align: left; font-weight: 500; color: var(--muted); padding: 3px 8px 3px 0; vertical-align: top; width: 40%; word-break: break-all; font-family: ui-monospace, Menlo, Consolas, monospace; }
.attrs td { padding: 3px 0; word-break: break-word; white-space: pre-wrap; }
.attrs tr + tr { border-top: 1px solid #f0f1f4; }
@media (max-width: 980px) { .split { grid-template-columns: 1fr; } .span-panel { position: static; max-height: none; } }
`;
