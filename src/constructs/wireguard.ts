import { Construct } from 'constructs';
import { brand, hasBrand } from '../core/brand';
import { TailnetStack } from '../core/stack';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { assignWireguardAddresses, type WireguardIr, type WireguardPeerIr } from '../ir/wireguard';
import { Device } from './device';
import { NIXOS_CODES } from './nixos/codes';
import { NixosHost } from './nixos/host';
import { type SecretSource, secretProblem, secretRef } from './nixos/secrets';
import { report } from './private/report';
import { addressProblem } from './private/syntax';

export interface WireguardTransportProps {
  /** The IPv4 network of the WireGuard mesh, e.g. `10.77.0.0/24`; every peer gets one address in it. */
  readonly cidr: string;
  /** UDP port every peer listens on, unless a peer gives its own. @default 51820 */
  readonly listenPort?: number;
  /** The WireGuard interface on every peer (also the wg-quick file name). @default 'wg0' */
  readonly interfaceName?: string;
  /** Keepalive interval in seconds sent to every peer (for peers behind NAT). @default - off */
  readonly persistentKeepalive?: number;
}

/**
 * How the stack's hosts reach each other. `Transport.tailscale()` is the normal tailnet; `Transport.wireguard(…)`
 * compiles the same hosts and access rules to a plain WireGuard mesh for sites without a control plane
 * (air-gapped): wg-quick files, NixOS `networking.wireguard.interfaces`, and nftables rules on the WireGuard
 * interface that enforce the stack's grants (WireGuard itself has no access control). docs/wireguard.md.
 */
export class Transport {
  static tailscale(): Transport {
    return new Transport('tailscale');
  }

  static wireguard(props: WireguardTransportProps): Transport {
    return new Transport('wireguard', props);
  }

  private constructor(
    readonly kind: 'tailscale' | 'wireguard',
    readonly wireguard?: WireguardTransportProps,
  ) {}

  /** @internal The stack's WireGuard IR (undefined for Tailscale); bad values are reported by an IR rule. */
  _lower(stackPath: string, peers: readonly WireguardPeerIr[]): WireguardIr | undefined {
    const p = this.wireguard;
    if (this.kind !== 'wireguard' || !p) return undefined;
    const listenPort = p.listenPort ?? 51820;
    const withPorts = peers.map((peer) => (peer.listenPort === 0 ? { ...peer, listenPort } : peer));
    return {
      source: { path: stackPath },
      cidr: p.cidr,
      interfaceName: p.interfaceName ?? 'wg0',
      listenPort,
      ...(p.persistentKeepalive !== undefined ? { persistentKeepalive: p.persistentKeepalive } : {}),
      peers: assignWireguardAddresses(p.cidr, withPorts),
    };
  }
}

export interface WireguardPeerProps {
  /** The peer's base64 public key (`wg pubkey < private.key`). Public, so it is given literally. */
  readonly publicKey: string;
  /** Where the private key file is on the host: `Secret.sops(…)`, `Secret.agenix(…)` or `Secret.file(…)`; never the key. */
  readonly privateKey: SecretSource;
  /** `host:port` the other peers send to (an address or name of the underlay network). @default - none: this peer only dials out */
  readonly endpoint?: string;
  /** The peer's WireGuard address. @default - derived from the hostname inside the stack's CIDR */
  readonly address?: string;
  /** UDP port this peer listens on. @default - the transport's listenPort */
  readonly listenPort?: number;
}

const PEER_BRAND = Symbol.for('tailnet-cdk.WireguardPeer');
/** A Curve25519 key in base64: 32 bytes → 43 characters and one '='. */
const WG_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
/** `host:port`, `[v6]:port`. */
const ENDPOINT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * A host's or device's membership in the stack's WireGuard mesh (`<host>/WireGuard` by convention): its public key,
 * where its private key file is, its endpoint. Only meaningful in a stack with `transport: Transport.wireguard(…)`.
 */
export class WireguardPeer extends Construct implements ILowerable {
  static isWireguardPeer(x: unknown): x is WireguardPeer {
    return hasBrand(x, PEER_BRAND);
  }

  /** Attaches a peer to a NixosHost or a Device (`<host>/WireGuard`). */
  static of(host: NixosHost | Device, props: WireguardPeerProps): WireguardPeer {
    return new WireguardPeer(host, 'WireGuard', props);
  }

  readonly hostname: string;
  private readonly kind: 'nixos' | 'linux';

  constructor(
    scope: NixosHost | Device,
    id: string,
    readonly props: WireguardPeerProps,
  ) {
    super(scope, id);
    brand(this, PEER_BRAND);
    markLowerable(this);
    this.hostname = scope.hostname;
    this.kind = NixosHost.isNixosHost(scope) ? 'nixos' : 'linux';
    if (!NixosHost.isNixosHost(scope) && !(scope instanceof Device)) {
      this.fail('invalidTransport', 'a WireGuard peer belongs to a NixosHost or a Device', 'attach it to one');
    }
    this.check();
    if (TailnetStack.of(this).props.transport?.kind !== 'wireguard') {
      this.fail(
        'invalidTransport',
        'a WireGuard peer in a stack without a WireGuard transport would be ignored',
        "give the stack transport: Transport.wireguard({ cidr: '10.77.0.0/24' }), or drop the peer",
      );
    }
  }

  private check(): void {
    const p = this.props;
    if (!WG_KEY.test(p.publicKey ?? '')) {
      this.fail(
        'wireguardKey',
        `publicKey: "${p.publicKey ?? ''}" is not a base64 WireGuard public key (44 characters ending in '=')`,
        'give the output of `wg pubkey < private.key`',
      );
    }
    const keyProblem = p.privateKey ? secretProblem('privateKey', p.privateKey) : 'privateKey: no private key file';
    const literal = p.privateKey && [p.privateKey.name, p.privateKey.path].some((v) => v && WG_KEY.test(v));
    if (keyProblem || literal) {
      report(
        this,
        NIXOS_CODES.invalidSecret,
        literal
          ? 'privateKey: a literal key was given; keys must never be written into a stack or an artifact'
          : keyProblem!,
        'use Secret.sops(name), Secret.agenix(name) or Secret.file(path)',
      );
    }
    if (p.endpoint !== undefined) {
      const m = ENDPOINT.exec(p.endpoint);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
        this.fail(
          'wireguardEndpoint',
          `endpoint: "${p.endpoint}" is not host:port`,
          'e.g. 192.0.2.10:51820 or [2001:db8::1]:51820',
        );
      }
    }
    if (p.address !== undefined && (addressProblem(p.address) || p.address.includes('/') || p.address.includes(':'))) {
      this.fail('wireguardAddress', `address: "${p.address}" is not an IPv4 address`, 'e.g. 10.77.0.10');
    }
    if (p.listenPort !== undefined && !validPort(p.listenPort)) {
      this.fail('invalidTransport', `listenPort: ${p.listenPort} is outside 1-65535`, '51820 is the usual port');
    }
  }

  private fail(code: keyof typeof NIXOS_CODES, message: string, hint: string): void {
    report(this, NIXOS_CODES[code], message, hint);
  }

  /** @internal Lowered without the stack's port: `lowerStack` fills in defaults and addresses. */
  _lower(): IrContribution[] {
    const p = this.props;
    return [
      {
        kind: 'wireguardPeer',
        value: {
          source: { path: this.node.path },
          name: this.hostname,
          kind: this.kind,
          address: p.address ?? '',
          explicitAddress: p.address !== undefined,
          publicKey: p.publicKey,
          ...(p.endpoint !== undefined ? { endpoint: p.endpoint } : {}),
          privateKey: secretRef(p.privateKey),
          listenPort: p.listenPort ?? 0,
        },
      },
    ];
  }
}

export function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
