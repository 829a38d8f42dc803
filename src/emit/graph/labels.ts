import { ALL_PORTS, type Dialect, type PortRange, PROTOCOLS, parseGrantIp, parsePortRange } from '../../policy';
import { aclProtoPorts, type ProtoPorts } from '../../policy/selectors';
import type { AccessEdge, AccessNode, NodeKind } from './model';

/**
 * What an edge allows, as short canonical strings: `*` (every protocol and port), `443` (a port with the default
 * protocols), `tcp:443`, `tcp:8000-8100`, `tcp:*`, `icmp` (a port-less protocol). The strings are produced from the
 * engine's own parse of `ip` / ACL `dst` ports, so `"tcp:443"` and `" tcp:443 "` or `ports: "*"` in an ACL read the
 * same on the map.
 */
const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(PROTOCOLS)
    .filter(([name]) => name !== 'ip-in-ip')
    .map(([name, n]) => [n, name]),
);

function portText(r: PortRange): string {
  if (r.first === ALL_PORTS.first && r.last === ALL_PORTS.last) return '*';
  return r.first === r.last ? `${r.first}` : `${r.first}-${r.last}`;
}

function protoPortsAccess(pp: ProtoPorts): string[] {
  const ports = pp.ports.map(portText);
  if (!pp.protocols) return ports;
  return pp.protocols.flatMap((p) => {
    const name = PROTOCOL_NAMES.get(p) ?? `${p}`;
    // Only TCP, UDP and SCTP carry ports (§4); the others are always `proto:*`, shown as the bare name.
    return ['tcp', 'udp', 'sctp'].includes(name) ? ports.map((port) => `${name}:${port}`) : [name];
  });
}

/** A grant `ip` element; nothing for malformed text (a validated policy has none). */
export function grantAccess(ip: string, dialect: Dialect): string[] {
  const parsed = parseGrantIp(ip, dialect);
  return parsed.ok ? protoPortsAccess(parsed.value) : [];
}

/** The ports part of an ACL `dst` element with the rule's `proto`. */
export function aclAccess(ports: string, proto: string | undefined, dialect: Dialect): string[] {
  const ranges = parsePortRange(ports);
  if (!ranges.ok) return [];
  const pp = aclProtoPorts(proto, ranges.value, dialect);
  return pp.ok ? protoPortsAccess(pp.value) : [];
}

/** Sort key: everything first, then bare ports, then protocols by name; ports numerically within each. */
function accessKey(a: string): [number, string, number] {
  if (a === '*') return [0, '', 0];
  const colon = a.indexOf(':');
  const proto = colon < 0 ? (/^\d/.test(a) ? '' : a) : a.slice(0, colon);
  const port = colon < 0 ? (proto === '' ? a : '') : a.slice(colon + 1);
  const first = port === '*' ? -1 : Number.parseInt(port, 10) || 0;
  return [proto === '' ? 1 : 2, proto, first];
}

export function compareAccess(a: string, b: string): number {
  const ka = accessKey(a);
  const kb = accessKey(b);
  return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0) || ka[2] - kb[2] || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorted, duplicates removed; `*` swallows everything else (it already allows it). */
export function normalizeAccess(items: Iterable<string>): string[] {
  const unique = [...new Set(items)];
  if (unique.includes('*')) return ['*'];
  return unique.sort(compareAccess);
}

/**
 * One short label for a network edge: ports grouped by protocol (`tcp 80, 443`), at most `cap` ports shown and the
 * rest counted (`+3`), so a rule opening 40 ports does not turn the map into a wall of text. The full list stays in
 * the edge's tooltip.
 */
export function compactAccess(access: readonly string[], cap = 4): string {
  if (access.includes('*')) return 'all';
  const groups = new Map<string, string[]>();
  for (const a of access) {
    const colon = a.indexOf(':');
    const [proto, port] = colon < 0 ? (/^\d/.test(a) ? ['', a] : [a, '']) : [a.slice(0, colon), a.slice(colon + 1)];
    const list = groups.get(proto) ?? [];
    if (port !== '') list.push(port === '*' ? 'all' : port);
    groups.set(proto, list);
  }
  const parts: string[] = [];
  let shown = 0;
  for (const [proto, ports] of groups) {
    const room = Math.max(cap - shown, 0);
    const visible = ports.slice(0, room);
    shown += Math.max(visible.length, 1);
    const hidden = ports.length - visible.length;
    if (visible.length === 0 && ports.length > 0) {
      parts.push(`${proto || 'ports'} +${hidden}`);
      continue;
    }
    const list = visible.join(', ') + (hidden > 0 ? ` +${hidden}` : '');
    parts.push([proto, list].filter(Boolean).join(' '));
  }
  return parts.join('; ');
}

/** SSH logins or app capability names, capped the same way. */
export function compactList(items: readonly string[], cap = 4): string {
  const hidden = items.length - cap;
  return items.slice(0, cap).join(', ') + (hidden > 0 ? ` +${hidden}` : '');
}

/**
 * Labels and colours shared by the DOT, Mermaid and HTML renderers, so the three pictures of one policy agree.
 * Colours are chosen to stay apart for the common forms of colour blindness: broad access is red *and* thick,
 * SSH is purple *and* dashed, app capabilities teal *and* dotted.
 */
export interface Palette {
  readonly fill: string;
  readonly stroke: string;
}

const KIND_PALETTE: Readonly<Record<NodeKind, Palette>> = {
  wildcard: { fill: '#fdecec', stroke: '#c53030' },
  autogroup: { fill: '#f1eafd', stroke: '#6b46c1' },
  self: { fill: '#f1eafd', stroke: '#6b46c1' },
  group: { fill: '#e7effb', stroke: '#2b6cb0' },
  users: { fill: '#e7effb', stroke: '#2b6cb0' },
  user: { fill: '#eef5fd', stroke: '#3182ce' },
  tag: { fill: '#e6f4ea', stroke: '#2f855a' },
  host: { fill: '#fdf6e3', stroke: '#975a16' },
  address: { fill: '#fdf6e3', stroke: '#975a16' },
  subnet: { fill: '#fdf6e3', stroke: '#975a16' },
  ipset: { fill: '#fdf6e3', stroke: '#975a16' },
  service: { fill: '#e6f6f6', stroke: '#2c7a7b' },
  internet: { fill: '#fdecec', stroke: '#c53030' },
};

export const BROAD: Palette = { fill: '#fdecec', stroke: '#c53030' };

export const EDGE_COLORS: Readonly<Record<AccessEdge['kind'] | 'broad', string>> = {
  network: '#4a5568',
  ssh: '#805ad5',
  app: '#2c7a7b',
  broad: '#c53030',
};

export function nodePalette(node: AccessNode): Palette {
  return node.broad ? BROAD : KIND_PALETTE[node.kind];
}

export function edgeColor(edge: AccessEdge): string {
  return edge.broad ? EDGE_COLORS.broad : EDGE_COLORS[edge.kind];
}

/** The short text on the edge; the full list is in `edgeTooltip`. */
export function edgeLabel(edge: AccessEdge, cap = 4): string {
  const via = edge.via.length > 0 ? ` via ${compactList(edge.via, 2)}` : '';
  switch (edge.kind) {
    case 'ssh':
      return `ssh${edge.check ? ' (check)' : ''} ${compactList(edge.access, cap)}`;
    case 'app':
      return `app ${compactList(edge.access, 2)}${via}`;
    default:
      return compactAccess(edge.access, cap) + via;
  }
}

export function edgeTooltip(edge: AccessEdge): string {
  const what = edge.kind === 'network' ? edge.access.join(', ') : `${edge.kind}: ${edge.access.join(', ')}`;
  return `${edge.from.slice(4)} → ${edge.to.slice(4)}: ${what} (${edge.rules.join(', ')})`;
}

export function nodeTooltip(node: AccessNode): string {
  const members = node.members && node.members.length > 0 ? `: ${node.members.join(', ')}` : '';
  const more = node.hiddenMembers ? ` +${node.hiddenMembers}` : '';
  return `${node.selector} (${node.detail})${members}${more}`;
}

export const LEGEND: readonly { readonly label: string; readonly color: string; readonly dash: string }[] = [
  { label: 'network access (ports)', color: EDGE_COLORS.network, dash: '' },
  { label: 'Tailscale SSH (logins)', color: EDGE_COLORS.ssh, dash: '6 4' },
  { label: 'app capabilities', color: EDGE_COLORS.app, dash: '2 3' },
  { label: 'broad: *, internet, danger-all', color: EDGE_COLORS.broad, dash: '' },
];
