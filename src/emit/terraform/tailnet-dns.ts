import type { TerraformStack } from 'cdktf';
import type { StackIr } from '../../ir/types';
import { TailscaleDnsConfiguration } from './l1/dns';

/**
 * MagicDNS and split DNS of a tailnet on Tailscale's control plane, when the stack declares them
 * (`ControlServer.tailscale({ dns })`). One `tailscale_dns_configuration`, which owns the whole DNS configuration,
 * so it is never mixed with the single-purpose `tailscale_dns_*` resources (facts terraform.md §2.2).
 */
export function addTailnetDns(ir: StackIr, stack: TerraformStack): void {
  if (ir.controlServer.kind !== 'tailscale' || !ir.controlServer.dns) return;
  const dns = ir.controlServer.dns;
  const servers = (addresses: readonly string[]) => addresses.map((address) => ({ address }));
  new TailscaleDnsConfiguration(stack, 'dns', {
    magicDns: dns.magicDns,
    overrideLocalDns: dns.overrideLocalDns,
    ...(dns.searchPaths.length > 0 ? { searchPaths: [...dns.searchPaths] } : {}),
    ...(dns.nameservers.length > 0 ? { nameservers: servers(dns.nameservers) } : {}),
    ...(dns.splitDns.length > 0
      ? { splitDns: dns.splitDns.map((s) => ({ domain: s.domain, nameservers: servers(s.nameservers) })) }
      : {}),
  });
}
