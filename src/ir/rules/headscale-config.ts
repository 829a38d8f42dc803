import * as ipaddr from 'ipaddr.js';
import { KUBERNETES_CODES } from '../../constructs/kubernetes/codes';
import { addressProblem } from '../../constructs/private/syntax';
import type { Diagnostic } from '../../core/diagnostics';
import { diag } from '../../core/errors';
import type { HeadscaleControlIr } from '../control-server';
import type { StackIr } from '../types';

/**
 * The settings Headscale refuses to start with (facts/kubernetes-headscale.md §4.1, `hscontrol/types/config.go`
 * validation), checked before config.yaml is written. Each rule is a row: a predicate and its message.
 */
interface StartupRule {
  readonly fails: (h: HeadscaleControlIr) => boolean;
  readonly message: (h: HeadscaleControlIr) => string;
  readonly hint: string;
}

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/;

function serverHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function durationSeconds(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

function inside(prefix: string | undefined, parent: string): boolean {
  if (prefix === undefined) return true;
  try {
    const [addr, len] = ipaddr.parseCIDR(prefix);
    const [paddr, plen] = ipaddr.parseCIDR(parent);
    return addr.kind() === paddr.kind() && len >= plen && addr.match(paddr, plen);
  } catch {
    return false;
  }
}

const STARTUP_RULES: readonly StartupRule[] = [
  {
    fails: (h) => !/^https?:\/\/[^/]+/.test(h.url) || serverHost(h.url) === undefined,
    message: (h) => `url: server_url "${h.url}" must start with http:// or https://`,
    hint: 'give the URL clients reach Headscale at, e.g. https://headscale.example.com',
  },
  {
    fails: (h) => h.dns.magicDns && h.dns.baseDomain === '',
    message: () => 'magicDnsBaseDomain: dns.magic_dns needs dns.base_domain',
    hint: 'give a base domain such as tail.example.com, or magicDns: false',
  },
  {
    fails: (h) => h.dns.baseDomain.endsWith('.'),
    message: (h) => `magicDnsBaseDomain: "${h.dns.baseDomain}" ends with a dot`,
    hint: 'write the domain without the trailing dot',
  },
  {
    fails: (h) => {
      const host = serverHost(h.url);
      const base = h.dns.baseDomain;
      return host !== undefined && base !== '' && (host === base || host.endsWith(`.${base}`));
    },
    message: (h) =>
      `server_url host "${serverHost(h.url)}" is the MagicDNS base domain "${h.dns.baseDomain}" or inside it`,
    hint: 'MagicDNS would shadow the server: pick a base domain such as tail.example.com for headscale.example.com',
  },
  {
    fails: (h) => h.dns.overrideLocalDns && h.dns.globalNameservers.length === 0,
    message: () => 'dns.override_local_dns is true but dns.nameservers.global is empty',
    hint: 'give nameservers: { global: [...] }, or overrideLocalDns: false',
  },
  {
    fails: (h) => h.prefixes.v4 === undefined && h.prefixes.v6 === undefined,
    message: () => 'prefixes: neither v4 nor v6 is set',
    hint: 'keep at least one of 100.64.0.0/10 and fd7a:115c:a1e0::/48',
  },
  {
    fails: (h) => !inside(h.prefixes.v4, '100.64.0.0/10') || !inside(h.prefixes.v6, 'fd7a:115c:a1e0::/48'),
    message: (h) =>
      `prefixes: ${[h.prefixes.v4, h.prefixes.v6].filter(Boolean).join(', ')} must lie inside 100.64.0.0/10 and fd7a:115c:a1e0::/48`,
    hint: 'Headscale does not support prefixes outside the CGNAT and Tailscale ULA ranges',
  },
  {
    fails: (h) => h.derp.server !== undefined && !h.url.startsWith('https://'),
    message: (h) => `derp.embedded needs an https:// server URL, got "${h.url}"`,
    hint: 'serve Headscale over TLS or drop derp.embedded',
  },
  {
    fails: (h) => (durationSeconds(h.ephemeralInactivityTimeout) ?? 0) <= 65,
    message: (h) => `ephemeralInactivityTimeout: "${h.ephemeralInactivityTimeout}" must be a Go duration above 65s`,
    hint: 'give e.g. 30m',
  },
  {
    fails: (h) => durationSeconds(h.nodeExpiry) === undefined,
    message: (h) => `nodeExpiry: "${h.nodeExpiry}" is not a Go duration`,
    hint: 'give e.g. 0 (never) or 2160h',
  },
];

function addressProblems(h: HeadscaleControlIr): Diagnostic[] {
  const path = h.source.path;
  const nameservers = [...h.dns.globalNameservers, ...h.dns.splitNameservers.flatMap((s) => s.nameservers)];
  const out: Diagnostic[] = [];
  // Global resolvers may also be DoH/NextDNS URLs (facts §4.1); everything else must be an IP.
  for (const ns of nameservers.filter((n) => !/^https?:\/\//.test(n))) {
    const problem = addressProblem(ns);
    if (problem || ns.includes('/'))
      out.push(
        diag(
          KUBERNETES_CODES.invalidControlServer,
          path,
          `nameservers: ${problem ?? `"${ns}" is a prefix`}`,
          'give resolver IPs',
        ),
      );
  }
  for (const r of h.dns.extraRecords) {
    const ok = r.type === 'A' ? ipaddr.IPv4.isValidFourPartDecimal(r.value) : ipaddr.IPv6.isValid(r.value);
    if (!ok)
      out.push(
        diag(
          KUBERNETES_CODES.invalidControlServer,
          path,
          `extraRecords: "${r.value}" is not an ${r.type === 'A' ? 'IPv4' : 'IPv6'} address for ${r.type} record "${r.name}"`,
          'give the address the name should resolve to',
        ),
      );
  }
  for (const p of h.trustedProxies) {
    if (addressProblem(p) || p === '0.0.0.0/0' || p === '::/0') {
      out.push(
        diag(
          KUBERNETES_CODES.invalidControlServer,
          path,
          `trustedProxies: "${p}" is not a usable CIDR (0.0.0.0/0 and ::/0 are refused)`,
          "list the proxies' own networks",
        ),
      );
    }
  }
  return out;
}

/** TN3009 for each startup rule Headscale would fail on; TN3022 for malformed addresses. */
export function headscaleConfigProblems(ir: StackIr): Diagnostic[] {
  const h = ir.controlServer;
  if (h.kind !== 'headscale') return [];
  const startup = STARTUP_RULES.filter((r) => r.fails(h)).map((r) =>
    diag(KUBERNETES_CODES.headscaleWontStart, h.source.path, `controlServer: ${r.message(h)}`, r.hint),
  );
  return [...startup, ...addressProblems(h)];
}

/** TN3010 (info): Terraform drives Tailscale's API, which Headscale does not have, so keys come from bootstrap.sh. */
export function headscaleTerraformNotice(ir: StackIr): Diagnostic[] {
  if (ir.controlServer.kind !== 'headscale' || !ir.terraform.enabled) return [];
  return [
    diag(
      KUBERNETES_CODES.keysFromBootstrap,
      ir.source.path,
      'terraform: no Tailscale API resources (policy, auth keys, DNS) for a Headscale stack; auth keys come from headscale/bootstrap.sh',
      'run out/<stack>/headscale/bootstrap.sh against the cluster; Terraform keeps only the Kubernetes RBAC objects',
    ),
  ];
}
