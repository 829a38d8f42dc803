import { Construct } from 'constructs';
import { CORE_CODES } from '../core/errors';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { checkPositions, report } from './private/report';
import { portProblem } from './private/syntax';
import type { Selector } from './selector';

/** One destination of a policy test: a single host and a single port (§11: no ranges, no CIDRs). */
export interface TestTarget {
  readonly dst: Selector<'testDst'>;
  readonly port: number;
}

export interface PolicyTestProps {
  /** The identity whose every device must pass: a user, group, tag, host alias or IP. */
  readonly src: Selector<'testSrc'>;
  /** @default - TCP or UDP */
  readonly proto?: string;
  /** @default - none */
  readonly accept?: readonly TestTarget[];
  /** @default - none */
  readonly deny?: readonly TestTarget[];
  /** Posture attributes the source device is assumed to have (`node:os`, `node:tsVersion` …). @default - none */
  readonly srcPostureAttrs?: Readonly<Record<string, string | number | boolean>>;
}

/** A network assertion (`tests[]`), run by Tailscale on every policy save and by `tailnet-cdk test` offline. */
export class PolicyTest extends Construct implements ILowerable {
  private readonly src: Selector<'testSrc'>;
  private readonly proto?: string;
  private readonly srcPostureAttrs?: Readonly<Record<string, string | number | boolean>>;
  private readonly accepts: TestTarget[] = [];
  private readonly denies: TestTarget[] = [];

  constructor(scope: Construct, id: string, props: PolicyTestProps) {
    super(scope, id);
    markLowerable(this);
    this.src = props.src;
    this.proto = props.proto;
    this.srcPostureAttrs = props.srcPostureAttrs;
    checkPositions(this, 'src', [props.src], 'testSrc', CORE_CODES.selectorNotAllowedHere);
    for (const t of props.accept ?? []) this.canReach(t.dst, t.port);
    for (const t of props.deny ?? []) this.cannotReach(t.dst, t.port);
  }

  /** Asserts the source reaches `dst` on `port`; returns this test for more assertions. */
  canReach(dst: Selector<'testDst'>, port: number): this {
    this.check(dst, port);
    this.accepts.push({ dst, port });
    return this;
  }

  /** Asserts the source does not reach `dst` on `port`. */
  cannotReach(dst: Selector<'testDst'>, port: number): this {
    this.check(dst, port);
    this.denies.push({ dst, port });
    return this;
  }

  private check(dst: Selector<'testDst'>, port: number): void {
    checkPositions(this, 'dst', [dst], 'testDst', CORE_CODES.invalidTest);
    const problem = portProblem(port);
    if (problem)
      report(
        this,
        CORE_CODES.invalidPort,
        `test "${dst.selector}:${port}": ${problem}`,
        'tests take one port from 1-65535',
      );
    if (dst.kind === 'address' && dst.selector.includes('/')) {
      report(
        this,
        CORE_CODES.invalidTest,
        `test destination "${dst.selector}" is a CIDR`,
        'tests take single addresses, not prefixes (even /32)',
      );
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const text = (t: TestTarget) =>
      `${t.dst.kind === 'address' && t.dst.selector.includes(':') ? `[${t.dst.selector}]` : t.dst.selector}:${t.port}`;
    // accept/deny lists read as sets: sorted so the order of calls does not change the output.
    const accept = [...new Set(this.accepts.map(text))].sort();
    const deny = [...new Set(this.denies.map(text))].sort();
    if (accept.length === 0 && deny.length === 0) return [];
    const value = {
      source: { path: this.node.path },
      src: this.src.selector,
      ...(this.proto ? { proto: this.proto } : {}),
      accept,
      deny,
      ...(this.srcPostureAttrs ? { srcPostureAttrs: { ...this.srcPostureAttrs } } : {}),
    };
    return [{ kind: 'test', value }];
  }
}

export interface SshTestProps {
  readonly src: Selector<'testSrc'>;
  /** Destinations: users, tags, host aliases or IPv4 addresses. */
  readonly dst: readonly Selector<'sshDst' | 'testDst'>[];
  /** Logins that must be allowed (by accept or check). @default - none */
  readonly accept?: readonly string[];
  /** Logins that must be allowed only through a check rule. @default - none */
  readonly check?: readonly string[];
  /** Logins that must be refused. @default - none */
  readonly deny?: readonly string[];
  /** Posture attributes the source device is assumed to have. @default - none */
  readonly srcPostureAttrs?: Readonly<Record<string, string | number | boolean>>;
}

/** An SSH assertion (`sshTests[]`); evaluates only the ssh section (tcp/22 is not considered, as in Tailscale). */
export class SshTest extends Construct implements ILowerable {
  readonly props: SshTestProps;

  constructor(scope: Construct, id: string, props: SshTestProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    checkPositions(this, 'src', [props.src], 'testSrc', CORE_CODES.selectorNotAllowedHere);
    if (props.dst.length === 0) report(this, CORE_CODES.invalidTest, 'dst is empty', 'name at least one destination');
    const logins = [...(props.accept ?? []), ...(props.check ?? []), ...(props.deny ?? [])];
    if (logins.length === 0)
      report(this, CORE_CODES.invalidTest, 'accept, check and deny are all empty', 'list the logins to test');
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const sorted = (xs?: readonly string[]) => [...new Set(xs ?? [])].sort();
    const value = {
      source: { path: this.node.path },
      src: p.src.selector,
      dst: [...new Set(p.dst.map((d) => d.selector))].sort(),
      accept: sorted(p.accept),
      check: sorted(p.check),
      deny: sorted(p.deny),
      ...(p.srcPostureAttrs ? { srcPostureAttrs: { ...p.srcPostureAttrs } } : {}),
    };
    return [{ kind: 'sshTest', value }];
  }
}
