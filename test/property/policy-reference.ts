import ipaddr from 'ipaddr.js';
import type { Device } from '../../src/policy/inventory';
import type { PolicyFile } from '../../src/policy/model';

/**
 * A deliberately naive reference evaluator, written straight from facts/tailscale-policy.md §3–§7 and §14:
 * loop over every rule, expand every selector against the one packet at hand. No indexes, no bitsets, no caches;
 * only ipaddr.js for address arithmetic. The property test checks the optimized engine against it.
 */
type Ip = ipaddr.IPv4 | ipaddr.IPv6;

// Parsing is memoized (pure functions of the text); the evaluation itself stays naive.
const parsed = new Map<string, Ip | undefined>();
const parse = (s: string): Ip | undefined => {
  if (!parsed.has(s)) parsed.set(s, ipaddr.isValid(s) ? ipaddr.parse(s) : undefined);
  return parsed.get(s);
};
const kind = (ip: Ip) => ip.kind();

const cidrs = new Map<string, [Ip, number]>();
function inCidr(ip: Ip, cidr: string): boolean {
  let c = cidrs.get(cidr);
  if (!c) {
    const base = parse(cidr.split('/')[0])!;
    c = [base, cidr.includes('/') ? Number(cidr.split('/')[1]) : kind(base) === 'ipv4' ? 32 : 128];
    cidrs.set(cidr, c);
  }
  return c[0].kind() === ip.kind() && ip.match(c as [Ip, number]);
}

const prefixLength = (cidr: string) => Number(cidr.split('/')[1]);
const isExit = (cidr: string) => cidr === '0.0.0.0/0' || cidr === '::/0';

function inTailnet(ip: Ip): boolean {
  return inCidr(ip, '100.64.0.0/10') || inCidr(ip, 'fd7a:115c:a1e0::/48');
}

/** §3.2 technical definition of autogroup:internet. */
function inInternet(ip: Ip): boolean {
  if (kind(ip) === 'ipv6') return inCidr(ip, '2000::/3');
  return !['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'].some((c) =>
    inCidr(ip, c),
  );
}

interface Rule {
  ref: { section: 'acls' | 'grants'; index: number };
  src: string[];
  dst: string[];
  ip: { protos?: number[]; ranges: [number, number][] }[];
  via: string[];
  postures: string[];
}

const PROTOS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, gre: 47, esp: 50, sctp: 132 };

function ports(text: string): [number, number][] {
  if (text === '*') return [[0, 65535]];
  return text.split(',').map((p) => {
    const [a, b] = p.split('-').map(Number);
    return [a, b ?? a];
  });
}

function ipElement(text: string): Rule['ip'][number] {
  if (!text.includes(':')) return { ranges: ports(text) };
  const [proto, p] = text.split(':');
  return { protos: [PROTOS[proto] ?? Number(proto)], ranges: ports(p) };
}

function rulesOf(policy: PolicyFile): Rule[] {
  const out: Rule[] = [];
  const posturesOf = (own: string[] | null | undefined) =>
    own && own.length > 0 ? own : (policy.defaultSrcPosture ?? []);
  if (policy.acls === undefined && policy.grants === undefined) {
    out.push({
      ref: { section: 'grants', index: -1 },
      src: ['*'],
      dst: ['*'],
      ip: [{ ranges: [[0, 65535]] }],
      via: [],
      postures: [],
    });
  }
  (policy.acls ?? []).forEach((a, index) => {
    for (const d of a.dst) {
      const colon = d.lastIndexOf(':');
      const protos = a.proto ? [PROTOS[a.proto] ?? Number(a.proto)] : undefined;
      out.push({
        ref: { section: 'acls', index },
        src: a.src,
        dst: [d.slice(0, colon)],
        ip: [{ protos, ranges: ports(d.slice(colon + 1)) }],
        via: [],
        postures: posturesOf(a.srcPosture),
      });
    }
  });
  (policy.grants ?? []).forEach((g, index) => {
    if (!g.ip || g.ip.length === 0) return;
    out.push({
      ref: { section: 'grants', index },
      src: g.src,
      dst: g.dst,
      ip: g.ip.map(ipElement),
      via: g.via ?? [],
      postures: posturesOf(g.srcPosture),
    });
  });
  return out;
}

export class ReferenceEvaluator {
  private readonly rules: Rule[];

  constructor(
    readonly policy: PolicyFile,
    readonly devices: readonly Device[],
  ) {
    this.rules = rulesOf(policy);
  }

  private device(name: string): Device | undefined {
    return this.devices.find((d) => d.name === name);
  }

  private owner(ip: Ip): Device | undefined {
    return this.devices.find((d) =>
      d.addresses.some((a) => parse(a)?.toNormalizedString() === ip.toNormalizedString()),
    );
  }

  private hasTag(d: Device, tag: string): boolean {
    return d.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
  }

  /** Identity selectors (§3.3, §13): never match a tagged device by user. */
  private identity(sel: string, d: Device): boolean {
    if (sel.startsWith('tag:')) return this.hasTag(d, sel);
    if (sel === 'autogroup:tagged') return d.tags.length > 0;
    if (d.user === undefined) return sel === 'autogroup:danger-all';
    if (sel === 'autogroup:member') return !d.isExternal;
    if (sel === 'autogroup:danger-all') return true;
    if (sel.startsWith('group:')) return (this.policy.groups?.[sel] ?? []).includes(d.user);
    if (sel.startsWith('user:*@')) return d.user.endsWith(sel.slice(6));
    return sel.includes('@') && d.user === sel;
  }

  /** Address selectors: exactly their literal addresses. */
  private address(sel: string, ip: Ip, side: 'src' | 'dst'): boolean {
    if (sel === '*') {
      if (side === 'dst') return true;
      const approvedSubnet = this.devices.some((d) => d.approvedRoutes.some((r) => !isExit(r) && inCidr(ip, r)));
      return (inTailnet(ip) && !inCidr(ip, '100.115.92.0/23')) || approvedSubnet;
    }
    if (sel === 'autogroup:danger-all') return true;
    if (sel === 'autogroup:internet') return inInternet(ip);
    if (sel.startsWith('ipset:')) return this.inIpset(sel, ip);
    const host = this.policy.hosts?.[sel];
    if (host !== undefined) return inCidr(ip, host);
    return parse(sel.split('/')[0]) !== undefined && inCidr(ip, sel);
  }

  /** §8.4, for one address: walk the entries in order; the last add/remove that covers it wins. */
  private inIpset(name: string, ip: Ip): boolean {
    let member = false;
    for (const entry of this.policy.ipsets?.[name] ?? []) {
      const m = /^(add|remove) (.+)$/.exec(entry);
      const [op, target] = m ? [m[1], m[2]] : ['add', entry];
      const covers = target.startsWith('ipset:')
        ? this.inIpset(target, ip)
        : target.startsWith('host:')
          ? inCidr(ip, this.policy.hosts![target.slice(5)])
          : this.address(target, ip, 'dst');
      if (covers) member = op === 'add';
    }
    return member;
  }

  private srcMatches(rule: Rule, src: Device | undefined, ip: Ip, attrs: Record<string, unknown> | undefined): boolean {
    const hit = rule.src.some((s) => this.address(s, ip, 'src') || (src !== undefined && this.identity(s, src)));
    if (!hit) return false;
    if (!src || rule.postures.length === 0) return true;
    return rule.postures.some((p) => (this.policy.postures?.[p] ?? []).every((c) => this.condition(c, attrs)));
  }

  /** Only `attr == 'value'` conditions are generated. */
  private condition(c: string, attrs: Record<string, unknown> | undefined): boolean {
    const m = /^(\S+) == '([^']*)'$/.exec(c)!;
    return attrs?.[m[1]] !== undefined && String(attrs[m[1]]) === m[2];
  }

  private dstMatches(rule: Rule, src: Device | undefined, dstDevice: Device | undefined, ip: Ip): boolean {
    return rule.dst.some((s) => {
      if (s === 'autogroup:self') return !!src && !!dstDevice && src.user !== undefined && src.user === dstDevice.user;
      return this.address(s, ip, 'dst') || (dstDevice !== undefined && this.identity(s, dstDevice));
    });
  }

  private protoMatches(rule: Rule, proto: number, port: number): boolean {
    if (proto === 1 || proto === 58) return true;
    return rule.ip.some((e) => {
      if (!(e.protos ?? [6, 17, 1, 58]).includes(proto)) return false;
      if ([6, 17, 132].includes(proto)) return e.ranges.some(([a, b]) => a <= port && port <= b);
      return e.ranges.some(([a, b]) => a === 0 && b === 65535);
    });
  }

  private enforcers(ip: Ip): { device: Device; mode: 'device' | 'router' | 'exit' }[] {
    const owner = this.owner(ip);
    if (owner) return [{ device: owner, mode: 'device' }];
    const routes = this.devices.flatMap((d) =>
      d.approvedRoutes.filter((r) => !isExit(r) && inCidr(ip, r)).map((r) => ({ d, r })),
    );
    if (routes.length > 0) {
      const best = Math.max(...routes.map((x) => prefixLength(x.r)));
      const routers = routes.filter((x) => prefixLength(x.r) === best).map((x) => x.d);
      return [...new Set(routers)].map((device) => ({ device, mode: 'router' }));
    }
    if (inTailnet(ip)) return [];
    const exit = kind(ip) === 'ipv4' ? '0.0.0.0/0' : '::/0';
    return this.devices.filter((d) => d.approvedRoutes.includes(exit)).map((device) => ({ device, mode: 'exit' }));
  }

  canReach(
    srcText: string,
    dstText: string,
    proto: number,
    port: number,
  ): { allowed: boolean; enforcedBy?: string; rules: string[] } {
    const src = this.device(srcText);
    const dst = this.device(dstText);
    const srcIps = src ? src.addresses.map((a) => parse(a)!) : [parse(srcText)!];
    const dstIps = dst ? dst.addresses.map((a) => parse(a)!) : [parse(dstText)!];
    const srcDevice = src ?? this.owner(srcIps[0]);
    let denial: { allowed: boolean; enforcedBy?: string; rules: string[] } | undefined;
    for (const family of ['ipv4', 'ipv6']) {
      const s = srcIps.find((i) => kind(i) === family);
      const d = dstIps.find((i) => kind(i) === family);
      if (!s || !d) continue;
      const enforcers = this.enforcers(d);
      for (const e of enforcers) {
        const applicable = this.rules.filter((r) => {
          if (e.mode === 'device') return r.via.length === 0;
          return r.via.length === 0 || r.via.some((t) => this.hasTag(e.device, t));
        });
        const dstDevice = e.mode === 'device' ? e.device : undefined;
        const matching = applicable.filter(
          (r) =>
            this.srcMatches(r, srcDevice, s, srcDevice?.postureAttrs) &&
            this.dstMatches(r, srcDevice, dstDevice, d) &&
            this.protoMatches(r, proto, port),
        );
        const mayUseExit =
          e.mode !== 'exit' ||
          applicable.some(
            (r) =>
              this.srcMatches(r, srcDevice, s, srcDevice?.postureAttrs) &&
              r.dst.some((x) => x === '*' || x === 'autogroup:internet'),
          );
        if (matching.length > 0 && mayUseExit) {
          const rules = [
            ...new Set(matching.filter((r) => r.ref.index >= 0).map((r) => `${r.ref.section}:${r.ref.index}`)),
          ];
          return { allowed: true, enforcedBy: e.device.name, rules };
        }
      }
      denial ??= { allowed: false, rules: [], ...(enforcers[0] ? { enforcedBy: enforcers[0].device.name } : {}) };
    }
    return denial ?? { allowed: false, rules: [] };
  }

  ssh(srcName: string, dstName: string, login: string): 'accept' | 'check' | 'deny' {
    const s = this.device(srcName)!;
    const d = this.device(dstName)!;
    let result: 'accept' | 'check' | 'deny' = 'deny';
    for (const rule of this.policy.ssh ?? []) {
      const srcOk = rule.src.some((x) => this.identity(x, s));
      const postures =
        rule.srcPosture && rule.srcPosture.length > 0 ? rule.srcPosture : (this.policy.defaultSrcPosture ?? []);
      const postureOk =
        postures.length === 0 ||
        postures.some((p) => (this.policy.postures?.[p] ?? []).every((c) => this.condition(c, s.postureAttrs)));
      const sameUser = s.user !== undefined && s.user === d.user;
      const dstOk = rule.dst.some((x) => (x === 'autogroup:self' ? sameUser : this.identity(x, d)));
      const users = rule.users ?? [];
      const localparts = users.filter((u) => u.startsWith('localpart:*@')).map((u) => u.slice('localpart:*@'.length));
      const localpart = localparts.some((dom) => s.user === `${login}@${dom}`);
      const loginOk =
        login === 'root'
          ? users.includes('root') || localpart
          : users.includes('autogroup:nonroot') || users.includes(login) || localpart;
      // §7 quirk: localpart rules let a source device's own user's devices in.
      const quirk = localparts.length > 0 && rule.src.some((x) => this.identity(x, d)) && sameUser;
      if (srcOk && postureOk && loginOk && (dstOk || quirk)) {
        if (rule.action === 'check') result = 'check';
        else if (result === 'deny') result = 'accept';
      }
    }
    return result;
  }
}
