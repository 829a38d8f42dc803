import { sortKeys } from '../core/canonical/json';
import { compareStrings } from '../core/diagnostics';
import { type PolicyFile, parseProtocol, validatePolicy } from '../policy';

/**
 * A policy reduced to what it means, section by section, so two spellings of the same policy compare equal:
 * order-free lists sorted and de-duplicated, rules of order-free sections as sets, tests as sets of single
 * assertions, documented shorthands expanded (`[]` tag owners = autogroup:admin, an ipset entry without `add `).
 * `ssh` keeps its order: the first matching rule decides. Used by `drift` (which sections changed) and by the
 * import round-trip tests.
 */
export type NormalizedPolicy = Readonly<Record<string, unknown>>;

/** Validates and normalizes policy text; undefined when the text is not a valid policy. */
export function normalizePolicyText(text: string, file: string): NormalizedPolicy | undefined {
  const v = validatePolicy({ text, file }, { dialect: 'tailscale' });
  return v.policy ? normalizePolicy(v.policy) : undefined;
}

export function normalizePolicy(p: PolicyFile): NormalizedPolicy {
  const out: Record<string, unknown> = {
    access: p.acls === undefined && p.grants === undefined ? 'allow-all (no acls or grants section)' : 'rules',
    groups: mapOf(p.groups, (members) => set(members)),
    tagOwners: mapOf(p.tagOwners, (owners) => (owners.length === 0 ? ['autogroup:admin'] : set(owners))),
    hosts: mapOf(p.hosts, (address) => address.trim()),
    ipsets: mapOf(p.ipsets, (ops) => ops.map((op) => (/^\s*(add|remove)\s/.test(op) ? op.trim() : `add ${op.trim()}`))),
    postures: mapOf(p.postures, (conditions) => set(conditions)),
    defaultSrcPosture: set(p.defaultSrcPosture ?? []),
    autoApprovers: autoApprovers(p),
    ...rules(p),
    tests: testAssertions(p),
    sshTests: sshTestAssertions(p),
    settings: sortKeys({
      disableIPv4: p.disableIPv4,
      randomizeClientPort: p.randomizeClientPort,
      OneCGNATRoute: p.OneCGNATRoute,
      derpMap: p.derpMap,
    }),
  };
  // Through JSON once, so undefined members vanish and both sides compare as plain data.
  return JSON.parse(JSON.stringify(out)) as NormalizedPolicy;
}

/** acls, grants and nodeAttrs as sets of rules; ssh as an ordered list. */
function rules(p: PolicyFile): Record<string, unknown> {
  const posture = (x?: readonly string[] | null) => set(x ?? []);
  return {
    acls: ruleSet(
      (p.acls ?? []).map((a) => ({
        src: set(a.src),
        dst: set(a.dst),
        proto: a.proto === undefined ? undefined : protocol(a.proto),
        srcPosture: posture(a.srcPosture),
      })),
    ),
    grants: ruleSet(
      (p.grants ?? []).map((g) => ({
        src: set(g.src),
        dst: set(g.dst),
        ip: set(g.ip ?? []),
        app: g.app ?? {},
        via: set(g.via ?? []),
        srcPosture: posture(g.srcPosture),
      })),
    ),
    ssh: (p.ssh ?? []).map((r) =>
      sortKeys({
        action: r.action ?? 'accept',
        src: set(r.src),
        dst: set(r.dst),
        users: set(r.users ?? []),
        checkPeriod: r.checkPeriod ?? undefined,
        acceptEnv: set(r.acceptEnv ?? []),
        srcPosture: posture(r.srcPosture),
      }),
    ),
    nodeAttrs: ruleSet(
      (p.nodeAttrs ?? []).map((n) => ({
        target: set(n.target),
        attr: set(n.attr ?? []),
        app: n.app ?? {},
        ipPool: set(n.ipPool ?? []),
      })),
    ),
  };
}

/** Names of the sections whose meaning differs between two normalized policies. */
export function changedSections(a: NormalizedPolicy, b: NormalizedPolicy): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

function autoApprovers(p: PolicyFile): unknown {
  const a = p.autoApprovers ?? {};
  const routes: Record<string, string[]> = {};
  for (const [route, approvers] of Object.entries(a.routes ?? {})) {
    if (approvers.length === 0) continue;
    // Equivalent spelling used by import: the two halves approve the same subnet routes as the whole space.
    const halves: Record<string, string[]> = {
      '0.0.0.0/0': ['0.0.0.0/1', '128.0.0.0/1'],
      '::/0': ['::/1', '8000::/1'],
    };
    for (const r of halves[route.trim()] ?? [route.trim()]) routes[r] = set([...(routes[r] ?? []), ...approvers]);
  }
  const services = Object.fromEntries(
    Object.entries(a.services ?? {})
      .filter(([, v]) => v.length > 0)
      .map(([k, v]) => [k.trim(), set(v)]),
  );
  return sortKeys({ routes, exitNode: set(a.exitNode ?? []), services });
}

function testAssertions(p: PolicyFile): string[] {
  return set(
    (p.tests ?? []).flatMap((t) => {
      const head = `${t.src.trim()} proto=${t.proto ?? ''} posture=${JSON.stringify(sortKeys(t.srcPostureAttrs ?? {}))}`;
      return [
        ...(t.accept ?? []).map((d) => `${head} accept ${d.trim()}`),
        ...(t.deny ?? []).map((d) => `${head} deny ${d.trim()}`),
      ];
    }),
  );
}

function sshTestAssertions(p: PolicyFile): string[] {
  return set(
    (p.sshTests ?? []).flatMap((t) => {
      const head = `${t.src.trim()} posture=${JSON.stringify(sortKeys(t.srcPostureAttrs ?? {}))}`;
      return t.dst.flatMap((d) =>
        (['accept', 'check', 'deny'] as const).flatMap((kind) =>
          (t[kind] ?? []).map((login) => `${head} ${d.trim()} ${kind} ${login.trim()}`),
        ),
      );
    }),
  );
}

function protocol(text: string): string {
  const n = parseProtocol(text);
  return n.ok ? String(n.value) : text.trim();
}

function set(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()))].sort(compareStrings);
}

function mapOf<V, R>(m: Readonly<Record<string, V>> | undefined, f: (v: V) => R): Record<string, R> {
  return Object.fromEntries(
    Object.entries(m ?? {})
      .map(([k, v]) => [k.trim(), f(v)] as const)
      .sort(([a], [b]) => compareStrings(a, b)),
  );
}

/** Rules of an order-free section: each rule with sorted keys, the list sorted and de-duplicated. */
function ruleSet(rules: readonly Record<string, unknown>[]): string[] {
  return [...new Set(rules.map((r) => JSON.stringify(sortKeys(r))))].sort(compareStrings);
}
