/**
 * The HTML report: one self-contained file that works offline. vega, vega-lite and vega-embed are
 * inlined (bundles.ts), the specs ride in a JSON script element, and a Content-Security-Policy forbids
 * every network fetch ('unsafe-eval' because vega compiles its expressions). Charts get tooltips and
 * legend toggles from their specs; tables sort on a click on their header.
 */
import { type Block, chartsOf, type ReportModel, type Table } from './blocks.ts';
import { vegaBundles } from './bundles.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 2rem 4rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
nav ol { columns: 2; } figure { margin: 1.5rem 0; } figcaption { color: #666; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
caption { text-align: left; color: #666; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 0.25rem 0.6rem; }
th { cursor: pointer; user-select: none; background: #f6f6f6; text-align: left; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.chart-error { color: #b00; }`;

/** Clicking a header sorts the body by that column (numbers by data-sort), again to reverse. */
const SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('report-specs').textContent);
  Object.keys(specs).forEach(function (id) {
    var el = document.getElementById('chart-' + id);
    vegaEmbed(el, specs[id], { actions: false, renderer: 'svg' }).catch(function (e) {
      el.textContent = 'chart failed: ' + e.message; el.className = 'chart-error'; console.error(e);
    });
  });
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (r) { var c = r.cells[col]; var s = c.getAttribute('data-sort'); return th.classList.contains('num') ? (s === '' ? NaN : Number(s)) : c.textContent; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (typeof x === 'number') { if (isNaN(x)) return 1; if (isNaN(y)) return -1; return asc ? x - y : y - x; }
          return asc ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();`;

function table(t: Table): string {
  const head = t.columns
    .map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`)
    .join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) => {
            const num = t.columns[i]?.numeric === true;
            const sort = c.sort === null ? '' : String(c.sort);
            return `<td${num ? ' class="num"' : ''} data-sort="${escapeHtml(sort)}">${escapeHtml(c.text)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table class="sortable"><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'chart':
      return `<figure><div class="chart" id="chart-${b.chart.id}"></div><figcaption>${escapeHtml(b.chart.title)}</figcaption></figure>`;
    case 'table':
      return table(b.table);
  }
}

export function renderHtml(report: ReportModel): string {
  // No $schema in the specs: vega-embed would warn that the notebook's v5 is not its v6.
  const specs = Object.fromEntries(chartsOf(report).map((c) => [c.id, c.spec]));
  const toc = report.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('');
  const body = report.sections
    .map(
      (s) =>
        `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(block).join('\n')}\n</section>`,
    )
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<nav><ol>${toc}</ol></nav>`,
    body,
    '</main>',
    `<script type="application/json" id="report-specs">${scriptJson(specs)}</script>`,
    ...vegaBundles().map((js) => `<script>${js}</script>`),
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
