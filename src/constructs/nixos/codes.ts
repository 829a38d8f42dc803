import { defineCodes } from '../../core/errors';

/**
 * TN2xxx: NixOS hosts, nginx reverse proxies, firewall zones, sysctl tuning and monitoring. Construct-time checks
 * and the NixOS IR rules (`src/ir/rules/nixos-*.ts`) share this catalogue.
 */
export const NIXOS_CODES = defineCodes({
  invalidSecret: {
    code: 'TN2001',
    severity: 'error',
    title: 'secret source is a literal value or not an absolute path',
  },
  unknownOption: { code: 'TN2002', severity: 'error', title: 'NixOS option does not exist' },
  optionType: { code: 'TN2003', severity: 'error', title: 'NixOS option value has the wrong type' },
  optionConflict: { code: 'TN2004', severity: 'error', title: 'NixOS option is already set by a construct or module' },
  invalidRate: { code: 'TN2005', severity: 'error', title: 'rate limit is not N r/s or N r/m' },
  invalidSize: { code: 'TN2006', severity: 'error', title: 'size is not an nginx size (N, Nk, Nm, Ng)' },
  portConflict: { code: 'TN2007', severity: 'error', title: 'one port is used twice on one host' },
  unknownInterface: {
    code: 'TN2008',
    severity: 'error',
    title: 'firewall zone names an interface the host does not have',
  },
  unknownService: { code: 'TN2009', severity: 'error', title: 'firewall zone names an unknown service' },
  missingReach: { code: 'TN2010', severity: 'error', title: 'proxy has no reachable name' },
  magicDnsSubdomain: {
    code: 'TN2011',
    severity: 'error',
    title: 'name below a MagicDNS device name (MagicDNS does not resolve it)',
  },
  grantBlockedByZone: {
    code: 'TN2012',
    severity: 'warning',
    title: 'a grant allows a port the host firewall drops on the Tailscale interface',
  },
  portWithoutGrant: {
    code: 'TN2013',
    severity: 'info',
    title: 'a port open on the Tailscale interface is allowed by no grant',
  },
  sysctlConflict: { code: 'TN2014', severity: 'error', title: 'sysctl key set twice with different values' },
  invalidHost: { code: 'TN2015', severity: 'error', title: 'NixOS host declaration is malformed' },
  invalidProxy: { code: 'TN2016', severity: 'error', title: 'proxy declaration is malformed' },
  invalidZone: { code: 'TN2017', severity: 'error', title: 'firewall zone declaration is malformed' },
  invalidMonitoring: { code: 'TN2018', severity: 'error', title: 'monitoring declaration is malformed' },
  invalidTuning: { code: 'TN2019', severity: 'error', title: 'sysctl key or value is malformed' },
  duplicateName: { code: 'TN2020', severity: 'error', title: 'two constructs of one host share a name' },
  // 207x: job dispatcher (coordinator and agents, src/constructs/nixos/dispatcher.ts)
  invalidDispatcher: { code: 'TN2070', severity: 'error', title: 'coordinator or agent declaration is malformed' },
  duplicateAgent: { code: 'TN2071', severity: 'error', title: 'two agents of one coordinator run on one host name' },
  agentWithoutCoordinator: { code: 'TN2072', severity: 'error', title: 'agent names no coordinator' },
  coordinatorOpen: {
    code: 'TN2073',
    severity: 'warning',
    title: 'coordinator on a host whose firewall tailnet-cdk does not manage listens on every address',
  },
  grafanaSecretKey: {
    code: 'TN2075',
    severity: 'warning',
    title: 'Grafana has no secret_key file (NixOS 26.05 dropped the default)',
  },
  unitConflict: { code: 'TN2074', severity: 'error', title: 'two constructs configure one systemd service of a host' },
  // WireGuard mode (docs/wireguard.md): TN2090–TN2099
  invalidTransport: { code: 'TN2090', severity: 'error', title: 'WireGuard transport or peer setting is malformed' },
  wireguardCidrTooSmall: {
    code: 'TN2091',
    severity: 'error',
    title: 'WireGuard CIDR has too few addresses for its peers',
  },
  wireguardCidrOverlap: { code: 'TN2092', severity: 'error', title: 'WireGuard CIDR overlaps another network' },
  wireguardKey: { code: 'TN2093', severity: 'error', title: 'WireGuard peer is missing or has a malformed public key' },
  wireguardEndpoint: {
    code: 'TN2094',
    severity: 'error',
    title: 'WireGuard endpoint is malformed, or two peers have none (they can never connect)',
  },
  wireguardAddress: {
    code: 'TN2095',
    severity: 'error',
    title: 'WireGuard address is malformed, outside the CIDR or taken',
  },
  wireguardServices: { code: 'TN2096', severity: 'error', title: 'Tailscale Services (svc:) used in WireGuard mode' },
  wireguardSsh: { code: 'TN2097', severity: 'error', title: 'Tailscale SSH used in WireGuard mode' },
  wireguardRouting: {
    code: 'TN2098',
    severity: 'error',
    title: 'exit node or subnet route used in WireGuard mode',
  },
  wireguardMagicDns: { code: 'TN2099', severity: 'error', title: 'MagicDNS name used in WireGuard mode' },
  authMethodUnsupported: { code: 'TN2080', severity: 'error', title: 'auth method a NixOS host cannot use' },
  oauthWithoutTags: { code: 'TN2081', severity: 'error', title: 'OAuth client login without tags' },
});
