import { hash } from 'node:crypto';
import type { IConstruct } from 'constructs';
import { compareStrings } from '../core/diagnostics';
import type { TailnetStack } from '../core/stack';
import { type IrContribution, type IrContributionKind, isLowerable } from './contribution';
import { TAILSCALE_CONTROL } from './control-server';
import { assembleKubernetes } from './kubernetes';
import type { SshHostIr } from './ssh-config';
import { type DeviceIr, type StackIr, StackSchema } from './types';

type ByKind = { [K in IrContributionKind]: Extract<IrContribution, { kind: K }>['value'][] };

/** Phase 3: every lowerable construct of the stack → one plain, sorted, zod-checked `StackIr`. */
export function lowerStack(stack: TailnetStack): StackIr {
  const parts = gather(stack.node.findAll());
  const byPath = <T extends { source: { path: string } }>(xs: T[]) =>
    xs.sort((a, b) => compareStrings(a.source.path, b.source.path));
  const byName = <T extends { name: string; source: { path: string } }>(xs: T[]) =>
    xs.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.source.path, b.source.path));
  const p = stack.props;
  const ir = {
    source: { path: stack.node.path },
    name: stack.stackName,
    ...(p.tailnetDomain ? { tailnetDomain: p.tailnetDomain } : {}),
    magicDnsSuffix: p.magicDnsSuffix ?? 'tailnet.ts.net',
    policy: {
      defaultAccess: p.defaultAccess ?? 'deny',
      groups: byName(parts.group),
      tagOwners: byName(parts.tagOwner),
      hosts: byName(parts.host),
      ipsets: byName(parts.ipset),
      postures: byName(parts.posture),
      ...(p.defaultSrcPosture && p.defaultSrcPosture.length > 0
        ? { defaultSrcPosture: [...p.defaultSrcPosture].sort() }
        : {}),
      grants: byPath(parts.grant),
      acls: byPath(parts.acl),
      ssh: byPath(parts.ssh),
      nodeAttrs: byPath(parts.nodeAttr),
      autoApprovers: parts.autoApprover.sort(
        (a, b) =>
          compareStrings(a.kind, b.kind) ||
          compareStrings(a.target ?? '', b.target ?? '') ||
          compareStrings(a.source.path, b.source.path),
      ),
      tests: byPath(parts.test),
      sshTests: byPath(parts.sshTest),
      settings: { ...(p.settings ?? {}) },
    },
    devices: assignAddresses(byName(parts.device)),
    terraform: {
      source: { path: stack.node.path },
      // an air-gapped WireGuard site has no Tailscale API to apply to
      enabled: p.terraform?.enabled ?? p.transport?.kind !== 'wireguard',
      auth: p.terraform?.auth ?? 'oauth',
      ...(p.terraform?.tailnet ? { tailnet: p.terraform.tailnet } : {}),
      ...(p.terraform?.oauthScopes ? { oauthScopes: [...p.terraform.oauthScopes] } : {}),
      overwriteExistingPolicy: p.terraform?.overwriteExistingPolicy ?? false,
      resetPolicyOnDestroy: p.terraform?.resetPolicyOnDestroy ?? false,
    },
    controlServer: p.controlServer?._lower(stack.node.path) ?? TAILSCALE_CONTROL,
    kubernetes: assembleKubernetes({
      workloads: parts.workload,
      authKeys: parts.authKey,
      operators: parts.operator,
      proxyClasses: parts.proxyClass,
      connectors: parts.connector,
      exposedServices: parts.exposedService,
      federatedIdentities: parts.federatedIdentity,
      serviceIngresses: parts.serviceIngress,
    }),
    nixos: { hosts: byName(parts.nixosHost), monitoring: byPath(parts.nixosMonitoring) },
    sshConfig: { hosts: sortSshHosts(parts.sshHost) },
    systemdUnits: parts.systemdUnit.sort(
      (a, b) =>
        compareStrings(a.host, b.host) ||
        compareStrings(a.unit, b.unit) ||
        compareStrings(a.source.path, b.source.path),
    ),
    ...(p.transport?.kind === 'wireguard'
      ? { wireguard: p.transport._lower(stack.node.path, parts.wireguardPeer) }
      : {}),
    services: byName(parts.tailscaleService),
  };
  // zod is the single source of truth of the IR's shape: a lowering bug fails here, not in an emitter.
  return StackSchema.parse(ir);
}

function gather(constructs: readonly IConstruct[]): ByKind {
  const out: ByKind = {
    group: [],
    tagOwner: [],
    host: [],
    ipset: [],
    posture: [],
    grant: [],
    acl: [],
    ssh: [],
    nodeAttr: [],
    autoApprover: [],
    test: [],
    sshTest: [],
    device: [],
    workload: [],
    authKey: [],
    operator: [],
    proxyClass: [],
    connector: [],
    exposedService: [],
    nixosHost: [],
    nixosMonitoring: [],
    sshHost: [],
    systemdUnit: [],
    wireguardPeer: [],
    tailscaleService: [],
    federatedIdentity: [],
    serviceIngress: [],
  };
  for (const c of constructs) {
    if (!isLowerable(c)) continue;
    for (const part of c._lower()) (out[part.kind] as unknown[]).push(part.value);
  }
  return out;
}

/**
 * Declared devices without addresses get stable ones derived from their name (not from their position, so adding
 * a device never renumbers the others): IPv4 inside 100.64.0.0/10 away from the ranges Tailscale reserves, IPv6
 * inside fd7a:115c:a1e0::/48. Collisions move to the next free address.
 */
function assignAddresses(devices: DeviceIr[]): DeviceIr[] {
  const taken = new Set(devices.flatMap((d) => [d.ipv4, d.ipv6]).filter((a) => a !== ''));
  return devices.map((d) => {
    if (d.ipv4 !== '' && d.ipv6 !== '') return d;
    let n = hashName(d.name);
    let ipv4 = d.ipv4;
    let ipv6 = d.ipv6;
    while (ipv4 === '' || ipv6 === '') {
      const v4 = ipv4 === '' ? cgnatAddress(n) : ipv4;
      const v6 = ipv6 === '' ? `fd7a:115c:a1e0::${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}` : ipv6;
      if ((ipv4 !== '' || (!taken.has(v4) && v4 !== '')) && (ipv6 !== '' || !taken.has(v6))) {
        ipv4 = v4;
        ipv6 = v6;
      }
      n = (n + 1) >>> 0;
    }
    taken.add(ipv4);
    taken.add(ipv6);
    return { ...d, ipv4, ipv6 };
  });
}

function hashName(name: string): number {
  return hash('sha256', name, 'buffer').readUInt32BE(0);
}

/** 100.64.0.0/10 has 2^22 addresses; skip .0/.255, 100.100.100.0/24 (Quad100) and 100.115.92.0/23 (ChromeOS). */
function cgnatAddress(n: number): string {
  const offset = n % (1 << 22);
  const b = 64 + (offset >>> 16);
  const c = (offset >>> 8) & 0xff;
  const d = offset & 0xff;
  if (d === 0 || d === 255) return '';
  if (b === 100 && c === 100) return '';
  if (b === 115 && (c === 92 || c === 93)) return '';
  return `100.${b}.${c}.${d}`;
}

/** SSH client entries by machine, then login, then construct (src/ir/ssh-config.ts). */
function sortSshHosts(hosts: SshHostIr[]): SshHostIr[] {
  return hosts.sort(
    (a, b) =>
      compareStrings(a.hostname, b.hostname) ||
      compareStrings(a.user, b.user) ||
      compareStrings(a.source.path, b.source.path),
  );
}
