/**
 * `--format html`: one self-contained page (inline CSS and JavaScript,
 * nothing fetched; works offline and from `file://`).
 *
 * - the fleet at a glance: hosts scanned, hosts with errors, the counts,
 *   findings per rule as a bar chart, the worst hosts;
 * - a host table, sortable (click a column) and filterable by name, form,
 *   role, kernel and counts, shown 250 rows at a time ("Show more hosts");
 * - each host's findings with their evidence (rendered when the host is
 *   clicked), every rule id linking to its documentation;
 * - the results of files outside the snapshots (and of every file, for
 *   `hostlint lint`), per file;
 * - the documentation of every rule that has findings, rendered from its
 *   metadata (src/docs/render.ts).
 *
 * Untrusted text (host and file names, messages, evidence) never becomes
 * markup: the static part is HTML-escaped, the data the script renders is
 * JSON in a `<script type="application/json">` with `<`, `>`, `&` and the
 * line separators escaped, and the script only ever sets `textContent`.
 */
import { escapeHtml, ruleHtml } from '../docs/render.js';
import type { FleetHost, LintReport, Result, RuleMeta } from '../types.js';
import { countKey, emptyCounts } from '../util/counts.js';
import { isSuppressed, visibleResults, type Counts, type FormatOptions } from './shared.js';

/** How many of the worst hosts the page lists. */
const WORST = 10;

type Finding = [ruleId: string, severity: string, file: string, line: number, column: number, message: string, related: Array<[string, number, number, string]>, suppressed: 0 | 1];

function finding(r: Result): Finding {
  return [
    r.ruleId,
    r.severity,
    r.file,
    r.position.start.line,
    r.position.start.column,
    r.message,
    (r.related ?? []).map((l) => [l.file, l.position.start.line, l.position.start.column, l.message ?? ''] as [string, number, number, string]),
    isSuppressed(r) ? 1 : 0,
  ];
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function ruleAnchor(id: string): string {
  return `rule-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

export function html(report: LintReport, options: FormatOptions): string {
  const fleet = (report.hosts?.length ?? 0) > 0;
  const hosts: FleetHost[] = report.hosts ?? [];
  const hostIndex = new Map<string, number>();
  hosts.forEach((h, i) => hostIndex.set(h.host, i));
  const byHost: Finding[][] = hosts.map(() => []);
  const files: Array<{ path: string; host?: string; findings: Finding[] }> = [];
  const perRule = new Map<string, Counts>();
  for (const f of report.files) {
    const shown = visibleResults(f, options);
    if (shown.length === 0) continue;
    const list: Finding[] = [];
    for (const r of shown) {
      const host = r.host ?? f.host;
      const i = host !== undefined ? hostIndex.get(host) : undefined;
      (i !== undefined ? byHost[i]! : list).push(finding(r));
      if (!isSuppressed(r)) {
        const c = perRule.get(r.ruleId) ?? emptyCounts();
        c[countKey(r.severity)]++;
        perRule.set(r.ruleId, c);
      }
    }
    if (list.length) files.push({ path: f.path, ...(f.host !== undefined ? { host: f.host } : {}), findings: list });
  }
  const metas = new Map<string, RuleMeta>(report.rules.map((m) => [m.id, m]));
  const ruleIds = [...perRule.keys()].sort();
  const anchors: Record<string, string> = {};
  for (const id of ruleIds) anchors[id] = metas.has(id) ? ruleAnchor(id) : '';
  const data = {
    hosts: hosts.map((h) => [h.host, h.path, h.form, h.role, h.kernel ?? '', h.errorCount, h.warningCount, h.noteCount]),
    findings: byHost,
    anchors: Object.entries(anchors),
  };

  const hostsWithErrors = hosts.filter((h) => h.errorCount > 0).length;
  const total = (c: Counts) => c.errorCount + c.warningCount + c.noteCount;
  const maxRule = Math.max(1, ...ruleIds.map((id) => total(perRule.get(id)!)));
  const worst = hosts
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => total(h) > 0)
    .sort((a, b) => b.h.errorCount - a.h.errorCount || b.h.warningCount - a.h.warningCount || b.h.noteCount - a.h.noteCount || (a.h.host < b.h.host ? -1 : 1))
    .slice(0, WORST);
  const link = (id: string) => (anchors[id] ? `<a href="#${anchors[id]}"><code>${escapeHtml(id)}</code></a>` : `<code>${escapeHtml(id)}</code>`);
  const countsText = (c: Counts) => [c.errorCount && plural(c.errorCount, 'error'), c.warningCount && plural(c.warningCount, 'warning'), c.noteCount && plural(c.noteCount, 'note')].filter(Boolean).join(', ') || 'no findings';

  const parts: string[] = [];
  parts.push(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>hostlint ${fleet ? 'fleet ' : ''}report</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>hostlint ${fleet ? 'fleet ' : ''}report</h1><p class="meta">hostlint ${escapeHtml(report.toolVersion)}</p></header>
<section id="glance"><h2>At a glance</h2><div class="cards">`);
  if (fleet) {
    parts.push(`<div class="card"><span class="n" id="hosts-scanned">${hosts.length}</span>hosts scanned</div>`);
    parts.push(`<div class="card"><span class="n err" id="hosts-with-errors">${hostsWithErrors}</span>hosts with errors</div>`);
  }
  parts.push(`<div class="card"><span class="n err" id="error-count">${report.errorCount}</span>errors</div><div class="card"><span class="n warn" id="warning-count">${report.warningCount}</span>warnings</div><div class="card"><span class="n note" id="note-count">${report.noteCount}</span>notes</div></div>`);
  parts.push('<h3>Findings per rule</h3>');
  if (ruleIds.length === 0) parts.push('<p>No findings.</p>');
  else {
    parts.push('<table class="bars" id="rule-bars">');
    for (const id of ruleIds) {
      const c = perRule.get(id)!;
      const w = (n: number) => ((100 * n) / maxRule).toFixed(2);
      parts.push(
        `<tr data-rule="${escapeHtml(id)}"><th>${link(id)}</th><td><div class="bar"><span class="e" style="width:${w(c.errorCount)}%"></span><span class="w" style="width:${w(c.warningCount)}%"></span><span class="o" style="width:${w(c.noteCount)}%"></span></div></td><td class="num">${total(c)}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  if (fleet) {
    parts.push('<h3>Worst hosts</h3>');
    if (worst.length === 0) parts.push('<p>No host has findings.</p>');
    else parts.push(`<ol id="worst-hosts">${worst.map(({ h, i }) => `<li><a href="#host-${i}" data-host="${i}">${escapeHtml(h.host)}</a> — ${countsText(h)}</li>`).join('')}</ol>`);
    parts.push(`</section>
<section id="hosts"><h2>Hosts</h2>
<div class="filters"><input id="filter-name" type="search" placeholder="host name or kernel" aria-label="Filter by host name or kernel">
<select id="filter-form" aria-label="Form"><option value="">any form</option><option>directory</option><option>sosreport</option><option>archive</option></select>
<select id="filter-role" aria-label="Role"><option value="">any role</option><option>kubernetes-node</option><option>host</option></select>
<select id="filter-counts" aria-label="Findings"><option value="">any findings</option><option value="errors">with errors</option><option value="warnings">with warnings</option><option value="findings">with findings</option><option value="clean">without findings</option></select>
<span id="shown-count"></span></div>
<table id="host-table"><thead><tr><th data-key="0">host</th><th data-key="2">form</th><th data-key="3">role</th><th data-key="4">kernel</th><th data-key="5" class="num">errors</th><th data-key="6" class="num">warnings</th><th data-key="7" class="num">notes</th></tr></thead><tbody></tbody></table>
<button id="show-more" type="button" hidden>Show more hosts</button>
</section>
<section id="host-findings"><h2>Findings by host</h2><p class="meta">Click a host (in the table or the worst hosts) to see its findings and their evidence here.</p><div id="host-details"></div></section>`);
  } else parts.push('</section>');
  parts.push(`<section id="files"><h2>${fleet ? 'Files outside the snapshots' : 'Findings by file'}</h2>`);
  if (files.length === 0) parts.push('<p>No findings.</p>');
  for (const f of files) {
    parts.push(`<div class="file"><h3><code>${escapeHtml(f.path)}</code>${f.host !== undefined ? ` <span class="meta">(host ${escapeHtml(f.host)})</span>` : ''}</h3><table class="findings">`);
    for (const x of f.findings) parts.push(findingRow(x, link));
    parts.push('</table></div>');
  }
  parts.push('</section><section id="rules"><h2>Rules</h2>');
  for (const id of ruleIds) if (metas.has(id)) parts.push(ruleHtml(metas.get(id)!, ruleAnchor(id)));
  parts.push(`</section>
<script type="application/json" id="hostlint-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`);
  return parts.join('\n');
}

function findingRow(x: Finding, link: (id: string) => string): string {
  const [ruleId, severity, file, line, column, message, related, suppressed] = x;
  const evidence = related.length ? `<ul class="evidence">${related.map(([f, l, c, m]) => `<li><code>${escapeHtml(`${f}:${l}:${c}`)}</code> ${escapeHtml(m)}</li>`).join('')}</ul>` : '';
  return `<tr class="${escapeHtml(severity)}"><td class="sev">${escapeHtml(severity)}${suppressed ? ' (suppressed)' : ''}</td><td><code>${escapeHtml(`${file}:${line}:${column}`)}</code></td><td>${escapeHtml(message)}${evidence}</td><td>${link(ruleId)}</td></tr>`;
}

const CSS = `
:root{--err:#c62828;--warn:#b26a00;--note:#1565c0;--fg:#1d1d1f;--muted:#666;--line:#ddd}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;max-width:1200px;padding:0 16px 48px}
h1{font-size:22px;margin:20px 0 0}h2{font-size:18px;border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:28px}h3{font-size:15px;margin:16px 0 6px}
.meta{color:var(--muted)}code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}
.card .n{display:block;font-size:26px;font-weight:600}.err{color:var(--err)}.warn{color:var(--warn)}.note{color:var(--note)}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}
.bars th{width:260px;font-weight:normal}.bar{display:flex;height:14px;background:#f4f4f4;border-radius:3px;overflow:hidden}
.bar .e{background:var(--err)}.bar .w{background:var(--warn)}.bar .o{background:var(--note)}
#host-table th{cursor:pointer;user-select:none;background:#fafafa;position:sticky;top:0}#host-table th.asc::after{content:" \\25B2"}#host-table th.desc::after{content:" \\25BC"}
.filters{display:flex;gap:8px;align-items:center;margin:8px 0;flex-wrap:wrap}.filters input{flex:1;min-width:200px;padding:5px}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}summary{cursor:pointer}
tr.error .sev{color:var(--err)}tr.warning .sev{color:var(--warn)}tr.note .sev{color:var(--note)}.sev{white-space:nowrap;font-weight:600}
.evidence{margin:4px 0 0;padding-left:18px;color:var(--muted)}.rule{border-top:1px solid #eee}
`;

/** The page's script: renders the host table and the findings from the embedded data; only ever sets textContent. */
const SCRIPT = `
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("hostlint-data").textContent);
  var anchors = new Map(data.anchors);
  var hosts = data.hosts;
  var tbody = document.querySelector("#host-table tbody");
  if (!tbody) return;
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function ruleLink(id) {
    var a = anchors.get(id);
    var code = el("code", id);
    if (!a) return code;
    var link = document.createElement("a"); link.href = "#" + a; link.appendChild(code); return link;
  }
  // The table shows the hosts that pass the filters, in the chosen order, a page at a time
  // (a 10,000-host fleet does not make a 10,000-row table).
  var order = hosts.map(function (_, i) { return i; });
  var PAGE = 250, limit = PAGE, matching = order;
  var more = document.getElementById("show-more");
  function render() {
    var f = document.createDocumentFragment();
    var n = Math.min(limit, matching.length);
    for (var k = 0; k < n; k++) f.appendChild(row(matching[k]));
    tbody.replaceChildren(f);
    shown.textContent = matching.length + " of " + hosts.length + " hosts" + (n < matching.length ? " (showing " + n + ")" : "");
    more.hidden = n >= matching.length;
  }
  var rows = new Map();
  function row(i) {
    var tr = rows.get(i);
    if (tr) return tr;
    var h = hosts[i];
    tr = document.createElement("tr");
    var name = el("td"); var a = document.createElement("a"); a.href = "#host-" + i; a.textContent = h[0]; a.dataset.host = String(i); name.appendChild(a); tr.appendChild(name);
    tr.appendChild(el("td", h[2])); tr.appendChild(el("td", h[3])); tr.appendChild(el("td", h[4] || "unknown"));
    tr.appendChild(el("td", h[5], "num" + (h[5] ? " err" : ""))); tr.appendChild(el("td", h[6], "num" + (h[6] ? " warn" : ""))); tr.appendChild(el("td", h[7], "num" + (h[7] ? " note" : "")));
    rows.set(i, tr);
    return tr;
  }
  var sortKey = -1, sortDir = 1;
  document.querySelectorAll("#host-table th").forEach(function (th) {
    th.addEventListener("click", function () {
      var key = Number(th.dataset.key);
      var numeric = key >= 5;
      sortDir = key === sortKey ? -sortDir : (numeric ? -1 : 1);
      sortKey = key;
      document.querySelectorAll("#host-table th").forEach(function (o) { o.classList.remove("asc", "desc"); });
      th.classList.add(sortDir > 0 ? "asc" : "desc");
      order.sort(function (x, y) {
        var a = hosts[x][key], b = hosts[y][key];
        var c = numeric ? a - b : (a < b ? -1 : a > b ? 1 : 0);
        return c * sortDir || x - y;
      });
      filter();
    });
  });
  var name = document.getElementById("filter-name"), form = document.getElementById("filter-form"), role = document.getElementById("filter-role"), counts = document.getElementById("filter-counts"), shown = document.getElementById("shown-count");
  function filter() {
    var q = name.value.trim().toLowerCase(), fv = form.value, rv = role.value, cv = counts.value;
    matching = order.filter(function (i) {
      var h = hosts[i];
      return (!q || h[0].toLowerCase().indexOf(q) >= 0 || h[4].toLowerCase().indexOf(q) >= 0) && (!fv || h[2] === fv) && (!rv || h[3] === rv) &&
        (!cv || (cv === "errors" ? h[5] > 0 : cv === "warnings" ? h[6] > 0 : cv === "findings" ? h[5] + h[6] + h[7] > 0 : h[5] + h[6] + h[7] === 0));
    });
    limit = PAGE;
    render();
  }
  [name, form, role, counts].forEach(function (x) { x.addEventListener("input", filter); });
  more.addEventListener("click", function () { limit += PAGE * 4; render(); });
  filter();
  // Findings by host: a <details> per host, made when the host is first opened.
  var details = document.getElementById("host-details");
  var byIndex = new Map();
  function hostDetails(i) {
    var d = byIndex.get(i);
    if (d) return d;
    var h = hosts[i], list = data.findings[i] || [];
    d = document.createElement("details"); d.id = "host-" + i;
    var s = el("summary"); s.appendChild(el("b", h[0])); s.appendChild(document.createTextNode("  " + h[1] + "  \u2014 " + list.length + (list.length === 1 ? " finding" : " findings")));
    d.appendChild(s);
    var t = el("table", undefined, "findings");
    list.forEach(function (x) {
      var tr = el("tr", undefined, x[1]);
      tr.appendChild(el("td", x[1] + (x[7] ? " (suppressed)" : ""), "sev"));
      var loc = el("td"); loc.appendChild(el("code", x[2] + ":" + x[3] + ":" + x[4])); tr.appendChild(loc);
      var msg = el("td", x[5]);
      if (x[6].length) { var ul = el("ul", undefined, "evidence"); x[6].forEach(function (r) { var li = el("li"); li.appendChild(el("code", r[0] + ":" + r[1] + ":" + r[2])); li.appendChild(document.createTextNode(" " + r[3])); ul.appendChild(li); }); msg.appendChild(ul); }
      tr.appendChild(msg);
      var rl = el("td"); rl.appendChild(ruleLink(x[0])); tr.appendChild(rl);
      t.appendChild(tr);
    });
    if (list.length === 0) d.appendChild(el("p", "No findings."));
    else d.appendChild(t);
    byIndex.set(i, d);
    details.prepend(d);
    return d;
  }
  function openHost(i) { if (!(i >= 0 && i < hosts.length)) return; var d = hostDetails(i); d.open = true; d.scrollIntoView(); }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-host]");
    if (a) { e.preventDefault(); openHost(Number(a.dataset.host)); }
  });
  if (/^#host-\\d+$/.test(location.hash)) openHost(Number(location.hash.slice(6)));
})();
`;
