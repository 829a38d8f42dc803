import { LINT_CODES } from './codes';
import { type CompiledPolicy, compilePolicy, type NetUnit } from './compile';
import { ruleSelectors } from './explain-reasons';
import type { Inventory } from './inventory';
import { RangeSet, TAILNET_V4, TAILNET_V6 } from './ip';
import type { LintReport } from './lint';
import { lintRedundancy } from './lint-redundancy';
import type { PolicyFile } from './model';
import { type Dialect, splitAclDestination } from './selectors';
import type { JsonPath } from './source';

/**
 * Lint of the access rules: allow-all by omission, `*` → `*`, exit-node use as a side effect of `*`, rules that
 * match no device (with an inventory) and redundant rules (lint-redundancy.ts).
 */
export interface RuleLintOptions {
  readonly dialect: Dialect;
  readonly inventory?: Inventory;
}

export function lintRules(
  policy: PolicyFile,
  options: RuleLintOptions,
  report: LintReport,
  at: (path: JsonPath) => string,
): void {
  if (policy.acls === undefined && policy.grants === undefined) {
    report(
      LINT_CODES.implicitAllowAll,
      [],
      'the policy has neither an acls nor a grants section, so Tailscale allows all traffic between all devices',
      'add "grants": [] (deny all) and the grants you need; an empty section denies, a missing one allows (§18.2)',
    );
  }
  const rules = accessRules(policy);
  lintBroadAccess(rules, options.inventory, report);
  const compiled = compilePolicy(policy, options.inventory ?? { devices: [] }, { dialect: options.dialect });
  if (options.inventory) lintUnmatched(compiled, report);
  lintRedundancy(compiled, options, report, at);
}

interface AccessRule {
  readonly path: JsonPath;
  readonly src: readonly string[];
  /** Destination selectors without ports. */
  readonly dst: readonly string[];
  /** Ports as written: the ip list of a grant, the port parts of an ACL's `*` destinations. */
  readonly ports: readonly string[];
}

function accessRules(policy: PolicyFile): AccessRule[] {
  const acls = (policy.acls ?? []).map((rule, i): AccessRule => {
    const split = rule.dst.map((d) => splitAclDestination(d)).flatMap((r) => (r.ok ? [r.value] : []));
    return {
      path: ['acls', i],
      src: rule.src.map((s) => s.trim()),
      dst: split.map((d) => d.host.trim()),
      ports: split.filter((d) => d.host.trim() === '*').map((d) => `${rule.proto ? `${rule.proto}:` : ''}${d.ports}`),
    };
  });
  const grants = (policy.grants ?? []).map(
    (g, i): AccessRule => ({
      path: ['grants', i],
      src: g.src.map((s) => s.trim()),
      dst: g.dst.map((d) => d.trim()),
      ports: g.ip ?? [],
    }),
  );
  return [...acls, ...grants];
}

const EVERY_SOURCE = new Set(['*', 'autogroup:danger-all']);

function lintBroadAccess(rules: readonly AccessRule[], inventory: Inventory | undefined, report: LintReport): void {
  // With an inventory that has neither an exit node nor a subnet route, `*` reaches devices only (for now).
  const routed = !inventory || inventory.devices.some((d) => d.approvedRoutes.length > 0);
  for (const rule of rules) {
    if (!rule.dst.includes('*')) continue;
    const ports = rule.ports.length > 0 ? rule.ports.join(', ') : 'the listed ports';
    if (rule.src.some((s) => EVERY_SOURCE.has(s))) {
      report(
        LINT_CODES.overBroadAccess,
        rule.path,
        `src ${rule.src.join(', ')} and dst "*": every device reaches every device, subnet and exit node on ${ports}`,
        'name the sources and destinations that need access (Tailscale denies everything else by default)',
      );
    } else if (routed && !grantsInternetExplicitly(rules, rule.src)) {
      report(
        LINT_CODES.accidentalExitNode,
        rule.path,
        `dst "*" also lets ${rule.src.join(', ')} use exit nodes (all internet traffic) and reach every approved subnet route`,
        'list the destinations it needs; if exit-node use is intended, also grant autogroup:internet to the same sources',
      );
    }
  }
}

/** Some rule names autogroup:internet for every one of these sources: the exit-node use of `*` is on purpose. */
function grantsInternetExplicitly(rules: readonly AccessRule[], src: readonly string[]): boolean {
  return rules.some(
    (r) => r.dst.includes('autogroup:internet') && (r.src.includes('*') || src.every((s) => r.src.includes(s))),
  );
}

const TAILNET = new RangeSet([TAILNET_V4, TAILNET_V6]);

/** §3.3: groups/tags without devices are valid and match nothing; with an inventory that is worth saying. */
function lintUnmatched(compiled: CompiledPolicy, report: LintReport): void {
  const selectors = ruleSelectors(compiled);
  const exitNodes = compiled.exitNodesV4.length + compiled.exitNodesV6.length > 0;
  const routes = new RangeSet(compiled.subnetRoutes.map((r) => r.range));
  const element = new Map<string, number>();
  compiled.units.forEach((u, i) => {
    if (u.ref.index < 0) return;
    const key = `${u.ref.section}:${u.ref.index}`;
    const k = element.get(key) ?? 0;
    element.set(key, k + 1);
    const { src, dst } = selectors(i);
    const base: JsonPath = [u.ref.section, u.ref.index];
    if (k === 0 && !hasSource(u, routes)) {
      report(LINT_CODES.ruleMatchesNoDevice, base, `src ${src.join(', ')} matches no device of the inventory`);
    }
    if (hasSource(u, routes) && !hasDestination(compiled, u, routes, exitNodes)) {
      const path = u.ref.section === 'acls' ? [...base, 'dst', k] : base;
      report(LINT_CODES.ruleMatchesNoDevice, path, `dst ${dst.join(', ')} matches no device and no routed address`);
    }
  });
  compiled.sshUnits.forEach((u) => {
    const rule = compiled.policy.ssh![u.ref.index];
    const untaggedSource = [...u.src].some((s) => compiled.devices[s].user !== undefined);
    if (u.src.isEmpty)
      report(
        LINT_CODES.ruleMatchesNoDevice,
        ['ssh', u.ref.index],
        `src ${rule.src.join(', ')} matches no device of the inventory`,
      );
    else if (u.dst.isEmpty && !(u.dstSelf && untaggedSource)) {
      report(
        LINT_CODES.ruleMatchesNoDevice,
        ['ssh', u.ref.index],
        `dst ${rule.dst.join(', ')} matches no device of the inventory`,
      );
    }
  });
}

function hasSource(u: NetUnit, routes: RangeSet): boolean {
  return !u.srcV4.isEmpty || !u.srcV6.isEmpty || routes.ranges.some((r) => u.srcAddresses.overlaps(r));
}

function hasDestination(compiled: CompiledPolicy, u: NetUnit, routes: RangeSet, exitNodes: boolean): boolean {
  if (!u.dstV4.isEmpty || !u.dstV6.isEmpty) return true;
  if (u.dstSelf && [...u.srcV4.clone().orWith(u.srcV6)].some((s) => compiled.devices[s].user !== undefined))
    return true;
  if (routes.ranges.some((r) => u.dstAddresses.overlaps(r))) return true;
  return exitNodes && !u.dstAddresses.subtract(TAILNET).isEmpty;
}
