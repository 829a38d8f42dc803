import { type Diagnostic, hasErrors, sortDiagnostics } from '../../core/diagnostics';
import {
  type CompiledPolicy,
  compilePolicy,
  type Inventory,
  POLICY_CODES,
  type PolicyCheck,
  type PolicyInput,
  parseInventory,
  runPolicyTests,
  synthLintOptions,
  type TestResult,
  type ValidateOptions,
  validatePolicy,
  withRepresentativeDevices,
} from '../../policy';
import { lintPolicy } from '../../policy/lint';
import { normalizeAccess } from './labels';
import { describeNode, type EdgeKind, KIND_ORDER, type NodeKind, type RuleEdge, ruleEdges, type Side } from './resolve';

export type { EdgeKind, NodeKind, Side } from './resolve';

/**
 * The access map: principals (the `src` of rules) on one side, destinations on the other, one edge per (principal,
 * destination, kind) with every rule that contributes to it merged in. Nodes are the selectors the policy is written
 * in, so the map stays as small as the policy however many devices the tailnet has; `expand` lists each node's
 * devices inside it (capped), without adding edges.
 */
export interface AccessNode {
  /** `src:tag:server` or `dst:tag:server`: a selector on both sides is drawn twice, so the map reads left to right. */
  readonly id: string;
  readonly side: Side;
  readonly selector: string;
  readonly kind: NodeKind;
  /** One line under the selector: device count, the address, its subnet router or exit node. */
  readonly detail: string;
  /** `*`, autogroup:internet, autogroup:danger-all, a /0 prefix. */
  readonly broad: boolean;
  readonly deviceCount: number;
  /** Expanded maps only: device short names, sorted, at most `maxMembers`. */
  readonly members?: readonly string[];
  /** Expanded maps only: devices left out of `members`. */
  readonly hiddenMembers?: number;
}

export interface AccessEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** network: `*`, `443`, `tcp:443`, `icmp` …; ssh: logins; app: capability names. Sorted, unique. */
  readonly access: readonly string[];
  /** Either end is broad: drawn in red. */
  readonly broad: boolean;
  /** The merged rules, in file order (`grants[0]`, `acls[3]`, `ssh[1]`). */
  readonly rules: readonly string[];
  /** Grants with `via`: the router tags the traffic must pass. */
  readonly via: readonly string[];
  /** SSH `check` (periodic re-authentication) on at least one merged rule. */
  readonly check: boolean;
}

export interface AccessMap {
  readonly expanded: boolean;
  /** Principals first, then destinations; by kind, then selector. */
  readonly nodes: readonly AccessNode[];
  /** By source node, destination node, kind. */
  readonly edges: readonly AccessEdge[];
}

export interface AccessMapOptions {
  /** List the devices inside each node. @default false */
  readonly expand?: boolean;
  /** Devices listed per node when expanded; the rest are counted. @default 12 */
  readonly maxMembers?: number;
  /**
   * Only the first n devices of the compiled policy are real; the others are representative devices added for
   * policy tests (synth's check compiles with them), left out of every count. @default all
   */
  readonly realDevices?: number;
}

export function buildAccessMap(compiled: CompiledPolicy, options: AccessMapOptions = {}): AccessMap {
  const edges = mergeEdges(ruleEdges(compiled.policy, compiled.dialect));
  const endpoints = new Map<string, { side: Side; selector: string }>();
  for (const e of edges) {
    endpoints.set(e.from, { side: 'src', selector: e.from.slice(4) });
    endpoints.set(e.to, { side: 'dst', selector: e.to.slice(4) });
  }
  const nodes = [...endpoints.entries()].map(([id, { side, selector }]) =>
    makeNode(compiled, id, side, selector, options),
  );
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    expanded: options.expand === true,
    nodes: nodes.sort(compareNodes),
    edges: edges
      .map((e) => ({ ...e, broad: byId.get(e.from)!.broad || byId.get(e.to)!.broad }))
      .sort((a, b) => compareNodes(byId.get(a.from)!, byId.get(b.from)!) || compareEdgeEnds(a, b, byId)),
  };
}

/**
 * The part of a large map worth drawing: at most `maxEdges` edges, broad access first (what a reviewer must see),
 * then the edges between the most devices; nodes without a kept edge go. Graphviz needs minutes for a map of
 * thousands of edges and the result is unreadable anyway; the report's matrix still lists every edge.
 */
export function focusAccessMap(map: AccessMap, maxEdges: number): AccessMap {
  if (map.edges.length <= maxEdges) return map;
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const reach = (e: AccessEdge) => byId.get(e.from)!.deviceCount * byId.get(e.to)!.deviceCount;
  const ranked = map.edges.map((edge, order) => ({ edge, order, reach: reach(edge) }));
  ranked.sort((a, b) => Number(b.edge.broad) - Number(a.edge.broad) || b.reach - a.reach || a.order - b.order);
  const kept = new Set(ranked.slice(0, maxEdges).map((r) => r.order));
  const edges = map.edges.filter((_, i) => kept.has(i));
  const used = new Set(edges.flatMap((e) => [e.from, e.to]));
  return { ...map, nodes: map.nodes.filter((n) => used.has(n.id)), edges };
}

export function nodeId(side: Side, selector: string): string {
  return `${side}:${selector}`;
}

function makeNode(
  compiled: CompiledPolicy,
  id: string,
  side: Side,
  selector: string,
  options: AccessMapOptions,
): AccessNode {
  const facts = describeNode(compiled, selector, side, options.realDevices);
  const node = {
    id,
    side,
    selector,
    kind: facts.kind,
    detail: facts.detail,
    broad: facts.broad,
    deviceCount: facts.devices.length,
  };
  if (!options.expand) return node;
  const max = options.maxMembers ?? 12;
  const all = facts.devices.map((i) => compiled.devices[i].shortName).sort();
  return { ...node, members: all.slice(0, max), hiddenMembers: Math.max(all.length - max, 0) };
}

/** Parallel edges (same ends, same kind) become one: access and rules united, so 30 rules do not draw 30 lines. */
function mergeEdges(raw: readonly RuleEdge[]): Omit<AccessEdge, 'broad'>[] {
  const merged = new Map<string, { edge: Omit<AccessEdge, 'broad'>; access: string[]; rules: string[] }>();
  for (const r of raw) {
    const from = nodeId('src', r.src);
    const to = nodeId('dst', r.dst);
    const key = `${from}\u0000${to}\u0000${r.kind}`;
    const seen = merged.get(key);
    if (!seen) {
      const edge = { from, to, kind: r.kind, access: [], rules: [], via: r.via, check: r.check };
      merged.set(key, { edge, access: [...r.access], rules: [r.rule] });
      continue;
    }
    seen.access.push(...r.access);
    if (!seen.rules.includes(r.rule)) seen.rules.push(r.rule);
    seen.edge = {
      ...seen.edge,
      via: [...new Set([...seen.edge.via, ...r.via])].sort(),
      check: seen.edge.check || r.check,
    };
  }
  return [...merged.values()].map(({ edge, access, rules }) => ({
    ...edge,
    access: edge.kind === 'network' ? normalizeAccess(access) : [...new Set(access)].sort(),
    rules,
  }));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNodes(a: AccessNode, b: AccessNode): number {
  return (
    (a.side === b.side ? 0 : a.side === 'src' ? -1 : 1) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    compareStrings(a.selector, b.selector)
  );
}

function compareEdgeEnds(
  a: Omit<AccessEdge, 'broad'>,
  b: Omit<AccessEdge, 'broad'>,
  byId: ReadonlyMap<string, AccessNode>,
): number {
  return compareNodes(byId.get(a.to)!, byId.get(b.to)!) || compareStrings(a.kind, b.kind);
}

/**
 * For drawing: nodes of one side and kind whose edges are identical (same other ends, kinds, access) become one
 * node listing them all. Policies give many selectors the same rights (`src: [tag:client, tag:laptop]`), and a map
 * that draws each of them separately repeats every edge; bundling keeps the picture as small as the distinct
 * rights. Principals are bundled first, then destinations by their (bundled) incoming edges. Broad and non-broad
 * nodes never share a bundle, so red still means what it says.
 */
export interface BundledNode extends AccessNode {
  /** The nodes this one stands for (two or more); absent for a node drawn alone. */
  readonly parts?: readonly AccessNode[];
}

export interface BundledMap extends AccessMap {
  readonly nodes: readonly BundledNode[];
}

export function bundleAccessMap(map: AccessMap): BundledMap {
  const rename = new Map<string, string>();
  const sources = bundleSide(
    map,
    'src',
    rename,
    (e) => e.from,
    (e) => e.to,
  );
  const renamedEdges = map.edges.map((e) => ({ ...e, from: rename.get(e.from) ?? e.from }));
  const destinations = bundleSide(
    { ...map, edges: renamedEdges },
    'dst',
    rename,
    (e) => e.to,
    (e) => e.from,
  );
  return { expanded: map.expanded, nodes: [...sources, ...destinations], edges: mergeRenamed(map.edges, rename) };
}

function bundleSide(
  map: AccessMap,
  side: AccessNode['side'],
  rename: Map<string, string>,
  own: (e: AccessEdge) => string,
  other: (e: AccessEdge) => string,
): BundledNode[] {
  const signatures = new Map<string, string[]>();
  for (const e of map.edges) {
    const list = signatures.get(own(e)) ?? [];
    list.push([other(e), e.kind, e.access.join(','), e.via.join(','), e.check].join('\u0001'));
    signatures.set(own(e), list);
  }
  const groups = new Map<string, AccessNode[]>();
  for (const n of map.nodes.filter((x) => x.side === side)) {
    const key = [n.kind, n.broad, ...(signatures.get(n.id) ?? []).sort()].join('\u0002');
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  // Groups keep the order of their first node, so the drawing follows the model's sort.
  return [...groups.values()].map((parts) => {
    if (parts.length === 1) return parts[0];
    const bundle = bundleNode(parts);
    for (const p of parts) rename.set(p.id, bundle.id);
    return bundle;
  });
}

function bundleNode(parts: readonly AccessNode[]): BundledNode {
  const first = parts[0];
  const members = parts.every((p) => p.members)
    ? [...new Set(parts.flatMap((p) => p.members ?? []))].sort()
    : undefined;
  return {
    id: `${first.side}:${parts.map((p) => p.selector).join(' + ')}`,
    side: first.side,
    selector: parts.map((p) => p.selector).join(', '),
    kind: first.kind,
    detail: parts.map((p) => p.detail).join('; '),
    broad: first.broad,
    deviceCount: parts.reduce((sum, p) => sum + p.deviceCount, 0),
    ...(members ? { members, hiddenMembers: parts.reduce((sum, p) => sum + (p.hiddenMembers ?? 0), 0) } : {}),
    parts,
  };
}

/** Edges between bundles: duplicates (one per bundled pair) collapse into one, with every rule kept. */
function mergeRenamed(edges: readonly AccessEdge[], rename: ReadonlyMap<string, string>): AccessEdge[] {
  const merged = new Map<string, AccessEdge>();
  for (const e of edges) {
    const from = rename.get(e.from) ?? e.from;
    const to = rename.get(e.to) ?? e.to;
    const key = `${from}\u0000${to}\u0000${e.kind}`;
    const seen = merged.get(key);
    const rules = seen ? [...new Set([...seen.rules, ...e.rules])].sort(compareRules) : e.rules;
    merged.set(key, { ...e, from, to, rules });
  }
  return [...merged.values()];
}

const SECTION_ORDER = ['grants', 'acls', 'ssh'];

/** `grants[2]` before `grants[10]`, grants before acls before ssh. */
export function compareRules(a: string, b: string): number {
  const [sa, ia] = splitRule(a);
  const [sb, ib] = splitRule(b);
  return SECTION_ORDER.indexOf(sa) - SECTION_ORDER.indexOf(sb) || ia - ib || (a < b ? -1 : a > b ? 1 : 0);
}

function splitRule(rule: string): [string, number] {
  const m = /^(\w+)\[(\d+)\]$/.exec(rule);
  return m ? [m[1], Number(m[2])] : ['', -1];
}

/**
 * A policy file and a device inventory, read by the engine for pictures and reports: the compiled policy for the
 * map (the real devices only), the policy tests run as Tailscale runs them, where identities no device carries
 * get a representative device (§11, the same as synth's policy check), and the lint findings.
 */
export interface TailnetSources {
  readonly policy: PolicyInput;
  /** The body of `GET /api/v2/tailnet/{tailnet}/devices`; without it the map shows rules over no devices. */
  readonly devices?: PolicyInput;
  /** @default { dialect: 'tailscale' } */
  readonly validate?: ValidateOptions;
  /** Tailscale Service addresses by name (services.json beside a stack's policy), so svc: tests resolve. */
  readonly services?: Readonly<Record<string, readonly string[]>>;
}

export interface LoadedTailnet {
  /** Validation and inventory findings, sorted; errors mean `compiled` is absent. */
  readonly diagnostics: readonly Diagnostic[];
  readonly compiled?: CompiledPolicy;
  readonly tests: readonly TestResult[];
  /** `tailnet-cdk lint` findings (TN6xxx); absent when the policy does not validate. */
  readonly lint?: readonly Diagnostic[];
  /** Set when `compiled` also holds representative devices: the first n devices are the tailnet's. */
  readonly realDevices?: number;
}

export const EMPTY_INVENTORY: Inventory = { devices: [] };

const testFailedCode = POLICY_CODES.testFailed.code;

/**
 * `checked`: synth's own check of the same files (src/emit/policy/check.ts), whose validation, tests and lint are
 * reused rather than computed twice; only the map's compile over the real devices is left to do.
 */
export function loadTailnet(sources: TailnetSources, checked?: PolicyCheck): LoadedTailnet {
  if (checked?.compiled) return fromCheck(checked, checked.compiled);
  const options = {
    ...(sources.validate ?? { dialect: 'tailscale' as const }),
    ...(sources.services ? { services: sources.services } : {}),
  };
  const parsed = sources.devices ? parseInventory(sources.devices) : { inventory: EMPTY_INVENTORY, diagnostics: [] };
  const validation = validatePolicy(sources.policy, options);
  const diagnostics = sortDiagnostics([...validation.diagnostics, ...parsed.diagnostics]);
  if (!validation.policy || !parsed.inventory || hasErrors(diagnostics)) return { diagnostics, tests: [] };
  const compiled = compilePolicy(validation.policy, parsed.inventory, options);
  const testDevices = withRepresentativeDevices(validation.policy, parsed.inventory);
  const tests = runPolicyTests(compilePolicy(validation.policy, testDevices, options));
  // linted exactly as synth lints a stack, so `graph --format html` gives the bytes of the report synth wrote
  const lint = validation.source
    ? lintPolicy({ policy: validation.policy, source: validation.source }, synthLintOptions(options, parsed.inventory))
    : [];
  return { diagnostics, compiled, tests, lint };
}

/**
 * Synth's check of the same files: its validation findings, tests, lint and inventory as they are, and its compile,
 * whose representative test devices come after the real ones (`realDevices`).
 */
function fromCheck(checked: PolicyCheck, compiled: CompiledPolicy): LoadedTailnet {
  const engine = new Set([...checked.lint, ...checked.diagnostics.filter((d) => d.code === testFailedCode)]);
  return {
    diagnostics: sortDiagnostics(checked.diagnostics.filter((d) => !engine.has(d))),
    compiled,
    realDevices: checked.inventory.devices.length,
    tests: checked.testResults,
    lint: checked.lint,
  };
}
