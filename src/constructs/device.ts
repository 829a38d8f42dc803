import { Construct } from 'constructs';
import { CORE_CODES } from '../core/errors';
import { kebab } from '../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { report } from './private/report';
import { addressProblem, dnsLabelProblem, userLoginProblem } from './private/syntax';
import type { Selector, TagPosition } from './selector';

export interface DeviceProps {
  /** The machine name on the tailnet (a DNS label; MagicDNS name `<hostname>.<suffix>`). @default - the construct id in kebab case */
  readonly hostname?: string;
  /** Tags the device carries; a tagged device has no user identity. Give tags or user, not both. @default - none */
  readonly tags?: readonly Selector<TagPosition>[];
  /** Login of the user owning an untagged device. @default - none */
  readonly user?: string;
  /** Operating system as the API reports it (`linux`, `macOS`, `windows`, …). @default 'linux' */
  readonly os?: string;
  /** Subnet routes the device advertises. @default - none */
  readonly advertiseRoutes?: readonly string[];
  /** Whether the device offers itself as an exit node. @default false */
  readonly exitNode?: boolean;
  /** Tailscale IPv4 address, if known. @default - a stable address derived from the hostname */
  readonly ipv4?: string;
  /** Tailscale IPv6 address, if known. @default - a stable address derived from the hostname */
  readonly ipv6?: string;
}

/** A device of the tailnet as this stack declares it; written to the declared inventory (`devices.json`). */
export class Device extends Construct implements ILowerable {
  readonly hostname: string;
  readonly props: DeviceProps;

  constructor(scope: Construct, id: string, props: DeviceProps = {}) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    this.hostname = props.hostname ?? kebab(id);
    const problem = dnsLabelProblem(this.hostname);
    if (problem)
      report(
        this,
        CORE_CODES.invalidHostname,
        `hostname: ${problem}`,
        'use lower-case letters, digits and - (e.g. kernelcore)',
      );
    this.checkIdentity();
    for (const r of props.advertiseRoutes ?? []) {
      const p = addressProblem(r);
      if (p)
        report(this, CORE_CODES.invalidCidr, `advertiseRoutes: ${p}`, 'write routes as CIDRs such as 192.168.1.0/24');
    }
    for (const [field, addr] of [
      ['ipv4', props.ipv4],
      ['ipv6', props.ipv6],
    ] as const) {
      if (addr === undefined) continue;
      const p = addressProblem(addr);
      if (p || addr.includes('/'))
        report(
          this,
          CORE_CODES.invalidCidr,
          `${field}: ${p ?? `"${addr}" is a prefix, not an address`}`,
          'give the single Tailscale address',
        );
    }
  }

  private checkIdentity(): void {
    const tags = this.props.tags ?? [];
    for (const t of tags.filter((x) => x.kind !== 'tag')) {
      report(
        this,
        CORE_CODES.selectorNotAllowedHere,
        `tags: "${t.selector}" is not a tag`,
        'list Tag constructs or Tag.fromName("tag:x")',
      );
    }
    if (tags.length > 0 && this.props.user !== undefined) {
      report(
        this,
        CORE_CODES.invalidDevice,
        'a device has either a user or tags, not both',
        'tagging a device removes its user identity: drop user, or drop tags',
      );
    } else if (tags.length === 0 && this.props.user === undefined) {
      report(
        this,
        CORE_CODES.invalidDevice,
        'device has neither a user nor tags',
        'give tags (servers) or the owning user login (personal devices)',
      );
    } else if (this.props.user !== undefined) {
      const p = userLoginProblem(this.props.user);
      if (p) report(this, CORE_CODES.invalidUser, `user: ${p}`, 'write the login as the identity provider shows it');
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const value = {
      source: { path: this.node.path },
      name: this.hostname,
      ...(p.user !== undefined ? { user: p.user } : {}),
      tags: [...new Set((p.tags ?? []).map((t) => t.selector))].sort(),
      // Empty addresses are assigned by the lowering driver, which sees every device (collision-free).
      ipv4: p.ipv4 ?? '',
      ipv6: p.ipv6 ?? '',
      os: p.os ?? 'linux',
      advertisedRoutes: [
        ...new Set([...(p.advertiseRoutes ?? []), ...(p.exitNode ? ['0.0.0.0/0', '::/0'] : [])]),
      ].sort(),
      exitNode: p.exitNode ?? false,
    };
    return [{ kind: 'device', value }];
  }
}
