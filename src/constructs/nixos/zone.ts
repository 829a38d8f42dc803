import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { kebab } from '../../core/names';
import type { PortRange, ZoneIr } from '../../ir/nixos';
import { mergeRanges } from '../../ir/nixos-services';
import { report } from '../private/report';
import { addressProblem } from '../private/syntax';
import { NIXOS_CODES } from './codes';
import { checkUniquePart, type MutableHostIr, markHostPart, type NixosHost } from './host';

/**
 * Presets (each default can be overridden by the props):
 * - `dmz`: an untrusted network (LAN, internet); only the listed ports, drops logged. Needs `interfaces`.
 * - `internal`: the tailnet side; the listed services from any tailnet device. Interfaces default to Tailscale's.
 * - `admin`: every port, but only from `sources` (default: the tailnet's address ranges). Tailscale's interface.
 * - `isolated`: nothing comes in but replies to the host's own connections. Needs `interfaces`.
 * - `custom`: exactly the props.
 */
export type ZonePreset = 'dmz' | 'internal' | 'admin' | 'isolated' | 'custom';

/** A port, or a range `'8000-8099'`. */
export type ZonePort = number | `${number}-${number}`;

export interface FirewallZoneProps {
  /** @default 'custom' */
  readonly preset?: ZonePreset;
  /** Interfaces the zone filters (the host's `interfaces` or its Tailscale interface). @default - per preset */
  readonly interfaces?: readonly string[];
  /** TCP ports accepted. @default - none */
  readonly tcp?: readonly ZonePort[];
  /** UDP ports accepted. @default - none */
  readonly udp?: readonly ZonePort[];
  /** Named services accepted: the host's proxies by name, then well-known names (ssh, postgresql, …). @default - none */
  readonly services?: readonly string[];
  /** Only these source CIDRs are accepted. @default - any source; `admin`: 100.64.0.0/10 and fd7a:115c:a1e0::/48 */
  readonly sources?: readonly string[];
  /** Accept every port (from `sources`). @default - true for `admin`, else false */
  readonly allowAll?: boolean;
  /** What happens to the rest. @default 'drop' */
  readonly defaultPolicy?: 'drop' | 'reject' | 'accept';
  /** Log dropped packets at this rate (nft `limit rate`, e.g. `'5/minute'`), or false. @default '5/minute' */
  readonly logDropped?: string | false;
  /** Zone name (nft chain `zone-<name>`). @default - the construct id in kebab case */
  readonly name?: string;
}

/** The tailnet's address ranges (IPv4 CGNAT range and Tailscale's ULA prefix). */
export const TAILNET_RANGES = ['100.64.0.0/10', 'fd7a:115c:a1e0::/48'] as const;
const LOG_RATE = /^[1-9]\d*\/(second|minute|hour|day)$/;
const ZONE_BRAND = Symbol.for('tailnet-cdk.FirewallZone');

/** A firewall zone on a NixOS host: nftables rules in `networking.nftables.tables."tailnet-zones"`. */
export class FirewallZone extends Construct {
  static isFirewallZone(x: unknown): x is FirewallZone {
    return hasBrand(x, ZONE_BRAND);
  }

  readonly name: string;
  private readonly ir: ZoneIr;

  constructor(host: NixosHost, id: string, props: FirewallZoneProps = {}) {
    const siblings = host.node.children.filter(FirewallZone.isFirewallZone);
    super(host, id);
    brand(this, ZONE_BRAND);
    markHostPart(this);
    this.name = props.name ?? kebab(id);
    checkUniquePart(
      this,
      'zone',
      this.name,
      siblings.map((z) => z.name),
    );
    this.ir = this.build(host, props);
    this.check(props);
    this.checkPolicyAgreement(siblings);
  }

  private build(host: NixosHost, props: FirewallZoneProps): ZoneIr {
    const preset = props.preset ?? 'custom';
    const tailnetSide = preset === 'internal' || preset === 'admin';
    const interfaces = props.interfaces ?? (tailnetSide ? [host.tailscaleInterface] : []);
    const sources = props.sources ?? (preset === 'admin' ? [...TAILNET_RANGES] : []);
    const logRate = props.logDropped ?? '5/minute';
    return {
      source: { path: this.node.path },
      name: this.name,
      interfaces: [...new Set(interfaces)].sort(),
      tcp: mergeRanges((props.tcp ?? []).map(parseRange).filter((r): r is PortRange => r !== undefined)),
      udp: mergeRanges((props.udp ?? []).map(parseRange).filter((r): r is PortRange => r !== undefined)),
      services: [...new Set(props.services ?? [])].sort(),
      sources: [...new Set(sources)].sort(),
      allowAll: props.allowAll ?? preset === 'admin',
      defaultPolicy: props.defaultPolicy ?? 'drop',
      ...(logRate !== false ? { logRate } : {}),
    };
  }

  private check(props: FirewallZoneProps): void {
    if (!/^[a-z][a-z0-9-]*$/.test(this.name)) this.fail(`name: "${this.name}" is not a lower-case name`, 'e.g. dmz');
    if (this.ir.interfaces.length === 0) {
      this.fail(`zone "${this.name}" filters no interface`, 'give interfaces, e.g. the LAN interface enp6s0');
    }
    for (const [field, ports] of [
      ['tcp', props.tcp ?? []],
      ['udp', props.udp ?? []],
    ] as const) {
      for (const p of ports)
        if (parseRange(p) === undefined)
          this.fail(`${field}: "${p}" is not a port or range N-M within 1-65535`, 'e.g. 443 or "8000-8099"');
    }
    for (const s of this.ir.sources) {
      const problem = addressProblem(s);
      if (problem) this.fail(`sources: ${problem}`, 'write CIDRs such as 100.64.0.0/10');
    }
    const opens = this.ir.tcp.length + this.ir.udp.length + this.ir.services.length > 0 || this.ir.allowAll;
    if (props.preset === 'isolated' && opens) {
      this.fail(`zone "${this.name}" is isolated but opens ports`, 'drop the ports, or use the dmz or custom preset');
    }
    if (this.ir.logRate !== undefined && !LOG_RATE.test(this.ir.logRate)) {
      this.fail(`logDropped: "${this.ir.logRate}" is not an nft rate`, 'e.g. 5/minute, or false');
    }
  }

  /** Zones sharing an interface must agree on what happens to the rest of its traffic. */
  private checkPolicyAgreement(siblings: readonly FirewallZone[]): void {
    for (const other of siblings) {
      const shared = other.ir.interfaces.filter((i) => this.ir.interfaces.includes(i));
      if (shared.length > 0 && other.ir.defaultPolicy !== this.ir.defaultPolicy) {
        this.fail(
          `zones "${other.name}" and "${this.name}" share ${shared.join(', ')} but disagree on defaultPolicy (${other.ir.defaultPolicy} vs ${this.ir.defaultPolicy})`,
          'give zones on one interface the same defaultPolicy',
        );
      }
    }
  }

  private fail(message: string, hint: string): void {
    report(this, NIXOS_CODES.invalidZone, message, hint);
  }

  /** @internal */
  _contribute(ir: MutableHostIr): void {
    ir.zones.push(this.ir);
  }
}

function parseRange(p: ZonePort): PortRange | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(String(p));
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  return from >= 1 && to <= 65535 && from <= to ? { from, to } : undefined;
}
