import * as ipaddr from 'ipaddr.js';
import { NIXOS_CODES } from '../../constructs/nixos/codes';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import type { NixosHostIr, PortRange } from '../nixos';
import { mergeRanges, rangeText, zonePorts } from '../nixos-services';
import type { StackIr } from '../types';
import { stripPorts } from './references';

/**
 * Cross-check of the tailnet policy and each NixOS host's firewall zones on its Tailscale interface:
 * - a grant (or ACL) allowing specific ports to the host that the zones drop → warning (access that cannot work);
 * - a port the zones open on the Tailscale interface that no rule allows → info (an opening nobody can use today).
 * Rules with `*` ports are not "specific": they never warn, but they do count as allowing every port.
 * A zone accepting a port from some sources counts as opening it (sources are not compared with rule sources).
 */
type Proto = 'tcp' | 'udp';
interface Allowed {
  readonly path: string;
  readonly proto: Proto;
  readonly ranges: readonly PortRange[];
  readonly specific: boolean;
}

const ALL: PortRange[] = [{ from: 1, to: 65535 }];

/** `*`, `22`, `80-90`, `tcp:443`, `udp:*`, `tcp:22,80`, `icmp:*` → per-protocol ranges (other protocols dropped). */
export function parseCapability(
  cap: string,
  defaultProto?: string,
): { proto: Proto; ranges: PortRange[]; specific: boolean }[] {
  const i = cap.lastIndexOf(':');
  const proto = i < 0 ? defaultProto : cap.slice(0, i);
  const ports = i < 0 ? cap : cap.slice(i + 1);
  const protos: Proto[] =
    proto === undefined
      ? ['tcp', 'udp']
      : proto === 'tcp' || proto === '6'
        ? ['tcp']
        : proto === 'udp' || proto === '17'
          ? ['udp']
          : [];
  if (ports === '*') return protos.map((p) => ({ proto: p, ranges: ALL, specific: false }));
  const ranges = ports.split(',').flatMap((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    return m ? [{ from: Number(m[1]), to: Number(m[2] ?? m[1]) }] : [];
  });
  return protos.map((p) => ({ proto: p, ranges, specific: true }));
}

/** Whether a rule destination selector names this host (tags, user, its groups, `*`, autogroups, its addresses). */
function matchesHost(ir: StackIr, host: NixosHostIr, selector: string): boolean {
  if (selector === '*') return true;
  if (selector.startsWith('tag:')) return host.tags.some((t) => t.toLowerCase() === selector.toLowerCase());
  if (selector === 'autogroup:tagged') return host.tags.length > 0;
  if (selector === 'autogroup:member') return host.tags.length === 0 && host.user !== undefined;
  if (host.tags.length === 0 && host.user !== undefined) {
    if (selector === host.user) return true;
    const group = ir.policy.groups.find((g) => g.name === selector);
    if (group?.members.includes(host.user)) return true;
  }
  const alias = ir.policy.hosts.find((h) => h.name === selector)?.address ?? selector;
  return hostAddresses(ir, host).some((a) => addressIn(a, alias));
}

function hostAddresses(ir: StackIr, host: NixosHostIr): string[] {
  const device = ir.devices.find((d) => d.name === host.name);
  return [host.tailscaleIpv4, device?.ipv4, device?.ipv6].filter((a): a is string => !!a);
}

function addressIn(address: string, prefix: string): boolean {
  try {
    const addr = ipaddr.parse(address);
    if (!prefix.includes('/')) return ipaddr.isValid(prefix) && addr.toString() === ipaddr.parse(prefix).toString();
    const [net, len] = ipaddr.parseCIDR(prefix);
    return addr.kind() === net.kind() && addr.match([net, len]);
  } catch {
    return false;
  }
}

/** Every port range the policy allows to this host, with the rule allowing it. */
export function allowedToHost(ir: StackIr, host: NixosHostIr): Allowed[] {
  const out: Allowed[] = [];
  for (const g of ir.policy.grants) {
    if (!g.dst.some((d) => matchesHost(ir, host, d))) continue;
    for (const cap of g.ip ?? []) for (const a of parseCapability(cap)) out.push({ path: g.source.path, ...a });
  }
  for (const acl of ir.policy.acls) {
    for (const dst of acl.dst) {
      if (!matchesHost(ir, host, stripPorts(dst))) continue;
      const ports = dst.slice(dst.lastIndexOf(':') + 1);
      for (const a of parseCapability(ports, acl.proto)) out.push({ path: acl.source.path, ...a });
    }
  }
  return out;
}

function covered(ranges: readonly PortRange[], r: PortRange): boolean {
  return ranges.some((x) => x.from <= r.from && x.to >= r.to);
}

function uncovered(open: readonly PortRange[], wanted: readonly PortRange[]): PortRange[] {
  return wanted.filter((r) => !covered(open, r));
}

/** What the host's zones on its Tailscale interface accept, per protocol; undefined when no zone filters it. */
function tailnetOpenPorts(host: NixosHostIr): Record<Proto, PortRange[]> | undefined {
  const zones = host.zones.filter((z) => z.interfaces.includes(host.tailscale.interfaceName));
  if (zones.length === 0 || zones.some((z) => z.defaultPolicy === 'accept')) return undefined;
  const open: Record<Proto, PortRange[]> = { tcp: [], udp: [] };
  for (const z of zones) {
    const ports = z.allowAll ? { tcp: ALL, udp: ALL } : zonePorts(host, z);
    open.tcp = mergeRanges([...open.tcp, ...ports.tcp]);
    open.udp = mergeRanges([...open.udp, ...ports.udp]);
  }
  return open;
}

/** TN2012 (warning) and TN2013 (info). */
export function nixosGrantZoneConflicts(ir: StackIr): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const host of ir.nixos.hosts) {
    const open = tailnetOpenPorts(host);
    if (!open) continue;
    const allowed = allowedToHost(ir, host);
    out.push(...blockedGrants(host, allowed, open), ...unusedOpenings(host, allowed));
  }
  return out;
}

function blockedGrants(host: NixosHostIr, allowed: readonly Allowed[], open: Record<Proto, PortRange[]>): Diagnostic[] {
  const byRule = new Map<string, string[]>();
  for (const a of allowed.filter((x) => x.specific)) {
    const blocked = uncovered(open[a.proto], a.ranges).map((r) => `${a.proto}:${rangeText(r)}`);
    if (blocked.length > 0) byRule.set(a.path, [...(byRule.get(a.path) ?? []), ...blocked]);
  }
  const zones = host.zones.filter((z) => z.interfaces.includes(host.tailscale.interfaceName));
  return [...byRule].map(([path, ports]) => ({
    ...diag(
      NIXOS_CODES.grantBlockedByZone,
      path,
      `allows ${ports.join(', ')} to host "${host.name}", but its firewall zones drop ${ports.length === 1 ? 'it' : 'them'} on ${host.tailscale.interfaceName}`,
      'open the port in a zone on the Tailscale interface, or narrow the rule',
    ),
    related: zones.map((z) => ({
      path: z.source.path,
      message: `zone "${z.name}" filters ${host.tailscale.interfaceName}`,
    })),
  }));
}

function unusedOpenings(host: NixosHostIr, allowed: readonly Allowed[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const z of host.zones.filter((x) => x.interfaces.includes(host.tailscale.interfaceName) && !x.allowAll)) {
    const ports = zonePorts(host, z);
    for (const proto of ['tcp', 'udp'] as const) {
      const granted = mergeRanges(allowed.filter((a) => a.proto === proto).flatMap((a) => a.ranges));
      const unused = uncovered(granted, ports[proto]);
      if (unused.length === 0) continue;
      out.push(
        diag(
          NIXOS_CODES.portWithoutGrant,
          z.source.path,
          `zone "${z.name}" opens ${proto} ${unused.map(rangeText).join(', ')} on ${host.tailscale.interfaceName}, but no grant lets a tailnet device reach ${unused.length === 1 ? 'it' : 'them'} on host "${host.name}"`,
          'add a grant if the port should be reachable, or close it',
        ),
      );
    }
  }
  return out;
}
