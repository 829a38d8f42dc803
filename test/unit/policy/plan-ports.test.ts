import { describe, expect, it } from 'vitest';
import {
  appendProtoPorts,
  formatPorts,
  normalizePorts,
  onlyPing,
  type PortSet,
  portsIntersect,
  subtractPorts,
} from '../../../src/policy/plan-ports';
import { parseGrantIp } from '../../../src/policy/selectors';

/** The proto/port sets `plan` diffs: what a grant `ip` list allows, and the text a reviewer reads back. */
function ports(...ip: string[]): PortSet {
  const acc: number[] = [];
  for (const text of ip) {
    const r = parseGrantIp(text);
    if (!r.ok) throw new Error(r.error);
    appendProtoPorts(acc, r.value);
  }
  return normalizePorts(acc);
}

describe('port sets', () => {
  it('prints what a grant allows in policy syntax', () => {
    expect(formatPorts(ports('tcp:443', 'tcp:80'))).toEqual(['tcp:80,443']);
    expect(formatPorts(ports('*'))).toEqual(['*']);
    expect(formatPorts(ports('53'))).toEqual(['tcp+udp:53']);
    expect(formatPorts(ports('tcp:8000-8100', 'udp:53', 'sctp:9'))).toEqual(['tcp:8000-8100', 'udp:53', 'sctp:9']);
    expect(formatPorts(ports('gre:*'))).toEqual(['gre:*']);
    expect(formatPorts(ports('icmp:*'))).toEqual(['icmp (ping)']);
  });

  it('ICMP rides along with every rule (§18.5), so a rule always brings ping', () => {
    expect(onlyPing(subtractPorts(ports('tcp:22'), ports('tcp:22,443')))).toBe(false);
    expect(subtractPorts(ports('tcp:22'), ports('tcp:22,443'))).toEqual([]);
    expect(formatPorts(subtractPorts(ports('tcp:22'), ports('udp:53')))).toEqual(['tcp:22']);
  });

  it('subtracts, intersects and never merges two protocols into one interval', () => {
    expect(formatPorts(subtractPorts(ports('tcp:1-100'), ports('tcp:50-60')))).toEqual(['tcp:1-49,61-100']);
    expect(portsIntersect(ports('tcp:80'), ports('tcp:79-81'))).toBe(true);
    expect(portsIntersect(ports('tcp:80'), ports('udp:80'))).toBe(true); // both carry ping
    expect(portsIntersect(subtractPorts(ports('tcp:80'), ports('udp:1')), ports('udp:80'))).toBe(false);
    // icmp (1) and igmp (2) are adjacent blocks: they must stay two protocols.
    expect(formatPorts(ports('icmp:*', 'igmp:*'))).toEqual(['igmp:*']);
    expect(formatPorts(subtractPorts(ports('icmp:*', 'igmp:*'), ports('tcp:1')))).toEqual(['igmp:*']);
  });
});
