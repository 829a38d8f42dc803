import { portProblem, portSpecProblem } from './private/syntax';

/**
 * Network capabilities of a grant's `ip` list (§6): `*`, a port or range (TCP and UDP), `proto:ports`, `proto:*`.
 * Values are made through `Ip` so a bare protocol name (`"icmp"`, a port-parse error in Tailscale) cannot be
 * written by accident. `problem` is set when the input is malformed; the rule using it reports it.
 */
export interface IpCapability {
  readonly text: string;
  readonly problem?: string;
}

/** IANA protocols Tailscale names (§4); only TCP, UDP and SCTP may carry specific ports. */
export const PROTOCOLS = [
  'tcp',
  'udp',
  'sctp',
  'icmp',
  'igmp',
  'ipv4',
  'ip-in-ip',
  'egp',
  'igp',
  'gre',
  'esp',
  'ah',
] as const;
export type Protocol = (typeof PROTOCOLS)[number];
const PORTED: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp', '6', '17', '132']);

export type PortSpec = number | string;

function portsText(ports: readonly PortSpec[]): { text: string; problem?: string } {
  if (ports.length === 0) return { text: '', problem: 'no ports given' };
  const parts = ports.map((p) => String(p));
  for (const p of ports) {
    const problem = typeof p === 'number' ? portProblem(p) : portSpecProblem(p);
    if (problem) return { text: parts.join(','), problem };
  }
  return { text: parts.join(',') };
}

function capability(proto: string | undefined, ports: readonly PortSpec[]): IpCapability {
  const { text, problem } = portsText(ports);
  const full = proto === undefined ? text : `${proto}:${text}`;
  if (problem) return { text: full, problem };
  if (proto !== undefined && text !== '*' && !PORTED.has(proto)) {
    return { text: full, problem: `protocol "${proto}" does not support specific ports, only "*" is allowed` };
  }
  return { text: full };
}

export const Ip = {
  /** All ports of TCP, UDP and ICMP (not SCTP/GRE: §18.5). */
  ALL: { text: '*' } as IpCapability,
  /** Ports on TCP and UDP (a bare number is a port, never a protocol: §18.6). */
  ports: (...ports: PortSpec[]): IpCapability => capability(undefined, ports),
  tcp: (...ports: PortSpec[]): IpCapability => capability('tcp', ports),
  udp: (...ports: PortSpec[]): IpCapability => capability('udp', ports),
  sctp: (...ports: PortSpec[]): IpCapability => capability('sctp', ports),
  /** Every port of one protocol, by name or IANA number: `Ip.proto('icmp')` → `icmp:*`. */
  proto(proto: Protocol | number): IpCapability {
    const name = String(proto);
    const known =
      (PROTOCOLS as readonly string[]).includes(name) ||
      (/^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= 255);
    return known ? { text: `${name}:*` } : { text: `${name}:*`, problem: `unknown protocol "${name}"` };
  },
};

/** ACL destination ports (`host:ports`). */
export function aclPorts(ports: readonly PortSpec[]): { text: string; problem?: string } {
  return portsText(ports);
}
