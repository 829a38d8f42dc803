import type { Priority as PriorityLevel } from '../../ir/nixos';

/**
 * The NixOS options a host's `options` prop may set, with their types, read from the module sources listed in
 * facts/nixos.md §0–§6. A path segment `<name>` matches any one attribute name. Options the generated module sets
 * itself are `owned` (set them through the construct that owns them); options that exist but break the generated
 * module are `refused` with the reason; options people expect but that do not exist carry a `hint`.
 */
export type OptionType =
  | 'bool'
  | 'int'
  | 'port'
  | 'str'
  | 'path'
  | 'lines'
  | 'strList'
  | 'portList'
  | 'sysctl'
  | { readonly oneOf: readonly (string | boolean)[] };

export type NixOptionScalar = boolean | number | string;
export type NixOptionValue = NixOptionScalar | readonly string[] | readonly number[];

/** An option value with an explicit priority: `lib.mkDefault` (`default`) or `lib.mkForce` (`force`). */
export interface PrioritizedValue {
  readonly priority: PriorityLevel;
  readonly value: NixOptionValue;
}

export const Priority = {
  /** `lib.mkDefault v`: the host's own configuration may override it without a conflict. */
  default: (value: NixOptionValue): PrioritizedValue => ({ priority: 'default', value }),
  /** `lib.mkForce v`: wins over definitions of other modules (e.g. the Tailscale module's priority-97 sysctls). */
  force: (value: NixOptionValue): PrioritizedValue => ({ priority: 'force', value }),
};

const OWNED = 'owned';
const T = {
  bool: 'bool',
  int: 'int',
  port: 'port',
  str: 'str',
  path: 'path',
  lines: 'lines',
  strList: 'strList',
  portList: 'portList',
} as const;

/** Option path → type, or `owned` (set by a construct). */
const CATALOGUE: Readonly<Record<string, OptionType | typeof OWNED>> = {
  // services.tailscale (§1)
  'services.tailscale.enable': OWNED,
  'services.tailscale.port': OWNED,
  'services.tailscale.interfaceName': OWNED,
  'services.tailscale.authKeyFile': OWNED,
  'services.tailscale.extraUpFlags': OWNED,
  'services.tailscale.extraSetFlags': OWNED,
  'services.tailscale.useRoutingFeatures': OWNED,
  'services.tailscale.openFirewall': OWNED,
  'services.tailscale.permitCertUid': T.str,
  'services.tailscale.disableTaildrop': T.bool,
  'services.tailscale.disableUpstreamLogging': T.bool,
  'services.tailscale.extraDaemonFlags': T.strList,
  'services.tailscale.authKeyParameters.baseURL': T.str,
  'services.tailscale.authKeyParameters.ephemeral': T.bool,
  'services.tailscale.authKeyParameters.preauthorized': T.bool,
  // services.nginx (§2)
  'services.nginx.enable': OWNED,
  'services.nginx.virtualHosts': OWNED,
  'services.nginx.commonHttpConfig': OWNED,
  'services.nginx.recommendedProxySettings': OWNED,
  'services.nginx.recommendedTlsSettings': T.bool,
  'services.nginx.recommendedGzipSettings': T.bool,
  'services.nginx.recommendedBrotliSettings': T.bool,
  'services.nginx.recommendedOptimisation': T.bool,
  'services.nginx.experimentalZstdSettings': T.bool,
  'services.nginx.proxyTimeout': T.str,
  'services.nginx.clientMaxBodySize': T.str,
  'services.nginx.serverTokens': T.bool,
  'services.nginx.sslProtocols': T.str,
  'services.nginx.statusPage': T.bool,
  'services.nginx.enableReload': T.bool,
  'services.nginx.enableQuicBPF': T.bool,
  'services.nginx.validateConfigFile': T.bool,
  'services.nginx.appendHttpConfig': T.lines,
  'services.nginx.logError': T.str,
  'services.nginx.user': T.str,
  'services.nginx.group': T.str,
  'services.nginx.resolver.addresses': T.strList,
  'services.nginx.proxyResolveWhileRunning': T.bool,
  // networking.firewall (§3)
  'networking.firewall.enable': T.bool,
  'networking.firewall.allowPing': T.bool,
  'networking.firewall.pingLimit': T.str,
  'networking.firewall.logRefusedConnections': T.bool,
  'networking.firewall.logRefusedPackets': T.bool,
  'networking.firewall.logRefusedUnicastsOnly': T.bool,
  'networking.firewall.logReversePathDrops': T.bool,
  'networking.firewall.rejectPackets': T.bool,
  'networking.firewall.checkReversePath': { oneOf: [true, false, 'strict', 'loose'] },
  'networking.firewall.allowedTCPPorts': T.portList,
  'networking.firewall.allowedUDPPorts': T.portList,
  'networking.firewall.trustedInterfaces': T.strList,
  'networking.firewall.interfaces.<name>.allowedTCPPorts': T.portList,
  'networking.firewall.interfaces.<name>.allowedUDPPorts': T.portList,
  'networking.firewall.extraInputRules': T.lines,
  'networking.firewall.extraForwardRules': T.lines,
  'networking.firewall.filterForward': T.bool,
  // networking.nftables (§3)
  'networking.nftables.enable': OWNED,
  'networking.nftables.tables': OWNED,
  'networking.nftables.checkRuleset': T.bool,
  'networking.nftables.flushRuleset': T.bool,
  'networking.nftables.extraDeletions': T.lines,
  'networking.nftables.preCheckRuleset': T.lines,
  // boot.kernel.sysctl (§4): prefer a Tuning construct, which checks duplicates
  'boot.kernel.sysctl.<name>': 'sysctl',
  // Prometheus (§5)
  'services.prometheus.enable': OWNED,
  'services.prometheus.scrapeConfigs': OWNED,
  'services.prometheus.port': OWNED,
  'services.prometheus.listenAddress': T.str,
  'services.prometheus.retentionTime': T.str,
  'services.prometheus.checkConfig': { oneOf: [true, false, 'syntax-only'] },
  'services.prometheus.enableReload': T.bool,
  'services.prometheus.extraFlags': T.strList,
  'services.prometheus.webExternalUrl': T.str,
  'services.prometheus.stateDir': T.str,
  'services.prometheus.exporters.node.enable': OWNED,
  'services.prometheus.exporters.node.port': OWNED,
  'services.prometheus.exporters.node.listenAddress': OWNED,
  'services.prometheus.exporters.node.enabledCollectors': OWNED,
  'services.prometheus.exporters.node.extraFlags': OWNED,
  'services.prometheus.exporters.node.disabledCollectors': T.strList,
  'services.prometheus.exporters.node.openFirewall': T.bool,
  // secrets (§6)
  'sops.defaultSopsFile': T.path,
  'sops.age.keyFile': T.path,
  'sops.age.sshKeyPaths': T.strList,
  'sops.validateSopsFiles': T.bool,
  'age.identityPaths': T.strList,
  'age.secretsDir': T.str,
  'services.openssh.enable': T.bool,
  'security.acme.acceptTerms': OWNED,
  'security.acme.defaults.email': OWNED,
};

/** Options that exist but break what the generated module relies on. */
const REFUSED: Readonly<Record<string, string>> = {
  'networking.nftables.ruleset':
    "a non-empty ruleset switches flushRuleset on, which flushes every table on reload, tailscaled's included (facts/nixos.md §3); firewall zones use networking.nftables.tables",
  'networking.nftables.rulesetFile': 'rulesetFile conflicts with the NixOS firewall (assertion, facts/nixos.md §3)',
  'networking.firewall.extraCommands':
    'iptables only: the assertion fails with the nftables backend firewall zones switch on',
  'networking.firewall.extraStopCommands': 'iptables only: the assertion fails with the nftables backend',
  'services.nginx.httpConfig': 'httpConfig replaces the http block the proxies are generated into',
  'services.nginx.config': 'config replaces the whole nginx.conf the proxies are generated into',
};

/** Options people look for that do not exist, and what to use instead (facts/nixos.md §1, §2). */
const HINTS: Readonly<Record<string, string>> = {
  'services.tailscale.loginServer':
    'there is no such option: give NixosHost loginServer (becomes --login-server=… in extraUpFlags)',
  'services.tailscale.hostname': 'there is no such option: give NixosHost hostname (becomes --hostname=…)',
  'services.tailscale.advertiseRoutes': 'there is no such option: give NixosHost advertiseRoutes',
  'services.tailscale.advertiseExitNode': 'there is no such option: give NixosHost exitNode',
  'services.tailscale.exitNode': 'there is no such option: give NixosHost exitNode or useExitNode',
  'services.tailscale.acceptDns': 'there is no such option: give NixosHost acceptDns',
  'services.tailscale.ssh': 'there is no such option: give NixosHost ssh',
  'services.tailscale.ignoreReversePathFilter': 'removed from nixpkgs: useRoutingFeatures sets checkReversePath itself',
  'services.nginx.recommendedZstdSettings':
    'removed (mkRemovedOptionModule): use services.nginx.experimentalZstdSettings',
};

export type OptionCheck =
  | { readonly ok: true; readonly type: OptionType }
  | {
      readonly ok: false;
      readonly reason: 'unknown' | 'owned' | 'refused';
      readonly message: string;
      readonly hint: string;
    };

export function lookupOption(path: string): OptionCheck {
  if (REFUSED[path])
    return { ok: false, reason: 'refused', message: `"${path}" cannot be set here`, hint: REFUSED[path] };
  const match = Object.keys(CATALOGUE).find((pattern) => matches(pattern, path));
  if (match === undefined) {
    const hint = HINTS[path] ?? suggestion(path);
    return { ok: false, reason: 'unknown', message: `"${path}" is not a NixOS option tailnet-cdk knows`, hint };
  }
  const type = CATALOGUE[match];
  if (type === OWNED) {
    return {
      ok: false,
      reason: 'owned',
      message: `"${path}" is set by the generated module`,
      hint: 'set it through the construct props (NixosHost, NginxProxy, FirewallZone, Tuning, Monitoring)',
    };
  }
  return { ok: true, type };
}

function matches(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const parts = splitOptionPath(path);
  return p.length === parts.length && p.every((seg, i) => seg === '<name>' || seg === parts[i]);
}

const SYSCTL_PREFIX = 'boot.kernel.sysctl.';

/**
 * `networking.firewall.interfaces."enp1s0".allowedTCPPorts` → segments, quotes removed. A sysctl key is one
 * attribute name although it contains dots (`boot.kernel.sysctl."net.core.rmem_max"`).
 */
export function splitOptionPath(path: string): string[] {
  if (path.startsWith(SYSCTL_PREFIX)) {
    return ['boot', 'kernel', 'sysctl', path.slice(SYSCTL_PREFIX.length).replace(/^"|"$/g, '')];
  }
  return (path.match(/"[^"]*"|[^.]+/g) ?? []).map((s) => s.replace(/^"|"$/g, ''));
}

function suggestion(path: string): string {
  const known = [...Object.keys(CATALOGUE), ...Object.keys(HINTS)].filter((k) => !k.includes('<name>'));
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(k, path);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(3, Math.floor(path.length / 6))
    ? `did you mean "${best}"?`
    : 'check the option in the NixOS manual; only options listed in facts/nixos.md are accepted';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Why `value` does not fit `type`, or undefined. */
export function optionTypeProblem(type: OptionType, value: NixOptionValue): string | undefined {
  const shown = JSON.stringify(value);
  if (typeof type === 'object') {
    return type.oneOf.includes(value as string | boolean)
      ? undefined
      : `${shown} is not one of ${type.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const isPort = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
  const ok: Record<Exclude<OptionType, object>, (v: NixOptionValue) => boolean> = {
    bool: (v) => typeof v === 'boolean',
    int: (v) => typeof v === 'number' && Number.isInteger(v),
    port: isPort,
    str: (v) => typeof v === 'string',
    lines: (v) => typeof v === 'string',
    path: (v) => typeof v === 'string' && v.startsWith('/'),
    strList: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
    portList: (v) => Array.isArray(v) && v.every(isPort),
    sysctl: (v) => ['boolean', 'number', 'string'].includes(typeof v),
  };
  return ok[type](value) ? undefined : `${shown} is not a ${TYPE_NAMES[type]}`;
}

const TYPE_NAMES: Record<Exclude<OptionType, object>, string> = {
  bool: 'boolean',
  int: 'integer',
  port: 'port (0-65535)',
  str: 'string',
  lines: 'string',
  path: 'absolute path',
  strList: 'list of strings',
  portList: 'list of ports',
  sysctl: 'boolean, integer or string',
};
