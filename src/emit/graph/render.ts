import { BlockingWorker, type PendingCall } from '../../core/blocking-worker';
import { edgeColor, edgeLabel, edgeTooltip, nodePalette, nodeTooltip } from './labels';
import type { AccessEdge, AccessMap, AccessNode, BundledNode } from './model';

// Renderers of the access map: DOT (laid out by Graphviz), Mermaid, and SVG from DOT through Graphviz in wasm.

/**
 * The access map in Graphviz DOT. Left to right: a "Principals" cluster and a "Destinations" cluster; every edge
 * goes from the first to the second, so `dot` puts all principals in one column and all destinations in the next,
 * whatever the size. In an expanded map each node is a cluster listing its devices, and edges attach to the
 * cluster (`compound`), so expanding adds nodes but never edges.
 */
export interface DotOptions {
  /** Printed above the map. */
  readonly title?: string;
  /**
   * Above this many edges, labels become `xlabel`s, placed after layout: as ordinary labels `dot` stacks them in a
   * column between principals and destinations, and at 100 edges that column makes the map several metres tall.
   * @default 40
   */
  readonly labelLimit?: number;
  /** Overrides the look of some edges (the access diff colours gained edges green and lost ones red). */
  readonly edgeStyle?: (edge: AccessEdge) => EdgeStyle | undefined;
}

export interface EdgeStyle {
  readonly color: string;
  readonly label: string;
  readonly penwidth: number;
  readonly className: string;
}

/**
 * Graphviz in wasm has no fonts: it sizes text from built-in metrics, and only for a single family name (a list
 * falls back to narrow Times metrics, and text overflows its box). Verdana is the widest common sans-serif it
 * knows, about as wide as DejaVu Sans, Linux's usual fallback; the SVG names fallbacks (see `cleanSvg`).
 */
export const FONT = 'Verdana';

export function renderDot(map: AccessMap, options: DotOptions = {}): string {
  const ids = nodeIds(map);
  const external = map.edges.length > (options.labelLimit ?? 40);
  const graph = [
    'rankdir=LR',
    external ? 'ranksep=2.6, forcelabels=false' : 'ranksep=1.1',
    'nodesep=0.2',
    `fontname=${q(FONT)}`,
    'fontsize=12',
    'labelloc=t',
    ...(map.expanded ? ['compound=true'] : []),
    ...(options.title ? [`label=${q(options.title)}`] : []),
  ];
  const lines = [
    'digraph access {',
    `  graph [${graph.join(', ')}];`,
    `  node [shape=box, style="rounded,filled", fontname=${q(FONT)}, fontsize=11, penwidth=1.2, margin="0.22,0.07"];`,
    `  edge [fontname=${q(FONT)}, fontsize=9, arrowsize=0.7];`,
    ...sideCluster(map, 'src', 'Principals', ids),
    ...sideCluster(map, 'dst', 'Destinations', ids),
    ...map.edges.map((e) => `  ${edgeLine(map, e, ids, options.edgeStyle?.(e) ?? defaultStyle(e), external)}`),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** Short stable identifiers (`s0`, `d3`) keep the DOT and the SVG small; the selector is in the label. */
function nodeIds(map: AccessMap): Map<string, string> {
  const counters = { src: 0, dst: 0 };
  return new Map(map.nodes.map((n) => [n.id, `${n.side === 'src' ? 's' : 'd'}${counters[n.side]++}`]));
}

function sideCluster(map: AccessMap, side: AccessNode['side'], label: string, ids: Map<string, string>): string[] {
  const nodes = map.nodes.filter((n) => n.side === side);
  if (nodes.length === 0) return [];
  const body = nodes.flatMap((n) => (map.expanded ? memberCluster(n, ids.get(n.id)!) : [nodeLine(n, ids.get(n.id)!)]));
  return [
    `  subgraph cluster_${side} {`,
    `    graph [label=${q(label)}, style="rounded,dashed", color="#cbd5e0", fontcolor="#4a5568"];`,
    ...body.map((l) => `    ${l}`),
    '  }',
  ];
}

function nodeLine(n: AccessNode, id: string): string {
  const p = nodePalette(n);
  const attrs = [
    `label=<${nodeHtml(n)}>`,
    `fillcolor=${q(p.fill)}`,
    `color=${q(p.stroke)}`,
    ...(n.broad ? ['penwidth=2.4'] : []),
    `tooltip=${q(nodeTooltip(n))}`,
    `class=${q(`access-node kind-${n.kind}${n.broad ? ' broad' : ''}`)}`,
  ];
  return `${id} [${attrs.join(', ')}];`;
}

/** Selector, then a smaller grey line of detail; a bundle has one such pair per selector it stands for. */
function nodeHtml(n: BundledNode): string {
  const detail = (text: string) => `<font point-size="9" color="#4a5568">${html(text)}</font>`;
  if (!n.parts) return `${html(n.selector)}<br/>${detail(n.detail)}`;
  return n.parts.map((p) => `${html(p.selector)} ${detail(p.detail)}`).join('<br/>');
}

/** An expanded node: a cluster titled like the collapsed node, one small box per device (or a placeholder). */
function memberCluster(n: AccessNode, id: string): string[] {
  const p = nodePalette(n);
  const members = n.members ?? [];
  const boxes = members.length > 0 ? members : ['(no devices)'];
  const more = n.hiddenMembers ? [`+${n.hiddenMembers} more`] : [];
  return [
    `subgraph cluster_${id} {`,
    `  graph [label=<${nodeHtml(n)}>, style="rounded,filled", fillcolor=${q(p.fill)}, color=${q(p.stroke)}, tooltip=${q(nodeTooltip(n))}, class=${q(`access-node kind-${n.kind}${n.broad ? ' broad' : ''}`)}];`,
    ...[...boxes, ...more].map(
      (m, i) =>
        `  ${id}_${i} [label=${q(m)}, fontsize=9, fillcolor="#ffffff", color=${q(p.stroke)}, height=0.25, class="access-member"];`,
    ),
    '}',
  ];
}

function defaultStyle(e: AccessEdge): EdgeStyle {
  return {
    color: edgeColor(e),
    label: edgeLabel(e),
    penwidth: e.broad ? 2.4 : 1.3,
    className: `access-edge kind-${e.kind}${e.broad ? ' broad' : ''}`,
  };
}

function edgeLine(
  map: AccessMap,
  e: AccessEdge,
  ids: Map<string, string>,
  style: EdgeStyle,
  externalLabel: boolean,
): string {
  const from = ids.get(e.from)!;
  const to = ids.get(e.to)!;
  const attrs = [
    `${externalLabel ? 'xlabel' : 'label'}=${q(style.label)}`,
    `color=${q(style.color)}`,
    `fontcolor=${q(style.color)}`,
    `style=${e.kind === 'ssh' ? 'dashed' : e.kind === 'app' ? 'dotted' : 'solid'}`,
    `penwidth=${style.penwidth}`,
    `tooltip=${q(edgeTooltip(e))}`,
    `class=${q(style.className)}`,
  ];
  if (!map.expanded) return `${from} -> ${to} [${attrs.join(', ')}];`;
  // Edges attach to the first box of each cluster and are clipped at the cluster border.
  return `${from}_0 -> ${to}_0 [${[...attrs, `ltail=cluster_${from}`, `lhead=cluster_${to}`].join(', ')}];`;
}

/** A DOT double-quoted string. */
export function q(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Text inside a DOT HTML-like label. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The access map as a Mermaid flowchart, for places that render Mermaid but not SVG attachments (GitHub pull request
 * comments, wikis). Same layout idea as the DOT: principals and destinations in two subgraphs, left to right; broad
 * edges thick (`==>`) and red, SSH and app edges dotted (`-.->`) in their colours.
 */
export function renderMermaid(map: AccessMap): string {
  const ids = new Map(map.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = [
    'flowchart LR',
    ...mermaidSide(map, 'src', 'Principals', ids),
    ...mermaidSide(map, 'dst', 'Destinations', ids),
    ...map.edges.map((e) => `  ${mermaidEdge(e, ids)}`),
    ...map.edges.map((e, i) => `  linkStyle ${i} ${mermaidLinkStyle(e)}`),
    ...mermaidClasses(map, ids),
  ];
  return `${lines.join('\n')}\n`;
}

function mermaidSide(map: AccessMap, which: AccessNode['side'], title: string, ids: Map<string, string>): string[] {
  const nodes = map.nodes.filter((n) => n.side === which);
  if (nodes.length === 0) return [];
  const body = nodes.flatMap((n) =>
    map.expanded ? mermaidMembers(n, ids.get(n.id)!) : [mermaidNode(n, ids.get(n.id)!)],
  );
  return [`  subgraph ${which}["${mermaidText(title)}"]`, ...body.map((l) => `    ${l}`), '  end'];
}

function mermaidNode(n: AccessNode, id: string): string {
  return `${id}["${mermaidLabel(n)}"]`;
}

function mermaidLabel(n: BundledNode): string {
  if (!n.parts) return `${mermaidText(n.selector)}<br/><small>${mermaidText(n.detail)}</small>`;
  return n.parts.map((p) => `${mermaidText(p.selector)} <small>${mermaidText(p.detail)}</small>`).join('<br/>');
}

/** An expanded node is a subgraph of device boxes; Mermaid links subgraphs directly. */
function mermaidMembers(n: AccessNode, id: string): string[] {
  const boxes = (n.members ?? []).length > 0 ? [...n.members!] : ['(no devices)'];
  if (n.hiddenMembers) boxes.push(`+${n.hiddenMembers} more`);
  return [`subgraph ${id}["${mermaidLabel(n)}"]`, ...boxes.map((m, i) => `  ${id}_${i}["${mermaidText(m)}"]`), 'end'];
}

function mermaidEdge(e: AccessEdge, ids: Map<string, string>): string {
  const arrow = e.kind !== 'network' ? '-.->' : e.broad ? '==>' : '-->';
  return `${ids.get(e.from)} ${arrow}|"${mermaidText(edgeLabel(e))}"| ${ids.get(e.to)}`;
}

function mermaidLinkStyle(e: AccessEdge): string {
  return `stroke:${edgeColor(e)},stroke-width:${e.broad ? 3 : 1.5}px,color:${edgeColor(e)}`;
}

/** One class per palette actually used, applied to the nodes (or expanded subgraphs) that use it. */
function mermaidClasses(map: AccessMap, ids: Map<string, string>): string[] {
  const classes = new Map<string, { def: string; ids: string[] }>();
  for (const n of map.nodes) {
    const p = nodePalette(n);
    const name = n.broad ? 'broad' : n.kind;
    const entry = classes.get(name) ?? {
      def: `fill:${p.fill},stroke:${p.stroke},stroke-width:${n.broad ? 2.5 : 1.2}px,color:#1a202c`,
      ids: [],
    };
    entry.ids.push(ids.get(n.id)!);
    classes.set(name, entry);
  }
  return [...classes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, { def, ids: members }]) => [`  classDef ${name} ${def}`, `  class ${members.join(',')} ${name}`]);
}

/** Mermaid labels are quoted: a quote becomes `#quot;`, and `#` itself starts an entity, so it is escaped too. */
function mermaidText(s: string): string {
  return s.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/**
 * DOT → SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no system binary.
 *
 * @viz-js/viz only offers an async `instance()` (the wasm is compiled with `await`), while emitters are synchronous
 * pure functions and `synthesize()` must stay synchronous for its many callers. So the library runs in a worker
 * thread that the caller blocks on (src/core/blocking-worker.ts). Once started, the worker keeps its Graphviz
 * instance, so every later render costs only the layout.
 */
const graphviz = new BlockingWorker<string, string>({
  label: 'graphviz (wasm)',
  workerData: { vizPath: require.resolve('@viz-js/viz') },
  handler: `
const ready = require(workerData.vizPath).instance();
return async (dot) => {
  const result = (await ready).render(dot, { format: 'svg' });
  if (result.status !== 'success') throw new Error(result.errors.map((e) => e.message).join('; ') || 'graphviz failed');
  return result.output;
};`,
  // long enough for a 500-node expanded map on a slow CI machine
  timeoutMs: 120_000,
});

const FALLBACK_FONTS = 'Verdana,DejaVu Sans,Bitstream Vera Sans,Arial,sans-serif';

/** Starts Graphviz (compiling its wasm takes about 0.1 s) so that it is ready by the first render. */
export function startGraphviz(): void {
  graphviz.start();
}

/** Renders DOT to an SVG document (see `cleanSvg`); throws with Graphviz's message on invalid DOT. */
export function renderSvg(dot: string): string {
  return startSvg(dot).wait();
}

/** `renderSvg`, laid out on Graphviz's thread while the caller goes on; `wait()` gives the SVG. */
export function startSvg(dot: string): PendingCall<string> {
  const pending = graphviz.call(dot);
  return { wait: () => cleanSvg(pending.wait()) };
}

/**
 * Artifacts carry no tool versions (DESIGN.md determinism): Graphviz writes its version in a comment, so the XML
 * prolog, doctype and every comment go. Text laid out with Verdana metrics (dot.ts) gets fallbacks of the same
 * width or narrower, so it never overflows its box where Verdana is missing. The rest is Graphviz's output.
 */
export function cleanSvg(svg: string): string {
  const body = svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/<!DOCTYPE[^>]*>\s*/g, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '')
    .replaceAll('font-family="Verdana"', `font-family="${FALLBACK_FONTS}"`);
  return `${body.trim()}\n`;
}
