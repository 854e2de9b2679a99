extension ReportTemplates {
    /// The report's style sheet: inline, system fonts only, and a print layout.
    static let htmlStyle = #"""
:root { --ink: #1c2230; --muted: #5d6678; --line: #dde2ea; --bg: #f4f6f9; --card: #ffffff;
  --denied: #c8372d; --allowed: #3d6fb4; --work: #e08900; --people: #3f7d57; --requests: #9aa7bb;
  --high: #c8372d; --medium: #d88a00; --low: #3f7d57; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 28px; line-height: 1.2; margin: 2px 0 6px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 0; display: inline; }
h4 { font-size: 14px; margin: 14px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.kicker { margin: 0; color: var(--muted); font-weight: 600; letter-spacing: .08em; text-transform: uppercase; font-size: 12px; }
.period { font-size: 17px; margin: 0; }
.scope, .caption, .more, .empty, footer, .muted { color: var(--muted); }
.scope { margin: 2px 0 8px; }
.privacy-line { display: inline-block; margin: 4px 0 0; padding: 4px 10px; border-radius: 6px; background: #e9eef6; font-size: 13px; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 20px 0 8px; }
.fact { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.fact .value { display: block; font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; }
.fact .label { display: block; font-weight: 600; }
.fact .detail { display: block; color: var(--muted); font-size: 13px; }
.note { background: #fff7e6; border: 1px solid #f0d9a8; border-radius: 6px; padding: 6px 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-left: 6px solid var(--medium); border-radius: 8px; padding: 14px 20px; margin: 14px 0; }
.card.risk-high { border-left-color: var(--high); }
.card.risk-low { border-left-color: var(--low); }
.card header { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.headline { font-size: 16px; margin: 8px 0; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; line-height: 20px; white-space: nowrap; }
.badge.risk-high { background: #fbe2df; color: #8d1c13; }
.badge.risk-medium { background: #fdf0d5; color: #7a4d00; }
.badge.risk-low { background: #e1f1e6; color: #245236; }
.badge.status { background: #e9eef6; color: #2b3a55; }
dl.figures { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 8px 0; }
dl.figures div { min-width: 110px; }
dl.figures dt { color: var(--muted); font-size: 13px; }
dl.figures dd { margin: 0; font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.recommendation { background: #f1f6ff; border-radius: 6px; padding: 8px 14px; margin-top: 10px; }
.recommendation p { margin: 4px 0; }
.recommendation ul { margin: 4px 0 4px 18px; padding: 0; color: var(--muted); }
.trend { color: var(--muted); margin: 6px 0; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; background: var(--card); font-size: 14px; border: 1px solid var(--line); }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td { overflow-wrap: break-word; }
td:first-child { min-width: 9em; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
.charts { display: grid; grid-template-columns: 1fr; gap: 14px; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
figcaption { color: var(--muted); margin-bottom: 6px; }
figcaption strong { color: var(--ink); margin-right: 6px; }
svg { display: block; width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg text.value, svg text.axis { fill: var(--muted); }
svg line.grid { stroke: var(--line); stroke-width: 1; }
.bar-denied { fill: var(--denied); }
.bar-allowed { fill: var(--allowed); }
.bar-work { fill: var(--work); }
.bar-people { fill: var(--people); }
.bar-requests { fill: var(--requests); }
.node-blocked { fill: #fbe2df; stroke: var(--denied); }
.node-risk-high { fill: #fbe2df; stroke: var(--high); }
.node-risk-medium { fill: #fdf0d5; stroke: var(--medium); }
.node-risk-low { fill: #e1f1e6; stroke: var(--low); }
path.link { fill: none; stroke-opacity: .45; }
.link-risk-high { stroke: var(--high); }
.link-risk-medium { stroke: var(--medium); }
.link-risk-low { stroke: var(--low); }
section ul.suppressed { margin: 4px 0 0 18px; padding: 0; }
footer { margin-top: 40px; font-size: 13px; }
@media print {
  html, body { background: #fff; }
  main { max-width: none; padding: 0; }
  body { font-size: 11pt; }
  table { font-size: 9pt; }
  th, td { padding: 3px 6px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .card, figure.chart, .fact, tr { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
}
"""#
}
