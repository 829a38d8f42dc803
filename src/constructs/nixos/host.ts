import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { compareStrings } from '../../core/diagnostics';
import { kebab } from '../../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../../ir/contribution';
import type { NixosHostIr, NixosOptionIr } from '../../ir/nixos';
import { Address } from '../address';
import { isNodeAuthMethod, type NodeAuthMethod } from '../auth';
import { Device } from '../device';
import { Grant } from '../grant';
import { AutoApprover } from '../policy-extras';
import { Ip, type IpCapability } from '../ports';
import { hostDestination, hostIdentity } from '../private/host-selectors';
import { report } from '../private/report';
import { Autogroup, type Selector, type TagPosition } from '../selector';
import type { TailscaleService } from '../service';
import { NIXOS_CODES } from './codes';
import { lookupOption, type NixOptionValue, optionTypeProblem, type PrioritizedValue } from './options';
import { NginxProxy, type NginxProxyProps } from './proxy';
import { type AuthKeySource, secretProblem, secretRef } from './secrets';
import { HostedService } from './serve';
import { Tuning, type TuningProps } from './tuning';
import { FirewallZone, type FirewallZoneProps } from './zone';

const HOST_BRAND = Symbol.for('tailnet-cdk.NixosHost');
/** IFNAMSIZ is 16 bytes including the terminating NUL. */
const INTERFACE_NAME = /^[A-Za-z0-9_.:@-]{1,15}$/;

export interface ExitNodeOptions {
  /** Who may route internet traffic through this host: a grant from them to `autogroup:internet`. @default - no grant */
  readonly clients?: readonly Selector<'src'>[];
  /**
   * Let those clients also reach the networks behind this host (its `advertiseRoutes`, e.g. the LAN): exit-node
   * traffic to private ranges is not covered by `autogroup:internet`, so it needs its own grant (facts §3.2).
   * @default false
   */
  readonly allowLanAccess?: boolean;
}

export interface NixosHostProps {
  /** MagicDNS base name (`--hostname=`). @default - the construct id in kebab case */
  readonly hostname?: string;
  /** Tags the host logs in with (`--advertise-tags=`, approvers of its routes). Give tags or user. @default - none */
  readonly tags?: readonly Selector<TagPosition>[];
  /** Owner login of an untagged host. @default - none */
  readonly user?: string;
  /** Control server URL for Headscale (`--login-server=`, first login only). @default - the stack's Headscale URL, else Tailscale */
  readonly loginServer?: string;
  /**
   * Unattended login (`services.tailscale.authKeyFile`): an auth key file, or `NodeAuth.oauthClient(file)` (an
   * OAuth client secret file plus `authKeyParameters`; needs tags). `NodeAuth.env` and `NodeAuth.workloadIdentity`
   * cannot work on a NixOS host and are reported (TN2080).
   * @default - none: log in by hand once
   */
  readonly authKey?: AuthKeySource | NodeAuthMethod;
  /** Subnet routes advertised (`--advertise-routes=`), auto-approved for this host's tags. @default - none */
  readonly advertiseRoutes?: readonly string[];
  /** Offer this host as an exit node (`--advertise-exit-node`), auto-approved for its tags. @default false */
  readonly exitNode?: boolean | ExitNodeOptions;
  /** Route this host's internet traffic through an exit node (`--exit-node=`). @default - none */
  readonly useExitNode?: NixosHost | Device | string;
  /** With `useExitNode`: keep reaching the local LAN directly (`--exit-node-allow-lan-access`). @default false */
  readonly exitNodeAllowLanAccess?: boolean;
  /** Use the tailnet's DNS, MagicDNS included (`--accept-dns=`). @default true */
  readonly acceptDns?: boolean;
  /** Use subnet routes other devices advertise (`--accept-routes=`). @default false */
  readonly acceptRoutes?: boolean;
  /** Run Tailscale SSH (`--ssh=`); who may log in is the policy's `ssh` section. @default false */
  readonly ssh?: boolean;
  /** Unix user allowed to run `tailscale` without sudo (`--operator=`). @default - none */
  readonly operator?: string;
  /** Network interfaces besides Tailscale's that firewall zones may name, e.g. `['enp6s0', 'docker0']`. @default - none */
  readonly interfaces?: readonly string[];
  /** The host's Tailscale IPv4 if known: grants then target this one device, not every device with its tags. @default - unknown */
  readonly tailscaleIpv4?: string;
  /** tailscaled's WireGuard UDP port (`services.tailscale.port`). @default 41641 */
  readonly port?: number;
  /** Tailscale's interface (`services.tailscale.interfaceName`). @default 'tailscale0' */
  readonly interfaceName?: string;
  /** Further NixOS options by path, checked against the known options (facts/nixos.md). @default - none */
  readonly options?: Readonly<Record<string, NixOptionValue | PrioritizedValue>>;
}

/**
 * A NixOS machine on the tailnet. Emits `nixos/<hostname>/default.nix`, a module setting `services.tailscale` and
 * everything its proxies, zones, tuning and monitoring need. It is also a declared device (devices.json), and its
 * routes and exit node are auto-approved for its own identity.
 */
export class NixosHost extends Construct implements ILowerable {
  static isNixosHost(x: unknown): x is NixosHost {
    return hasBrand(x, HOST_BRAND);
  }

  readonly hostname: string;
  readonly props: NixosHostProps;
  /** The declared device this host is (`<path>/Device`). */
  readonly device: Device;
  /** Grants shared by the proxies reached by path, by client set and ports (see `_grantWebAccess`). */
  private readonly webGrants = new Map<string, string[]>();

  constructor(scope: Construct, id: string, props: NixosHostProps = {}) {
    super(scope, id);
    brand(this, HOST_BRAND);
    markLowerable(this);
    this.props = props;
    this.hostname = props.hostname ?? kebab(id);
    this.device = new Device(this, 'Device', {
      hostname: this.hostname,
      ...(props.tags ? { tags: props.tags } : {}),
      ...(props.user !== undefined ? { user: props.user } : {}),
      ...(props.advertiseRoutes ? { advertiseRoutes: props.advertiseRoutes } : {}),
      exitNode: props.exitNode !== undefined && props.exitNode !== false,
      ...(props.tailscaleIpv4 ? { ipv4: props.tailscaleIpv4 } : {}),
    });
    this.checkTailscale();
    this.checkInterfaces();
    this.checkOptions();
    this.addApprovals();
  }

  /** An nginx reverse proxy on this host (`<path>/<id>`). */
  addProxy(id: string, props: NginxProxyProps): NginxProxy {
    return new NginxProxy(this, id, props);
  }

  /**
   * @internal Proxies reached by path are locations of the host's one web server, so their clients need the same
   * ports: proxies with the same clients share one grant (`<path>/WebClients`, numbered from the second client set
   * on) that names them all, instead of one identical grant each.
   */
  _grantWebAccess(proxyName: string, clients: readonly Selector<'src'>[], ip: readonly IpCapability[]): void {
    const key = `${clients.map((c) => c.selector).join(' ')} | ${ip.map((c) => c.text).join(' ')}`;
    const shared = this.webGrants.get(key);
    if (shared) {
      shared.push(proxyName);
      return;
    }
    const names = [proxyName];
    this.webGrants.set(key, names);
    const hostname = this.hostname;
    new Grant(this, this.webGrants.size === 1 ? 'WebClients' : `WebClients${this.webGrants.size}`, {
      src: [...clients],
      dst: this.destination,
      ip: [...ip],
      // read when the grant is lowered, after every proxy of the host has joined
      get comment() {
        const sorted = [...names].sort(compareStrings);
        return `${sorted.join(', ')} ${sorted.length === 1 ? 'proxy' : 'proxies'} on ${hostname}`;
      },
    });
  }

  /** Serve a Tailscale Service from this host (`<path>/<service label>`); the host must carry one of its host tags. */
  addService(service: TailscaleService): HostedService {
    return new HostedService(this, service);
  }

  /** A firewall zone (nftables) on this host. */
  addZone(id: string, props: FirewallZoneProps = {}): FirewallZone {
    return new FirewallZone(this, id, props);
  }

  /** sysctl tuning of this host. */
  addTuning(id: string, props: TuningProps = {}): Tuning {
    return new Tuning(this, id, props);
  }

  /** Selectors that name this host in grants: its address if known, else its tags, else its owner. */
  get destination(): Selector<'dst'>[] {
    return hostDestination(this.props);
  }

  /** Selectors for this host as a source or approver: its tags, else its owner. */
  get identity(): Selector<'src' | 'dst' | 'approver'>[] {
    return hostIdentity(this.props);
  }

  get advertisesExitNode(): boolean {
    return this.props.exitNode !== undefined && this.props.exitNode !== false;
  }

  /** `services.tailscale.useRoutingFeatures` (facts/nixos.md §1): server for routers, client for route users. */
  get routingFeatures(): 'none' | 'client' | 'server' | 'both' {
    const server = this.advertisesExitNode || (this.props.advertiseRoutes ?? []).length > 0;
    const client = this.props.useExitNode !== undefined || this.props.acceptRoutes === true;
    return server && client ? 'both' : server ? 'server' : client ? 'client' : 'none';
  }

  get tailscaleInterface(): string {
    return this.props.interfaceName ?? 'tailscale0';
  }

  private checkTailscale(): void {
    const p = this.props;
    if (p.loginServer !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(p.loginServer)) {
      this.fail(`loginServer: "${p.loginServer}" is not an http(s) URL`, 'e.g. https://headscale.example.com');
    }
    const file = authKeyFile(p.authKey);
    this.checkAuthMethod();
    const keyProblem = file ? secretProblem('authKey', file) : undefined;
    if (keyProblem) {
      report(
        this,
        NIXOS_CODES.invalidSecret,
        keyProblem,
        'use AuthKey.sops(name), AuthKey.agenix(name) or AuthKey.file(path)',
      );
    }
    if (p.port !== undefined && (!Number.isInteger(p.port) || p.port < 0 || p.port > 65535)) {
      this.fail(`port: ${p.port} is outside 0-65535`, "41641 is tailscaled's default; 0 picks one at start");
    }
    if (p.operator !== undefined && !/^[a-z_][a-z0-9_-]*$/.test(p.operator)) {
      this.fail(`operator: "${p.operator}" is not a Unix user name`, 'give the login name, e.g. alice');
    }
    this.checkExitNode();
  }

  /** Which `NodeAuth` methods a NixOS host can use (see src/constructs/auth.ts). */
  private checkAuthMethod(): void {
    const auth = this.props.authKey;
    if (!isNodeAuthMethod(auth)) return;
    const unsupported = (message: string) =>
      report(
        this,
        NIXOS_CODES.authMethodUnsupported,
        message,
        'use AuthKey.sops(name), AuthKey.agenix(name), AuthKey.file(path) or NodeAuth.oauthClient(AuthKey.sops(name))',
      );
    if (auth.kind === 'env') {
      unsupported(
        'authKey: NodeAuth.env cannot work on NixOS: tailscaled-autoconnect reads the key from services.tailscale.authKeyFile, not from an environment variable',
      );
    } else if (auth.kind === 'workloadIdentity') {
      unsupported(
        'authKey: workload identity needs an OIDC token issued to the workload (Kubernetes, CI, a cloud instance); a bare-metal NixOS host has no such issuer',
      );
    } else if (!('path' in auth.secret)) {
      unsupported(
        'authKey: a Kubernetes SecretKeyRef cannot reach a NixOS host; give the OAuth client secret as a file',
      );
    } else if ((this.props.tags ?? []).length === 0) {
      report(
        this,
        NIXOS_CODES.oauthWithoutTags,
        'authKey: an OAuth client secret registers tagged devices only, and this host has no tags',
        'give the host tags (the OAuth client must own them), or use an auth key file',
      );
    }
  }

  private checkExitNode(): void {
    const p = this.props;
    const options = typeof p.exitNode === 'object' ? p.exitNode : {};
    if (options.allowLanAccess && (p.advertiseRoutes ?? []).length === 0) {
      this.fail(
        'exitNode.allowLanAccess: the host advertises no routes, so there is no LAN to reach',
        'add advertiseRoutes (e.g. the LAN CIDR)',
      );
    }
    if (options.allowLanAccess && (options.clients ?? []).length === 0) {
      this.fail('exitNode.allowLanAccess: no clients are given to grant the LAN to', 'list exitNode.clients');
    }
    if (this.advertisesExitNode && p.useExitNode !== undefined) {
      this.fail('a host cannot advertise an exit node and use one at the same time', 'drop exitNode or useExitNode');
    }
    if (p.exitNodeAllowLanAccess && p.useExitNode === undefined) {
      this.fail(
        'exitNodeAllowLanAccess only applies to a host that uses an exit node',
        'give useExitNode, or drop exitNodeAllowLanAccess',
      );
    }
    const target = p.useExitNode;
    const offers =
      typeof target === 'string' ||
      (NixosHost.isNixosHost(target) ? target.advertisesExitNode : target?.props.exitNode);
    if (target !== undefined && typeof target !== 'string' && !offers) {
      this.fail(`useExitNode: "${target.hostname}" does not advertise an exit node`, 'give that host exitNode: true');
    }
  }

  private checkInterfaces(): void {
    for (const name of this.props.interfaces ?? []) {
      if (!INTERFACE_NAME.test(name)) {
        this.fail(
          `interfaces: "${name}" is not a Linux interface name (1-15 characters, no spaces or '/')`,
          'e.g. enp6s0',
        );
      }
    }
    if (!INTERFACE_NAME.test(this.tailscaleInterface) && this.tailscaleInterface !== 'userspace-networking') {
      this.fail(
        `interfaceName: "${this.tailscaleInterface}" is not a Linux interface name`,
        'the default is tailscale0',
      );
    }
  }

  private checkOptions(): void {
    for (const [path, raw] of Object.entries(this.props.options ?? {})) {
      const { value, priority } = unwrap(raw);
      const found = lookupOption(path);
      if (!found.ok) {
        const code = found.reason === 'unknown' ? NIXOS_CODES.unknownOption : NIXOS_CODES.optionConflict;
        report(this, code, `options: ${found.message}`, found.hint);
        continue;
      }
      const problem = optionTypeProblem(found.type, value);
      if (problem)
        report(this, NIXOS_CODES.optionType, `options: "${path}": ${problem}`, "give a value of the option's type");
      this.checkReversePathConflict(path, priority);
    }
  }

  /** The Tailscale module sets checkReversePath = "loose" at normal priority for clients (facts/nixos.md §1). */
  private checkReversePathConflict(path: string, priority: string): void {
    const client = ['client', 'both'].includes(this.routingFeatures);
    if (path === 'networking.firewall.checkReversePath' && client && priority === 'normal') {
      report(
        this,
        NIXOS_CODES.optionConflict,
        'options: "networking.firewall.checkReversePath" conflicts with the "loose" the Tailscale module sets for exit-node and route users',
        'leave it to useRoutingFeatures, or wrap the value in Priority.force(...)',
      );
    }
  }

  /** Routes and exit node approved for this host's identity; exit-node clients granted the internet (and LAN). */
  private addApprovals(): void {
    const p = this.props;
    const routes = p.advertiseRoutes ?? [];
    const approvers = this.identity;
    if ((routes.length > 0 || this.advertisesExitNode) && approvers.length > 0) {
      new AutoApprover(this, 'Approvals', { approvers, routes, exitNode: this.advertisesExitNode });
    }
    const options = typeof p.exitNode === 'object' ? p.exitNode : {};
    if ((options.clients ?? []).length > 0) {
      const lan = options.allowLanAccess ? routes.map((r) => Address.of(r)) : [];
      new Grant(this, 'ExitNodeClients', {
        src: options.clients ?? [],
        dst: [Autogroup.INTERNET, ...lan],
        ip: [Ip.ALL],
        comment: `use ${this.hostname} as exit node${lan.length > 0 ? ', with the LAN behind it' : ''}`,
      });
    }
  }

  private fail(message: string, hint: string): void {
    report(this, NIXOS_CODES.invalidHost, message, hint);
  }

  /** @internal */
  _lower(): IrContribution[] {
    return [{ kind: 'nixosHost', value: lowerHost(this) }];
  }
}

function unwrap(raw: NixOptionValue | PrioritizedValue): PrioritizedValue {
  const prioritized = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'priority' in raw;
  return prioritized ? (raw as PrioritizedValue) : { priority: 'normal', value: raw as NixOptionValue };
}

/** Implemented by the host's parts (proxies, zones, tuning): what each adds to the host's IR. */
export interface HostPart {
  /** @internal */
  _contribute(ir: MutableHostIr): void;
}

export type MutableHostIr = {
  -readonly [K in keyof NixosHostIr]: NixosHostIr[K] extends readonly (infer E)[] ? E[] : NixosHostIr[K];
};

const PART = Symbol.for('tailnet-cdk.NixosHostPart');

export function markHostPart(x: object): void {
  Object.defineProperty(x, PART, { value: true, enumerable: false });
}

function isHostPart(x: unknown): x is HostPart {
  return hasBrand(x, PART);
}

function lowerTailscale(host: NixosHost): NixosHostIr['tailscale'] {
  const p = host.props;
  const exitNode = p.useExitNode;
  return {
    interfaceName: host.tailscaleInterface,
    port: p.port ?? 41641,
    ...(p.loginServer ? { loginServer: p.loginServer } : {}),
    ...authKeyIr(p.authKey),
    acceptDns: p.acceptDns ?? true,
    acceptRoutes: p.acceptRoutes ?? false,
    ssh: p.ssh ?? false,
    advertiseRoutes: [...new Set(p.advertiseRoutes ?? [])].sort(),
    advertiseExitNode: host.advertisesExitNode,
    ...(exitNode !== undefined ? { useExitNode: typeof exitNode === 'string' ? exitNode : exitNode.hostname } : {}),
    exitNodeAllowLanAccess: p.exitNodeAllowLanAccess ?? false,
    ...(p.operator ? { operator: p.operator } : {}),
  };
}

/** The key file of an auth method that has one (a plain key file, or an OAuth client secret file). */
function authKeyFile(auth: AuthKeySource | NodeAuthMethod | undefined): AuthKeySource | undefined {
  if (auth === undefined) return undefined;
  if (!isNodeAuthMethod(auth)) return auth;
  return auth.kind === 'oauthClient' && 'path' in auth.secret ? auth.secret : undefined;
}

function authKeyIr(auth: AuthKeySource | NodeAuthMethod | undefined): Partial<NixosHostIr['tailscale']> {
  const file = authKeyFile(auth);
  if (!file) return {};
  const oauth = isNodeAuthMethod(auth) && auth.kind === 'oauthClient';
  return {
    authKey: secretRef(file),
    ...(oauth ? { authKeyParameters: { ephemeral: auth.ephemeral, preauthorized: auth.preauthorized } } : {}),
  };
}

function lowerOptions(host: NixosHost): NixosOptionIr[] {
  return Object.entries(host.props.options ?? {}).map(([path, raw]) => {
    const { value, priority } = unwrap(raw);
    const plain = Array.isArray(value) ? [...value] : (value as string | number | boolean);
    return { source: { path: host.node.path }, path, value: plain, priority };
  });
}

/** The host's IR: its own props, then what each part (proxy, zone, tuning) adds; lists sorted by name/key. */
function lowerHost(host: NixosHost): NixosHostIr {
  const p = host.props;
  const ir: MutableHostIr = {
    source: { path: host.node.path },
    name: host.hostname,
    tags: [...new Set((p.tags ?? []).map((t) => t.selector))].sort(),
    ...(p.user !== undefined ? { user: p.user } : {}),
    ...(p.tailscaleIpv4 ? { tailscaleIpv4: p.tailscaleIpv4 } : {}),
    interfaces: [...new Set(p.interfaces ?? [])].filter((i) => i !== host.tailscaleInterface).sort(),
    tailscale: lowerTailscale(host),
    proxies: [],
    hostedServices: [],
    zones: [],
    sysctl: [],
    options: lowerOptions(host),
  };
  for (const child of host.node.children) if (isHostPart(child)) child._contribute(ir);
  ir.proxies.sort((a, b) => compareStrings(a.name, b.name));
  ir.zones.sort((a, b) => compareStrings(a.name, b.name));
  ir.hostedServices.sort((a, b) => compareStrings(a.service, b.service) || a.port - b.port);
  ir.sysctl.sort((a, b) => compareStrings(a.key, b.key));
  ir.options.sort((a, b) => compareStrings(a.path, b.path));
  return ir as NixosHostIr;
}

/** Reports a second part of one kind with the same name on a host (proxies, zones, tunings). */
export function checkUniquePart(scope: Construct, kind: string, name: string, taken: readonly string[]): void {
  if (taken.includes(name)) {
    report(
      scope,
      NIXOS_CODES.duplicateName,
      `${kind} "${name}" is declared twice on this host`,
      `give each ${kind} its own name`,
    );
  }
}
