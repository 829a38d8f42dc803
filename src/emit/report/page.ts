import { LEGEND } from '../graph';

/**
 * The page shell shared by the access report and the access diff: one self-contained HTML file. Styles and the
 * script are inline, and the Content-Security-Policy forbids every fetch (`default-src 'none'`), so the page cannot
 * load anything even if some later edit tried to: it opens the same from a CI artifact, an e-mail or an air-gapped
 * laptop.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { --fg: #1a202c; --muted: #4a5568; --line: #e2e8f0; --pass: #2f855a; --fail: #c53030; --ssh: #805ad5; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { background: #1a202c; color: #fff; padding: 16px 28px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header .summary { margin: 4px 0 0; color: #cbd5e0; }
header nav { margin-top: 8px; font-size: 13px; }
header nav a { color: #90cdf4; margin-right: 16px; text-decoration: none; }
main { padding: 4px 28px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 18px 0; }
h2 { font-size: 16px; margin: 0 0 10px; }
.note { color: var(--muted); font-size: 13px; margin: 0 0 10px; }
.map { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.map svg { max-width: 100%; height: auto; }
.map svg text { font-family: Verdana, "DejaVu Sans", "Bitstream Vera Sans", Arial, sans-serif; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; font-size: 12px; color: var(--muted); margin: 0 0 8px; }
.legend svg { vertical-align: middle; margin-right: 4px; }
.scroll { overflow: auto; max-height: 70vh; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 9px; text-align: left; vertical-align: top; }
thead th { background: #edf2f7; position: sticky; top: 0; z-index: 1; }
tbody th { font-weight: 600; white-space: nowrap; }
small, .detail { color: var(--muted); font-weight: normal; font-size: 11px; }
.mono, td.cell { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
td.cell { white-space: nowrap; }
table.matrix td:empty::after { content: "·"; color: #cbd5e0; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
td .broad { color: var(--fail); font-weight: 600; }
td .ssh { color: var(--ssh); }
.badge { display: inline-block; min-width: 42px; text-align: center; padding: 1px 7px; border-radius: 10px;
  font-size: 11px; font-weight: 700; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.warning { background: #b7791f; } .badge.info { background: #4a5568; } .badge.error { background: var(--fail); }
.toolbar { display: flex; align-items: center; gap: 12px; margin: 0 0 10px; }
input[type=search] { width: 340px; padding: 6px 10px; border: 1px solid #cbd5e0; border-radius: 6px; font: inherit; }
tr.gained td, tr.gained th { background: #f0fff4; } tr.gained .change { color: var(--pass); font-weight: 700; }
tr.lost td, tr.lost th { background: #fff5f5; } tr.lost .change { color: var(--fail); font-weight: 700; }
tr.changed .change { color: #b7791f; font-weight: 700; }
.gain { color: var(--pass); } .loss { color: var(--fail); }
`;

/** Row filter for every `table[data-filter]`: all whitespace-separated terms must occur in the row's data-search. */
const SCRIPT = `
(function () {
  document.querySelectorAll('input[data-filter]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filter'));
    var count = document.getElementById(input.getAttribute('data-count'));
    var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr'));
    function apply() {
      var terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute('data-search') || '';
        var match = terms.every(function (t) { return text.indexOf(t) >= 0; });
        row.hidden = !match;
        if (match) shown++;
      });
      if (count) count.textContent = shown + ' of ' + rows.length + ' rows';
    }
    input.addEventListener('input', apply);
    apply();
  });
})();
`;

/** HTML text and attribute escaping. */
const NEEDS_ESCAPE = /[&<>"']/;

export function esc(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text; // most labels: selectors, counts, ports
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface PageParts {
  readonly title: string;
  readonly summary: string;
  readonly nav: readonly { readonly id: string; readonly label: string }[];
  readonly sections: readonly string[];
}

export function renderPage(parts: PageParts): string {
  const nav = parts.nav.map((n) => `<a href="#${esc(n.id)}">${esc(n.label)}</a>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(parts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(parts.title)}</h1><p class="summary">${esc(parts.summary)}</p><nav>${nav}</nav></header>
<main>
${parts.sections.join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The map's legend as small inline SVG line samples. */
export function legendHtml(): string {
  const items = LEGEND.map(
    (l) =>
      `<span><svg width="34" height="10" aria-hidden="true"><line x1="1" y1="5" x2="33" y2="5" stroke="${l.color}" stroke-width="2"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/></svg>${esc(l.label)}</span>`,
  );
  return `<p class="legend">${items.join('')}</p>`;
}

/** A search box wired to a table by the page script. */
export function filterBox(tableId: string, placeholder: string): string {
  return `<div class="toolbar"><input type="search" id="${tableId}-search" data-filter="${tableId}" data-count="${tableId}-count" placeholder="${esc(placeholder)}" aria-label="${esc(placeholder)}"><span id="${tableId}-count" class="note"></span></div>`;
}
