import {
  type AccessEdge,
  type AccessMap,
  type AccessNode,
  compactAccess,
  type EdgeKind,
  type EdgeStyle,
  renderDot,
  renderSvg,
} from '../graph';
import { esc, filterBox, renderPage } from './page';

/**
 * Who gains and who loses access between two versions of a policy, for `plan --format html`: compare the access
 * maps edge by edge (principal, destination, kind) and list what each edge gained and lost. `*` covers every other
 * port, so `tcp:443` → `*` is a gain of `*` and no loss. The page draws only the edges that changed — gained green,
 * lost red, changed amber — over the nodes they touch, and a filterable table of every change.
 */
export type ChangeKind = 'gained' | 'lost' | 'changed';

export interface AccessChange {
  readonly change: ChangeKind;
  /** Principal and destination selectors. */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly gained: readonly string[];
  readonly lost: readonly string[];
  /** Broad on either side (after the change, or before it for a loss). */
  readonly broad: boolean;
}

export interface AccessDiff {
  /** Sorted by principal, destination, kind. */
  readonly changes: readonly AccessChange[];
  readonly unchanged: number;
}

export function diffAccessMaps(before: AccessMap, after: AccessMap): AccessDiff {
  const key = (e: AccessEdge) => `${e.from}\u0000${e.to}\u0000${e.kind}`;
  const old = new Map(before.edges.map((e) => [key(e), e]));
  const now = new Map(after.edges.map((e) => [key(e), e]));
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: AccessChange[] = [];
  let unchanged = 0;
  for (const k of keys) {
    const change = compareEdge(old.get(k), now.get(k));
    if (change) changes.push(change);
    else unchanged++;
  }
  return { changes, unchanged };
}

function compareEdge(before: AccessEdge | undefined, after: AccessEdge | undefined): AccessChange | undefined {
  const edge = (after ?? before)!;
  const was = new Set(before?.access ?? []);
  const is = new Set(after?.access ?? []);
  const gained = was.has('*') ? [] : [...is].filter((a) => !was.has(a));
  const lost = is.has('*') ? [] : [...was].filter((a) => !is.has(a));
  if (gained.length === 0 && lost.length === 0) return undefined;
  const change: ChangeKind = !before
    ? 'gained'
    : !after
      ? 'lost'
      : lost.length === 0
        ? 'gained'
        : gained.length === 0
          ? 'lost'
          : 'changed';
  return { change, from: edge.from.slice(4), to: edge.to.slice(4), kind: edge.kind, gained, lost, broad: edge.broad };
}

export interface DiffHtmlInput {
  /** e.g. `kernelcore: main → this branch`. */
  readonly title: string;
  readonly before: AccessMap;
  readonly after: AccessMap;
}

const CHANGE_COLORS: Readonly<Record<ChangeKind, string>> = { gained: '#2f855a', lost: '#c53030', changed: '#b7791f' };

export function renderDiffHtml(input: DiffHtmlInput): string {
  const diff = diffAccessMaps(input.before, input.after);
  const count = (c: ChangeKind) => diff.changes.filter((x) => x.change === c).length;
  const summary = `${count('gained')} gained, ${count('lost')} lost, ${count('changed')} changed, ${diff.unchanged} unchanged`;
  const sections =
    diff.changes.length === 0
      ? [
          '<section id="changes"><h2>No change in access</h2><p class="note">Both policies give the same access.</p></section>',
        ]
      : [diffMapSection(input, diff), changesSection(diff)];
  const nav =
    diff.changes.length === 0
      ? []
      : [
          { id: 'diff-map', label: 'Map' },
          { id: 'changes', label: 'Changes' },
        ];
  return renderPage({ title: `Access diff: ${input.title}`, summary, nav, sections });
}

function changeLabel(c: AccessChange): string {
  const list = (items: readonly string[]) => (c.kind === 'network' ? compactAccess(items) : items.join(', '));
  const prefix = c.kind === 'network' ? '' : `${c.kind} `;
  const parts = [
    ...(c.gained.length > 0 ? [`+${list(c.gained)}`] : []),
    ...(c.lost.length > 0 ? [`−${list(c.lost)}`] : []),
  ];
  return prefix + parts.join(' ');
}

/** The changed edges only, as one map: nodes from whichever version has them (the newer one when both do). */
function diffMapSection(input: DiffHtmlInput, diff: AccessDiff, idPrefix = '', heading = 'Changed access'): string {
  const byKey = new Map(diff.changes.map((c) => [`src:${c.from}\u0000dst:${c.to}\u0000${c.kind}`, c]));
  const edgeKey = (e: AccessEdge) => `${e.from}\u0000${e.to}\u0000${e.kind}`;
  const edges = [...input.after.edges, ...input.before.edges].filter(
    (e, i, all) => byKey.has(edgeKey(e)) && all.findIndex((x) => edgeKey(x) === edgeKey(e)) === i,
  );
  const used = new Set(edges.flatMap((e) => [e.from, e.to]));
  const nodes = new Map<string, AccessNode>();
  for (const n of [...input.after.nodes, ...input.before.nodes])
    if (used.has(n.id) && !nodes.has(n.id)) nodes.set(n.id, n);
  const map: AccessMap = { expanded: false, nodes: [...nodes.values()], edges };
  const edgeStyle = (e: AccessEdge): EdgeStyle => {
    const c = byKey.get(edgeKey(e))!;
    return {
      color: CHANGE_COLORS[c.change],
      label: changeLabel(c),
      penwidth: 2.2,
      className: `access-edge ${c.change}`,
    };
  };
  return `<section id="${idPrefix}diff-map">
<h2>${esc(heading)}</h2>
<p class="note"><span class="gain">green: gained</span> · <span class="loss">red: lost</span> · amber: both</p>
<div class="map">
${renderSvg(renderDot(map, { edgeStyle }))}</div>
</section>`;
}

function changesSection(diff: AccessDiff, idPrefix = '', heading = 'Changes'): string {
  const rows = diff.changes.map((c) => {
    const search = [c.change, c.from, c.to, c.kind, ...c.gained, ...c.lost].join(' ').toLowerCase();
    return `<tr class="${c.change}" data-search="${esc(search)}"><td class="change">${c.change}</td><th>${esc(c.from)}</th><td>${esc(c.to)}</td><td>${c.kind}</td><td class="cell gain">${esc(c.gained.join(', '))}</td><td class="cell loss">${esc(c.lost.join(', '))}</td></tr>`;
  });
  return `<section id="${idPrefix}changes">
<h2>${esc(heading)}</h2>
${filterBox(`${idPrefix}changes-table`, 'filter: gained, lost, tag:server, 22')}
<div class="scroll"><table id="${idPrefix}changes-table">
<thead><tr><th>change</th><th>principal</th><th>destination</th><th>kind</th><th>gained</th><th>lost</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>
</section>`;
}

/**
 * `plan --format html` over several stacks: one page, each changed stack with its own map and table (ids prefixed
 * with the stack's position), unchanged stacks listed in the summary. One stack gives exactly `renderDiffHtml`.
 */
export function renderPlanHtml(title: string, stacks: readonly DiffHtmlInput[]): string {
  if (stacks.length === 1) return renderDiffHtml(stacks[0]);
  const diffs = stacks.map((s) => ({ input: s, diff: diffAccessMaps(s.before, s.after) }));
  const changed = diffs.filter((d) => d.diff.changes.length > 0);
  const unchanged = diffs.filter((d) => d.diff.changes.length === 0).map((d) => d.input.title);
  const sections = changed.flatMap(({ input, diff }, i) => [
    diffMapSection(input, diff, `s${i}-`, `${input.title}: changed access`),
    changesSection(diff, `s${i}-`, `${input.title}: changes`),
  ]);
  if (changed.length === 0) {
    sections.push(
      '<section id="changes"><h2>No change in access</h2><p class="note">Every stack gives the same access.</p></section>',
    );
  }
  const summary = `${changed.length} of ${stacks.length} stacks changed${unchanged.length > 0 ? `; unchanged: ${unchanged.join(', ')}` : ''}`;
  const nav = changed.map(({ input }, i) => ({ id: `s${i}-diff-map`, label: input.title }));
  return renderPage({ title: `Access diff: ${title}`, summary, nav, sections });
}
