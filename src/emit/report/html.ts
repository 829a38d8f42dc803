import type { PendingCall } from '../../core/blocking-worker';
import type { Diagnostic } from '../../core/diagnostics';
import type { TestResult } from '../../policy';
import { type AccessEdge, type AccessMap, type AccessNode, edgeLabel, edgeTooltip } from '../graph';
import { esc, filterBox, legendHtml, renderPage } from './page';

/**
 * The access report of one tailnet: the map, who can reach what, the policy tests and their results, lint
 * findings, and (for a synthesized stack) every artifact with its sha256. Pure: the same input gives the same bytes.
 */
export interface Artifact {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface ReportInput {
  readonly title: string;
  /** Absent when the policy does not validate (the diagnostics say why). */
  readonly map?: AccessMap;
  /** The map rendered to SVG. */
  readonly svg?: string;
  /** Set when the SVG shows only this many of the map's edges (a large tailnet). */
  readonly drawnEdges?: number;
  readonly tests: readonly TestResult[];
  /** Validation and inventory findings. */
  readonly diagnostics: readonly Diagnostic[];
  /** Lint findings; undefined when no lint ran (the section says so rather than claiming "none"). */
  readonly lint?: readonly Diagnostic[];
  /** The other files of a synthesized stack; undefined for a bare policy file. */
  readonly artifacts?: readonly Artifact[];
}

export function renderReportHtml(input: ReportInput): string {
  return completeReport(renderReportBody(input), input.artifacts);
}

/**
 * The report without its artifacts list: everything the policy engine decides. Synth renders it where the engine
 * ran (a worker thread, for a large tailnet) and completes it once every other file is written.
 */
export interface ReportBody {
  readonly title: string;
  readonly summary: readonly string[];
  readonly nav: readonly { readonly id: string; readonly label: string }[];
  readonly sections: readonly string[];
}

/** The body's input; an SVG still being laid out is waited for last, after the other sections. */
export type ReportBodyInput = Omit<ReportInput, 'artifacts' | 'svg'> & { readonly svg?: string | PendingCall<string> };

export function renderReportBody(input: ReportBodyInput): ReportBody {
  const others = [
    ...(input.map ? [matrixSection(input.map)] : []),
    testsSection(input.tests),
    lintSection(input.lint, input.diagnostics),
  ];
  const { svg: drawing, ...rest } = input;
  const svg = typeof drawing === 'object' ? drawing.wait() : drawing;
  const passed = input.tests.filter((t) => t.passed).length;
  return {
    title: input.title,
    summary: [
      input.map
        ? `${input.map.nodes.filter((n) => n.side === 'src').length} principals, ${input.map.nodes.filter((n) => n.side === 'dst').length} destinations, ${input.map.edges.length} edges`
        : 'policy does not validate',
      `tests ${passed}/${input.tests.length} passed`,
      input.lint ? `${input.lint.length} lint finding(s)` : 'lint not run',
    ],
    nav: [
      { id: 'map', label: 'Access map' },
      ...(input.map ? [{ id: `${MATRIX_ID}-section`, label: 'Who can reach what' }] : []),
      { id: 'tests', label: 'Policy tests' },
      { id: 'lint', label: 'Lint' },
    ],
    sections: [mapSection({ ...rest, ...(svg !== undefined ? { svg } : {}) }), ...others],
  };
}

/** The page: the body plus, for a synthesized stack, its artifacts (last in the summary, the nav and the page). */
export function completeReport(body: ReportBody, artifacts?: readonly Artifact[]): string {
  const withArtifacts = artifacts !== undefined;
  return renderPage({
    title: `Access report: ${body.title}`,
    summary: [...body.summary, ...(withArtifacts ? [`${artifacts.length} artifacts`] : [])].join(' · '),
    nav: [...body.nav, ...(withArtifacts ? [{ id: 'artifacts', label: 'Artifacts' }] : [])],
    sections: [...body.sections, ...(withArtifacts ? [artifactsSection(artifacts)] : [])],
  });
}

function mapSection(input: Omit<ReportInput, 'artifacts'>): string {
  const body =
    input.svg && input.map && input.map.edges.length > 0
      ? `${legendHtml()}<div class="map">\n${input.svg}</div>`
      : `<p class="note">${input.map ? 'The policy allows no access: nothing to draw.' : 'No map: the policy has errors (see Lint).'}</p>`;
  return `<section id="map">
<h2>Access map</h2>
<p class="note">Principals (rule sources) on the left, destinations on the right. Selectors with the same rights share a box; red marks broad access.</p>
${partialNote(input)}${body}
</section>`;
}

function partialNote(input: Omit<ReportInput, 'artifacts'>): string {
  if (input.drawnEdges === undefined || !input.map) return '';
  return `<p class="note partial">This tailnet is large: the map shows ${input.drawnEdges} of ${input.map.edges.length} edges (broad access first, then the ones between the most devices). The matrix below lists every edge.</p>\n`;
}

function testsSection(tests: readonly TestResult[]): string {
  if (tests.length === 0) {
    return '<section id="tests"><h2>Policy tests</h2><p class="note">The policy has no tests or sshTests.</p></section>';
  }
  const failed = tests.filter((t) => !t.passed).length;
  const rows = tests.map((t) => {
    const badge = t.passed ? '<span class="badge pass">pass</span>' : '<span class="badge fail">FAIL</span>';
    return `<tr class="${t.passed ? 'pass' : 'fail'}"><td>${badge}</td><td class="mono">${esc(`${t.section}[${t.index}]`)}</td><td>${esc(t.assertion)}</td><td>${esc(testDetail(t))}</td><td class="mono">${esc(t.rules.map((r) => `${r.section}[${r.index}]`).join(', '))}</td></tr>`;
  });
  return `<section id="tests">
<h2>Policy tests</h2>
<p class="note">${tests.length - failed} of ${tests.length} assertions pass${failed > 0 ? `; ${failed} fail and Tailscale would reject this policy` : ''}.</p>
<table id="tests-table"><thead><tr><th>result</th><th>test</th><th>assertion</th><th>detail</th><th>rules</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

function testDetail(t: TestResult): string {
  if (t.problem) return t.problem;
  return t.failures.map((f) => `${f.src}${f.dst ? ` → ${f.dst}` : ''}: ${f.got}`).join('; ');
}

function lintSection(lint: readonly Diagnostic[] | undefined, diagnostics: readonly Diagnostic[]): string {
  const lintBody =
    lint === undefined
      ? '<p class="note">Lint was not run for this report.</p>'
      : lint.length === 0
        ? '<p class="note">No lint findings.</p>'
        : diagnosticTable('lint-table', lint);
  const validation =
    diagnostics.length > 0 ? `<h3>Validation</h3>\n${diagnosticTable('validation-table', diagnostics)}` : '';
  return `<section id="lint">
<h2>Lint findings</h2>
${lintBody}
${validation}
</section>`;
}

function diagnosticTable(id: string, diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(
    (d) =>
      `<tr><td><span class="badge ${d.severity}">${d.severity}</span></td><td class="mono">${esc(d.code)}</td><td class="mono">${esc(d.path)}</td><td>${esc(d.message)}${d.hint ? `<br><small>${esc(d.hint)}</small>` : ''}</td></tr>`,
  );
  return `<table id="${id}"><thead><tr><th>severity</th><th>code</th><th>where</th><th>message</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function artifactsSection(artifacts: readonly Artifact[]): string {
  const rows = artifacts.map(
    (a) =>
      `<tr><td class="mono">${esc(a.path)}</td><td class="mono">${a.bytes}</td><td class="mono">${esc(a.sha256)}</td></tr>`,
  );
  return `<section id="artifacts">
<h2>Artifacts</h2>
<p class="note">The other files of this stack, as in manifest.json: compare the sha256 with what you deploy.</p>
<table id="artifacts-table"><thead><tr><th>path</th><th>bytes</th><th>sha256</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}

/**
 * Who can reach what: one row per principal, one column per destination, each cell the access the policy gives
 * (network ports, SSH logins, app capabilities). A row's search text holds the principal, its devices, and every
 * destination and port it reaches, so typing `5432`, `tag:db` or a device name keeps exactly the rows concerned.
 */
export const MATRIX_ID = 'matrix';

export function matrixSection(map: AccessMap): string {
  const principals = map.nodes.filter((n) => n.side === 'src');
  const destinations = map.nodes.filter((n) => n.side === 'dst');
  const cells = edgesByPair(map.edges);
  const head = destinations.map(
    (d) => `<th title="${esc(d.detail)}">${esc(d.selector)}<br><small>${esc(d.detail)}</small></th>`,
  );
  const rows = principals.map((p) => matrixRow(p, destinations, cells));
  return `<section id="${MATRIX_ID}-section">
<h2>Who can reach what</h2>
<p class="note">Rows are the sources of rules, columns their destinations; a cell lists what the rules allow. Filter by any selector, device, port or login.</p>
${filterBox(MATRIX_ID, 'filter: tag:server, 5432, root, a device name')}
<div class="scroll"><table id="${MATRIX_ID}" class="matrix">
<thead><tr><th>principal</th>${head.join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></div>
</section>`;
}

/** Edges by source node, then destination node: a row looks up its own cells without building a key per cell. */
function edgesByPair(edges: readonly AccessEdge[]): Map<string, Map<string, AccessEdge[]>> {
  const out = new Map<string, Map<string, AccessEdge[]>>();
  for (const e of edges) {
    const row = out.get(e.from) ?? new Map<string, AccessEdge[]>();
    out.set(e.from, row);
    const cell = row.get(e.to);
    if (cell) cell.push(e);
    else row.set(e.to, [e]);
  }
  return out;
}

function matrixRow(
  p: AccessNode,
  destinations: readonly AccessNode[],
  cells: Map<string, Map<string, AccessEdge[]>>,
): string {
  const search = [p.selector, p.detail, ...(p.members ?? [])];
  const row = cells.get(p.id);
  const tds = destinations.map((d) => {
    const edges = row?.get(d.id);
    // most pairs have no edge (97 % at 10,000 devices): an empty cell is drawn as a dot by the style sheet
    if (!edges) return '<td></td>';
    search.push(d.selector, d.detail, ...edges.flatMap((e) => [e.kind, ...e.access, ...e.rules]));
    return cell(edges);
  });
  const text = [...new Set(search)].join(' ').toLowerCase();
  const members = p.members && p.members.length > 0 ? `<br><small>${esc(p.members.join(', '))}</small>` : '';
  const th = `<th>${esc(p.selector)}<br><small>${esc(p.detail)}</small>${members}</th>`;
  return `<tr data-search="${esc(text)}">${th}${tds.join('')}</tr>`;
}

function cell(edges: readonly AccessEdge[]): string {
  const lines = edges.map((e) => {
    const cls = e.broad ? 'broad' : e.kind === 'ssh' ? 'ssh' : '';
    return `<span${cls ? ` class="${cls}"` : ''}>${esc(edgeLabel(e, 6))}</span>`;
  });
  const title = edges.map(edgeTooltip).join('\n');
  return `<td class="cell" title="${esc(title)}">${lines.join('<br>')}</td>`;
}
