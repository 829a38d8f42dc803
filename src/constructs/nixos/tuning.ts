import { Construct } from 'constructs';
import { brand, hasBrand } from '../../core/brand';
import { kebab } from '../../core/names';
import type { Priority, SysctlIr } from '../../ir/nixos';
import { report } from '../private/report';
import { NIXOS_CODES } from './codes';
import { checkUniquePart, type MutableHostIr, markHostPart, type NixosHost } from './host';

export type SysctlValue = number | string | boolean;
export type SysctlSettings = Readonly<Record<string, SysctlValue>>;

/** sysctl presets (facts/nixos.md §4: keys are freeform; rmem_max/wmem_max merge "highest wins"). */
export const TuningPreset = {
  /**
   * Large UDP socket buffers for WireGuard and QUIC (7.5 MB is quic-go's recommended receive buffer, which
   * tailscaled and HTTP/3 benefit from) and a longer input backlog for bursts at high packet rates.
   */
  NETWORK_THROUGHPUT: {
    'net.core.rmem_max': 7500000,
    'net.core.wmem_max': 7500000,
    'net.core.netdev_max_backlog': 16384,
  } satisfies SysctlSettings,
  /** Many concurrent connections for a reverse proxy: longer accept and SYN backlogs, TCP Fast Open. */
  WEB_PROXY: {
    'net.core.somaxconn': 8192,
    'net.ipv4.tcp_max_syn_backlog': 8192,
    'net.ipv4.tcp_fastopen': 3,
  } satisfies SysctlSettings,
  /** BBR congestion control with fair queueing (the tcp_bbr module is built into NixOS kernels). */
  BBR: {
    'net.core.default_qdisc': 'fq',
    'net.ipv4.tcp_congestion_control': 'bbr',
  } satisfies SysctlSettings,
} as const;

export interface TuningProps {
  /** Presets applied in order. @default - none */
  readonly presets?: readonly SysctlSettings[];
  /** Further keys (`boot.kernel.sysctl."<key>"`). @default - none */
  readonly settings?: SysctlSettings;
  /**
   * `default` (lib.mkDefault: the host's own configuration may override without a conflict), `normal`, or `force`
   * (lib.mkForce). rmem_max/wmem_max are always plain: their merge keeps the highest value. @default 'default'
   */
  readonly priority?: Priority;
}

const KEY = /^[a-z0-9_]+(\.[a-z0-9_*-]+)+$/;
/** Set by services.tailscale at mkOverride 97 for routers (facts/nixos.md §1); a plain value would lose silently. */
const FORCED_BY_TAILSCALE = ['net.ipv4.conf.all.forwarding', 'net.ipv6.conf.all.forwarding'];
/** typed options whose merge keeps the highest definition (facts/nixos.md §4) */
const HIGHEST_WINS = ['net.core.rmem_max', 'net.core.wmem_max'];
const TUNING_BRAND = Symbol.for('tailnet-cdk.Tuning');

/** sysctl tuning of a NixOS host (`boot.kernel.sysctl`), one definition per key. */
export class Tuning extends Construct {
  static isTuning(x: unknown): x is Tuning {
    return hasBrand(x, TUNING_BRAND);
  }

  readonly entries: readonly SysctlIr[];
  private readonly priority: Priority;

  constructor(host: NixosHost, id: string, props: TuningProps = {}) {
    const siblings = host.node.children.filter(Tuning.isTuning);
    super(host, id);
    brand(this, TUNING_BRAND);
    markHostPart(this);
    checkUniquePart(
      this,
      'tuning',
      kebab(id),
      siblings.map((t) => kebab(t.node.id)),
    );
    this.priority = props.priority ?? 'default';
    const merged = this.merge(props);
    this.entries = Object.entries(merged).map(([key, value]) => ({
      source: { path: this.node.path },
      key,
      value,
      priority: HIGHEST_WINS.includes(key) && this.priority !== 'force' ? 'normal' : this.priority,
    }));
    this.checkAgainstHost(host, siblings);
  }

  /** Presets then settings; a key given two different values inside this construct is a conflict. */
  private merge(props: TuningProps): Record<string, SysctlValue> {
    const out: Record<string, SysctlValue> = {};
    for (const part of [...(props.presets ?? []), props.settings ?? {}]) {
      for (const [key, value] of Object.entries(part)) {
        if (!KEY.test(key)) {
          report(
            this,
            NIXOS_CODES.invalidTuning,
            `"${key}" is not a sysctl key`,
            'write it as in sysctl -a, e.g. net.core.somaxconn',
          );
        } else if (!['number', 'string', 'boolean'].includes(typeof value)) {
          report(
            this,
            NIXOS_CODES.invalidTuning,
            `"${key}": ${JSON.stringify(value)} is not a number, string or boolean`,
            'e.g. 8192',
          );
        } else if (key in out && out[key] !== value) {
          report(
            this,
            NIXOS_CODES.sysctlConflict,
            `"${key}" is set to ${JSON.stringify(out[key])} and to ${JSON.stringify(value)}`,
            'keep one value',
          );
        }
        out[key] = value;
      }
    }
    return out;
  }

  private checkAgainstHost(host: NixosHost, siblings: readonly Tuning[]): void {
    for (const e of this.entries) {
      const other = siblings.flatMap((s) => s.entries).find((x) => x.key === e.key);
      if (other && other.value !== e.value) {
        report(
          this,
          NIXOS_CODES.sysctlConflict,
          `"${e.key}" = ${JSON.stringify(e.value)} conflicts with ${JSON.stringify(other.value)} from ${other.source.path}`,
          'keep one value for each key',
        );
      }
      const router = host.routingFeatures === 'server' || host.routingFeatures === 'both';
      if (router && FORCED_BY_TAILSCALE.includes(e.key) && e.priority !== 'force') {
        report(
          this,
          NIXOS_CODES.optionConflict,
          `"${e.key}" is set by services.tailscale (useRoutingFeatures "${host.routingFeatures}") at priority 97; this value would be ignored`,
          'drop the key (routing needs forwarding on), or set priority: "force"',
        );
      }
      if (`boot.kernel.sysctl.${e.key}` in (host.props.options ?? {})) {
        report(this, NIXOS_CODES.sysctlConflict, `"${e.key}" is also set in the host's options`, 'set it in one place');
      }
    }
  }

  /** @internal */
  _contribute(ir: MutableHostIr): void {
    for (const e of this.entries) {
      // Equal values from two tunings are one definition (NixOS rejects even equal duplicates, facts §4).
      if (!ir.sysctl.some((x) => x.key === e.key)) ir.sysctl.push(e);
    }
  }
}
