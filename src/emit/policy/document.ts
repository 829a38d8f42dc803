import type { PolicyIr, StackIr } from '../../ir/types';

/**
 * The policy file as an ordered document: sections in a fixed order, each rule with the comment lines that stand
 * above it. Both printers (HuJSON with comments, plain JSON) read this, so they can never disagree.
 */
export interface PolicyEntry {
  readonly comments: readonly string[];
  readonly value: Record<string, unknown>;
}

export interface PolicySection {
  readonly key: string;
  readonly comment?: string;
  /** An object section (`groups`, `tagOwners`, …) or an array of rules (`grants`, `ssh`, …). */
  readonly value: Record<string, unknown> | readonly PolicyEntry[] | unknown;
  readonly kind: 'map' | 'rules' | 'value';
}

export function policyDocument(ir: StackIr): PolicySection[] {
  const p = ir.policy;
  const sections: PolicySection[] = [];
  const map = (key: string, comment: string, entries: [string, unknown][]) => {
    if (entries.length > 0) sections.push({ key, comment, kind: 'map', value: Object.fromEntries(entries) });
  };
  map(
    'groups',
    'Groups of users.',
    p.groups.map((g) => [g.name, g.members]),
  );
  map(
    'tagOwners',
    'Who may apply which tags.',
    p.tagOwners.map((t) => [t.name, t.owners]),
  );
  map(
    'hosts',
    'Named addresses.',
    p.hosts.map((h) => [h.name, h.address]),
  );
  map(
    'ipsets',
    'Named IP sets.',
    p.ipsets.map((s) => [s.name, s.ops]),
  );
  map(
    'postures',
    'Device postures.',
    p.postures.map((s) => [s.name, s.conditions]),
  );
  if (p.defaultSrcPosture) sections.push({ key: 'defaultSrcPosture', kind: 'value', value: p.defaultSrcPosture });
  const approvers = autoApprovers(p);
  if (approvers)
    sections.push({
      key: 'autoApprovers',
      comment: 'Approved without a manual step.',
      kind: 'value',
      value: approvers,
    });
  pushAccessSections(p, sections);
  const rules = (key: string, comment: string | undefined, entries: PolicyEntry[]) => {
    if (entries.length > 0) sections.push({ key, ...(comment ? { comment } : {}), kind: 'rules', value: entries });
  };
  rules(
    'ssh',
    'Tailscale SSH.',
    p.ssh.map(({ source, comment, ...rest }) => entry(source.path, comment, rest)),
  );
  rules(
    'nodeAttrs',
    'Device attributes.',
    p.nodeAttrs.map(({ source, comment, ...rest }) => entry(source.path, comment, rest)),
  );
  rules('tests', 'Run by Tailscale on every save, and by `tailnet-cdk test`.', p.tests.map(testEntry));
  rules(
    'sshTests',
    undefined,
    p.sshTests.map(({ source, ...rest }) => entry(source.path, undefined, dropEmpty(rest))),
  );
  const settings = Object.entries(p.settings).filter(([, value]) => value !== undefined);
  settings.forEach(([key, value], i) => {
    sections.push({ key, kind: 'value', value, ...(i === 0 ? { comment: 'Tailnet-wide settings.' } : {}) });
  });
  return sections;
}

/** §18.2: no `acls`/`grants` key means allow-all and `"grants": []` deny-all, so emptiness is written on purpose. */
function pushAccessSections(p: PolicyIr, sections: PolicySection[]): void {
  if (p.acls.length > 0) {
    const acls = p.acls.map(({ source, comment, ...rest }) => entry(source.path, comment, rest));
    sections.push({
      key: 'acls',
      comment: 'Legacy ACL rules (kept in their imported form).',
      kind: 'rules',
      value: acls,
    });
  }
  const grants = p.grants.map(({ source, comment, ...rest }) => entry(source.path, comment, rest));
  if (grants.length > 0) {
    sections.push({
      key: 'grants',
      comment: 'Access rules: nothing is reachable unless a grant allows it.',
      kind: 'rules',
      value: grants,
    });
  } else if (p.acls.length === 0 && p.defaultAccess === 'deny') {
    sections.push({
      key: 'grants',
      comment: 'No access rules: an empty list denies all traffic.',
      kind: 'rules',
      value: [],
    });
  }
}

function testEntry(t: PolicyIr['tests'][number]): PolicyEntry {
  const { source, ...rest } = t;
  return entry(source.path, undefined, dropEmpty(rest));
}

function entry(path: string, comment: string | undefined, value: Record<string, unknown>): PolicyEntry {
  return { comments: comment ? [path, comment] : [path], value };
}

/** Leaves out empty lists (`deny: []`) that carry no meaning in tests. */
function dropEmpty(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
}

/** Merges auto-approver entries: approvers of the same route or service are united (order-free, so sorted). */
function autoApprovers(p: PolicyIr): Record<string, unknown> | undefined {
  if (p.autoApprovers.length === 0) return undefined;
  const routes = new Map<string, Set<string>>();
  const services = new Map<string, Set<string>>();
  const exitNode = new Set<string>();
  for (const a of p.autoApprovers) {
    const target = a.kind === 'route' ? routes : a.kind === 'service' ? services : undefined;
    const set = target ? getOrCreate(target, a.target ?? '') : exitNode;
    for (const approver of a.approvers) set.add(approver);
  }
  const sortedMap = (m: Map<string, Set<string>>) =>
    Object.fromEntries([...m.keys()].sort().map((k) => [k, [...m.get(k)!].sort()]));
  return {
    ...(routes.size > 0 ? { routes: sortedMap(routes) } : {}),
    ...(exitNode.size > 0 ? { exitNode: [...exitNode].sort() } : {}),
    ...(services.size > 0 ? { services: sortedMap(services) } : {}),
  };
}

function getOrCreate<K, V>(m: Map<K, Set<V>>, k: K): Set<V> {
  const existing = m.get(k);
  if (existing) return existing;
  const created = new Set<V>();
  m.set(k, created);
  return created;
}

/** The policy as a plain JSON value (what `policy.json` holds and what the HuJSON parses back to). */
export function policyValue(sections: readonly PolicySection[]): Record<string, unknown> {
  return Object.fromEntries(
    sections.map((s) => [s.key, s.kind === 'rules' ? (s.value as PolicyEntry[]).map((e) => e.value) : s.value]),
  );
}
