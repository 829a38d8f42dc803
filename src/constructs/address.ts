import { Construct } from 'constructs';
import { CORE_CODES } from '../core/errors';
import { kebab } from '../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { report } from './private/report';
import { addressProblem, dnsLabelProblem } from './private/syntax';
import { ADDRESS_POSITIONS, type AddressPosition, type AnySelector, makeSelector, type Selector } from './selector';

/** IP addresses and CIDRs as selectors. They match exactly the literal prefix (§3.3), never the other family. */
export const Address = {
  /** `100.64.0.1`, `fd7a:115c:a1e0::1`, `192.168.1.0/24`; checked where it is used. */
  of(text: string): Selector<AddressPosition | 'ipset'> {
    return makeSelector(text, 'address', [...ADDRESS_POSITIONS, 'ipset']);
  },
};

/** A Tailscale Service destination (`svc:name`); destination only. */
export const ServiceRef = {
  fromName(name: string): Selector<'dst' | 'testDst'> {
    return makeSelector(name.startsWith('svc:') ? name : `svc:${name}`, 'service', ['dst', 'testDst']);
  },
};

/** Reports address selectors whose text is not an IP or CIDR. */
export function checkAddresses(scope: Construct, field: string, selectors: readonly AnySelector[]): void {
  for (const s of selectors) {
    if (s.kind !== 'address') continue;
    const problem = addressProblem(s.selector);
    if (problem)
      report(
        scope,
        CORE_CODES.invalidCidr,
        `${field}: ${problem}`,
        'write an IPv4/IPv6 address or a CIDR such as 192.168.1.0/24',
      );
  }
}

export interface HostProps {
  /** Alias name as written in the policy file. @default - the construct id in kebab case */
  readonly name?: string;
  /** The IP address or CIDR the alias stands for. */
  readonly address: string;
}

/** A named address (`hosts`). Matches exactly its literal prefix: an IPv4 alias does not cover the IPv6 address. */
export class Host extends Construct implements Selector<AddressPosition>, ILowerable {
  readonly selector: string;
  readonly kind = 'host' as const;
  readonly allowedIn = makeSelector('', 'host', ADDRESS_POSITIONS).allowedIn;
  readonly address: string;

  constructor(scope: Construct, id: string, props: HostProps) {
    super(scope, id);
    markLowerable(this);
    this.selector = props.name ?? kebab(id);
    this.address = props.address;
    const nameProblem = dnsLabelProblem(this.selector);
    if (nameProblem)
      report(this, CORE_CODES.invalidName, `host alias: ${nameProblem}`, 'name hosts aliases like nas or office-lan');
    const problem = addressProblem(this.address);
    if (problem) report(this, CORE_CODES.invalidCidr, `address: ${problem}`, 'write an IP address or a CIDR');
  }

  /** In an IP set a host alias is written `host:<name>`. */
  get inIpSet(): Selector<'ipset'> {
    return makeSelector(`host:${this.selector}`, 'host', ['ipset']);
  }

  /** @internal */
  _lower(): IrContribution[] {
    return [{ kind: 'host', value: { source: { path: this.node.path }, name: this.selector, address: this.address } }];
  }
}

export interface IpSetProps {
  /** `ipset:<name>`. @default - `ipset:` + the construct id in kebab case */
  readonly name?: string;
  /** Addresses, ranges (`a-b`), `host:` aliases, `autogroup:internet` or other IP sets to add. */
  readonly add: readonly (Selector<'ipset'> | string)[];
  /** Entries removed after the additions. @default - none */
  readonly remove?: readonly (Selector<'ipset'> | string)[];
}

/** A named IP set (`ipsets`); not supported by Headscale. */
export class IpSet extends Construct implements Selector<AddressPosition | 'ipset'>, ILowerable {
  readonly selector: string;
  readonly kind = 'ipset' as const;
  readonly allowedIn = makeSelector('', 'ipset', [...ADDRESS_POSITIONS, 'ipset']).allowedIn;
  private readonly ops: string[];

  constructor(scope: Construct, id: string, props: IpSetProps) {
    super(scope, id);
    markLowerable(this);
    this.selector = props.name ?? `ipset:${kebab(id)}`;
    if (!/^ipset:[A-Za-z0-9][A-Za-z0-9._-]*$/.test(this.selector)) {
      report(this, CORE_CODES.invalidName, `"${this.selector}" is not an IP set name`, 'name it like ipset:prod');
    }
    const text = (x: Selector<'ipset'> | string) => (typeof x === 'string' ? x : x.selector);
    const removes = props.remove ?? [];
    // §8.4: a set that only adds may omit the `add ` prefix; we always write it for clarity.
    this.ops = [...props.add.map((a) => `add ${text(a)}`), ...removes.map((r) => `remove ${text(r)}`)];
    if (props.add.length === 0)
      report(this, CORE_CODES.emptyRule, 'add is empty', 'an IP set needs at least one entry');
  }

  /** @internal */
  _lower(): IrContribution[] {
    return [{ kind: 'ipset', value: { source: { path: this.node.path }, name: this.selector, ops: this.ops } }];
  }
}
