import type { CompiledPolicy } from './compile';
import type { SshUnit } from './compile-ssh';
import { loginAllowed, resolveEndpoint, sameOwner, sshAccess } from './evaluate';
import { explainAccess, type NetworkExplanation } from './explain';
import {
  deviceMissReason,
  type EndpointSummary,
  type Explained,
  postureReason,
  type RuleVerdict,
  selectNearest,
  summarizeEndpoint,
} from './explain-reasons';
import type { Device } from './inventory';
import type { RuleRef } from './model';

/**
 * `tailnet-cdk explain --ssh-user <login>`: the SSH policy's answer for one login (§7: check beats accept), why the
 * other SSH rules do not apply, and — because a connection needs both — whether the network layer opens tcp/22.
 */
export interface SshExplainQuery {
  readonly src: string;
  readonly dst: string;
  readonly login: string;
}

export interface SshExplanation {
  readonly src: EndpointSummary;
  readonly dst: EndpointSummary;
  readonly login: string;
  readonly action: 'accept' | 'check' | 'deny';
  readonly grantedBy: readonly RuleRef[];
  readonly nearest: readonly RuleVerdict[];
  /** The tcp/22 part: SSH works only when the SSH policy allows the login *and* this is allowed. */
  readonly network: NetworkExplanation;
  /** action is not deny and tcp/22 is open. */
  readonly connects: boolean;
}

export function explainSsh(compiled: CompiledPolicy, query: SshExplainQuery, limit = 5): Explained<SshExplanation> {
  const src = resolveEndpoint(compiled, query.src);
  const dst = resolveEndpoint(compiled, query.dst);
  if (src?.device === undefined)
    return { ok: false, error: `SSH source "${query.src}" is not a device of the inventory` };
  if (dst?.device === undefined)
    return { ok: false, error: `SSH destination "${query.dst}" is not a device of the inventory` };
  const login = query.login.trim();
  if (login === '') return { ok: false, error: 'the SSH login is empty' };
  const network = explainAccess(compiled, { src: query.src, dst: query.dst, proto: 'tcp', port: 22 }, limit);
  if (!network.ok) return network;
  const result = sshAccess(compiled, { src: query.src, dst: query.dst, login });
  const s = src.device;
  const d = dst.device;
  const verdicts = compiled.sshUnits.map((u) => ({ ref: u.ref, reasons: sshReasons(compiled, u, s, d, login) }));
  return {
    ok: true,
    value: {
      src: summarizeEndpoint(compiled, query.src, src),
      dst: summarizeEndpoint(compiled, query.dst, dst),
      login,
      action: result.action,
      grantedBy: result.matchedRules,
      nearest: result.action === 'deny' ? selectNearest(verdicts, [], limit) : [],
      network: network.value,
      connects: result.action !== 'deny' && network.value.allowed,
    },
  };
}

function sshReasons(compiled: CompiledPolicy, u: SshUnit, s: number, d: number, login: string): string[] {
  const rule = compiled.policy.ssh![u.ref.index];
  const src = compiled.devices[s];
  const dst = compiled.devices[d];
  const reasons: string[] = [];
  if (!u.src.has(s)) reasons.push(deviceMissReason('src', rule.src, src));
  else {
    const posture = postureReason(u.postures, src);
    if (posture) reasons.push(posture);
  }
  const dstReason = sshDestinationReason(compiled, u, s, d, rule.dst, src, dst);
  if (dstReason) reasons.push(dstReason);
  if (!loginAllowed(u, login, src.user)) reasons.push(loginReason(u, login, rule.users ?? [], src));
  return reasons;
}

function sshDestinationReason(
  compiled: CompiledPolicy,
  u: SshUnit,
  s: number,
  d: number,
  selectors: readonly string[],
  src: Device,
  dst: Device,
): string | undefined {
  if (u.dst.has(d) || (u.dstSelf && sameOwner(compiled, s, d))) return undefined;
  // §7 SaaS quirk: with localpart users, a source device also accepts its own user's devices.
  if (u.logins.localpartDomains.length > 0 && u.src.has(d) && sameOwner(compiled, s, d)) return undefined;
  if (!src.user && dst.user)
    return `tagged devices can never SSH into user-owned devices (${dst.shortName} belongs to ${dst.user}, §7)`;
  if (u.dstSelf && selectors.length === 1) {
    if (!src.user)
      return `autogroup:self: ${src.shortName} is tagged, so it has no user whose devices "self" could mean`;
    if (!dst.user)
      return `autogroup:self covers only user-owned devices; ${dst.shortName} is tagged (${dst.tags.join(', ')})`;
    return `autogroup:self: ${dst.shortName} belongs to ${dst.user}, not to ${src.user}`;
  }
  return deviceMissReason('dst', selectors, dst);
}

function loginReason(u: SshUnit, login: string, users: readonly string[], src: Device): string {
  const listed = users.map((x) => x.trim()).join(', ');
  if (login === 'root') return `root is not in users (${listed}); autogroup:nonroot never includes root`;
  const domains = u.logins.localpartDomains;
  if (domains.length > 0) {
    const at = src.user?.lastIndexOf('@') ?? -1;
    const own = src.user && domains.includes(src.user.slice(at + 1)) ? `"${src.user.slice(0, at)}"` : 'no login';
    return `login "${login}" is not in users (${listed}); localpart:* gives ${src.shortName} ${own}`;
  }
  return `login "${login}" is not in users (${listed})`;
}
