import { Construct } from 'constructs';
import { CORE_CODES } from '../core/errors';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { uniqueSelectors } from './grant';
import { checkPositions, report } from './private/report';
import { checkPeriodProblem } from './private/syntax';
import type { Selector } from './selector';

/** Login users of an SSH rule (§7). Unknown strings are literal login names, as in Tailscale. */
export const SshUser = {
  ROOT: 'root',
  /** any login except root */
  NONROOT: 'autogroup:nonroot',
  /** the local part of the connecting user's login, for logins in `domain` (Premium/Enterprise) */
  localpart: (domain: string) => `localpart:*@${domain}`,
  named: (login: string) => login,
} as const;

export interface SshRuleProps {
  /** `accept`, or `check` for periodic re-authentication. @default 'accept' */
  readonly action?: 'accept' | 'check';
  /** Users, groups, tags, autogroup:member/tagged. */
  readonly src: readonly Selector<'sshSrc'>[];
  /** Tags, autogroup:tagged or autogroup:self. No ports: always 22. */
  readonly dst: readonly Selector<'sshDst'>[];
  /** Login names on the destination: `SshUser.ROOT`, `SshUser.NONROOT`, `'kernelcore'`, … */
  readonly users: readonly string[];
  /** How often `check` re-authenticates: a Go duration up to 168h, or `always`. @default - 12h (Tailscale's default) */
  readonly checkPeriod?: string;
  /** Environment variables the client may send; `*` and `?` wildcards. @default - none */
  readonly acceptEnv?: readonly string[];
  /** @default - the tailnet's defaultSrcPosture */
  readonly srcPosture?: readonly string[];
  /** @default - the construct path only */
  readonly comment?: string;
}

/** A Tailscale SSH rule (`ssh[]`). SSH also needs network access to tcp/22 from a grant. */
export class SshRule extends Construct implements ILowerable {
  readonly props: SshRuleProps;

  constructor(scope: Construct, id: string, props: SshRuleProps) {
    super(scope, id);
    markLowerable(this);
    this.props = props;
    const action = (props.action ?? 'accept') as string;
    if (action !== 'accept' && action !== 'check') {
      report(this, CORE_CODES.invalidSshRule, `"${action}" is not a valid action`, 'use "accept" or "check"');
    }
    checkPositions(this, 'src', props.src, 'sshSrc', CORE_CODES.selectorNotAllowedHere);
    checkPositions(this, 'dst', props.dst, 'sshDst', CORE_CODES.selectorNotAllowedHere);
    this.checkUsers();
    this.checkSecurityModel();
    if (props.checkPeriod !== undefined) {
      const problem = checkPeriodProblem(props.checkPeriod);
      if (problem)
        report(
          this,
          CORE_CODES.invalidDuration,
          problem,
          'use a duration such as 12h or 30m (at most 168h), or always',
        );
      if (action !== 'check')
        report(
          this,
          CORE_CODES.invalidSshRule,
          'checkPeriod only applies to check rules',
          'set action: "check" or drop checkPeriod',
        );
    }
    if ((props.acceptEnv ?? []).some((e) => e.trim() === '')) {
      report(this, CORE_CODES.invalidSshRule, 'acceptEnv values cannot be empty', 'remove the empty entry');
    }
  }

  private checkUsers(): void {
    if (this.props.users.length === 0)
      report(this, CORE_CODES.invalidSshRule, 'users must be specified', 'e.g. users: [SshUser.NONROOT]');
    for (const u of this.props.users) {
      if (u.trim() === '' || u.trim() === '*') {
        report(
          this,
          CORE_CODES.invalidSshRule,
          `user "${u}" is not valid`,
          'use SshUser.NONROOT for any non-root login',
        );
      }
    }
  }

  /** §7 security model: tagged sources never reach user-owned devices; check mode needs a human. */
  private checkSecurityModel(): void {
    const taggedSource = this.props.src.some((s) => s.kind === 'tag' || s.selector === 'autogroup:tagged');
    if (taggedSource && this.props.dst.some((d) => d.selector === 'autogroup:self')) {
      report(
        this,
        CORE_CODES.invalidSshRule,
        'tags in SSH source cannot access user-owned devices',
        'SSH from tagged devices may only reach tagged devices',
      );
    }
    if (taggedSource && (this.props.action ?? 'accept') === 'check') {
      report(
        this,
        CORE_CODES.invalidSshRule,
        'check mode needs a user to re-authenticate; tagged sources cannot use it',
        'use action "accept" for tag → tag SSH',
      );
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const p = this.props;
    const value = {
      source: { path: this.node.path },
      ...(p.comment ? { comment: p.comment } : {}),
      action: p.action ?? 'accept',
      src: uniqueSelectors(p.src),
      dst: uniqueSelectors(p.dst),
      users: [...new Set(p.users.map((u) => u.trim()))],
      ...(p.checkPeriod !== undefined ? { checkPeriod: p.checkPeriod } : {}),
      ...(p.acceptEnv && p.acceptEnv.length > 0 ? { acceptEnv: [...p.acceptEnv] } : {}),
      ...(p.srcPosture && p.srcPosture.length > 0 ? { srcPosture: [...p.srcPosture] } : {}),
    };
    return [{ kind: 'ssh', value }];
  }
}
