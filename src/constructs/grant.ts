import { Construct } from 'constructs';
import { CORE_CODES } from '../core/errors';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { checkAddresses } from './address';
import { aclPorts, type IpCapability, type PortSpec, type Protocol } from './ports';
import { checkPositions, report } from './private/report';
import type { AnySelector, Selector } from './selector';

const CAP_NAME = /^[a-z0-9.-]+\.[a-z]{2,}\/[^\s]+$/;

export interface GrantProps {
  /** Who gets access. */
  readonly src: readonly Selector<'src'>[];
  /** What they may reach (bare selectors; ports go in `ip`). */
  readonly dst: readonly Selector<'dst'>[];
  /** Network capabilities, e.g. `[Ip.tcp(443), Ip.udp(53)]`. @default - none (then `app` is required) */
  readonly ip?: readonly IpCapability[];
  /** Application capabilities: `{ 'example.com/cap/x': [{...}] }`. @default - none */
  readonly app?: Readonly<Record<string, readonly unknown[]>>;
  /** Only through routers carrying one of these tags. @default - any router */
  readonly via?: readonly Selector<'via'>[];
  /** Source posture names (`posture:x`), any of which must hold. @default - the tailnet's defaultSrcPosture */
  readonly srcPosture?: readonly string[];
  /** A line shown above the rule in the policy file. @default - the construct path only */
  readonly comment?: string;
}

/** An access grant (`grants[]`). Grants only add access; nothing in a policy can take access away. */
export class Grant extends Construct implements ILowerable {
  readonly props: GrantProps;

  constructor(scope: Construct, id: string, props: GrantProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    checkPositions(this, 'src', props.src, 'src', CORE_CODES.selectorNotAllowedHere);
    checkPositions(this, 'dst', props.dst, 'dst', CORE_CODES.selectorNotAllowedHere);
    checkPositions(this, 'via', props.via ?? [], 'via', CORE_CODES.selectorNotAllowedHere);
    checkAddresses(this, 'src', props.src);
    checkAddresses(this, 'dst', props.dst);
    this.checkSelfDestination();
    this.checkCapabilities();
  }

  private checkSelfDestination(): void {
    // §3.2: with autogroup:self as a destination, every source must be a user, group or role autogroup.
    if (!this.props.dst.some((d) => d.selector === 'autogroup:self')) return;
    const bad = this.props.src.filter(
      (s) => !['user', 'group', 'domainUsers'].includes(s.kind) && !isRoleAutogroup(s.selector),
    );
    for (const s of bad) {
      report(
        this,
        CORE_CODES.selectorNotAllowedHere,
        `src: "${s.selector}": autogroup:self can only be used with users, groups, or supported autogroups`,
        'use autogroup:member (or a group) as the source of a grant to autogroup:self',
      );
    }
  }

  private checkCapabilities(): void {
    const ip = this.props.ip ?? [];
    const app = Object.keys(this.props.app ?? {});
    if (ip.length === 0 && app.length === 0) {
      report(
        this,
        CORE_CODES.emptyRule,
        'ip and app can not both be empty',
        'give ip, e.g. [Ip.tcp(443)], or app capabilities',
      );
    }
    for (const cap of ip) {
      if (cap.problem)
        report(
          this,
          CORE_CODES.invalidPort,
          `ip: "${cap.text}": ${cap.problem}`,
          'ports are 1-65535, ranges N-M, or *',
        );
    }
    for (const name of app) {
      if (!CAP_NAME.test(name)) {
        report(
          this,
          CORE_CODES.invalidAppCapability,
          `app: "${name}": capability name must have the form {domain}/{path}`,
          'e.g. example.com/cap/webui',
        );
      }
    }
    if (app.length > 0 && this.props.dst.some((d) => d.selector === 'autogroup:internet')) {
      report(
        this,
        CORE_CODES.invalidAppCapability,
        'cannot use app grants with autogroup:internet',
        'split the app capability into its own grant',
      );
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const value = {
      source: { path: this.node.path },
      ...(p.comment ? { comment: p.comment } : {}),
      src: uniqueSelectors(p.src),
      dst: uniqueSelectors(p.dst),
      ...(p.ip && p.ip.length > 0 ? { ip: [...new Set(p.ip.map((c) => c.text))] } : {}),
      ...(p.app && Object.keys(p.app).length > 0 ? { app: p.app } : {}),
      ...(p.via && p.via.length > 0 ? { via: uniqueSelectors(p.via) } : {}),
      ...(p.srcPosture && p.srcPosture.length > 0 ? { srcPosture: [...p.srcPosture] } : {}),
    };
    return [{ kind: 'grant', value }];
  }
}

export interface AclDestination {
  readonly target: Selector<'dst'>;
  /** Ports: numbers, `N-M` ranges or `*`. */
  readonly ports: readonly PortSpec[];
}

export interface AclRuleProps {
  /** Only `accept` exists: access is additive and deny is the default (§4). */
  readonly action?: 'accept';
  readonly src: readonly Selector<'src'>[];
  readonly dst: readonly AclDestination[];
  /** @default - TCP, UDP and ICMP */
  readonly proto?: Protocol | number;
  /** @default - the tailnet's defaultSrcPosture */
  readonly srcPosture?: readonly string[];
  /** @default - the construct path only */
  readonly comment?: string;
}

/** A legacy ACL rule (`acls[]`), kept so imported policies keep their form; prefer `Grant`. */
export class AclRule extends Construct implements ILowerable {
  readonly props: AclRuleProps;

  constructor(scope: Construct, id: string, props: AclRuleProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    const action = (props.action ?? 'accept') as string;
    if (action !== 'accept') {
      report(
        this,
        CORE_CODES.invalidAclAction,
        `action="${action}" is not supported`,
        'Tailscale only has "accept": access is denied unless a rule allows it; express the expectation as a test (stack.expect(src).cannotReach(dst, port))',
      );
    }
    checkPositions(this, 'src', props.src, 'src', CORE_CODES.selectorNotAllowedHere);
    checkPositions(
      this,
      'dst',
      props.dst.map((d) => d.target),
      'dst',
      CORE_CODES.selectorNotAllowedHere,
    );
    checkAddresses(this, 'src', props.src);
    checkAddresses(
      this,
      'dst',
      props.dst.map((d) => d.target),
    );
    for (const d of props.dst) {
      const { problem, text } = aclPorts(d.ports);
      if (problem)
        report(
          this,
          CORE_CODES.invalidPort,
          `dst "${d.target.selector}:${text}": ${problem}`,
          'ports are 1-65535, ranges N-M, or *',
        );
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const dst = p.dst.map((d) => `${bracketIpv6(d.target.selector)}:${aclPorts(d.ports).text}`);
    const value = {
      source: { path: this.node.path },
      ...(p.comment ? { comment: p.comment } : {}),
      action: 'accept' as const,
      src: uniqueSelectors(p.src),
      ...(p.proto !== undefined ? { proto: String(p.proto) } : {}),
      dst: [...new Set(dst)],
      ...(p.srcPosture && p.srcPosture.length > 0 ? { srcPosture: [...p.srcPosture] } : {}),
    };
    return [{ kind: 'acl', value }];
  }
}

/** Selector strings in declaration order, duplicates removed (order inside a rule is kept as written). */
export function uniqueSelectors(selectors: readonly AnySelector[]): string[] {
  return [...new Set(selectors.map((s) => s.selector))];
}

function isRoleAutogroup(s: string): boolean {
  return /^autogroup:(member|admin|owner|it-admin|network-admin|billing-admin|auditor)$/.test(s);
}

/** §4: an IPv6 host in an ACL destination is bracketed: `[fd7a::1]:80`. */
function bracketIpv6(host: string): string {
  return host.includes(':') && !host.includes('[') && !/^[a-z]+:/.test(host) ? `[${host}]` : host;
}
