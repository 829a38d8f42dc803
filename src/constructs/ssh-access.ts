import { Construct } from 'constructs';
import { brand, hasBrand } from '../core/brand';
import { CORE_CODES } from '../core/errors';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import type { Device } from './device';
import { uniqueSelectors } from './grant';
import { checkPositions, report } from './private/report';
import type { Selector, TagPosition } from './selector';

const SSH_ACCESS_BRAND = Symbol.for('tailnet-cdk.SshAccess');

/** A POSIX login name, as useradd accepts it. */
const LOGIN = /^[a-z_][a-z0-9_-]{0,31}\$?$/;

export interface SshAccessProps {
  /** Where the connections come from, e.g. the hub's tag. Users, groups and tags are allowed. */
  readonly from: Selector<'src' | 'sshSrc'>;
  /** The managed machines: declared devices, each tagged (Tailscale SSH from a tag reaches tagged devices only). */
  readonly machines: readonly Device[];
  /** The login used on every machine, e.g. `homelabcmd`. */
  readonly user: string;
  /**
   * Path of the private key on the managing machine, written into the ssh config (the key itself never is).
   * @default '~/.ssh/id_ed25519'
   */
  readonly identityFile?: string;
  /**
   * The tag every managed machine carries, used as the rule destination.
   * @default - every tag the machines carry
   */
  readonly machinesTag?: Selector<TagPosition>;
}

/**
 * A machine (the hub) that administers other machines over SSH by their MagicDNS names: a Tailscale SSH rule and
 * a tcp/22 grant let `from` reach the machines as `user`, and `out/<stack>/ssh/config` holds a `Host` entry per
 * machine (MagicDNS name, user, identity file) to `Include` from the hub's `~/.ssh/config`.
 */
export class SshAccess extends Construct implements ILowerable {
  static isSshAccess(x: unknown): x is SshAccess {
    return hasBrand(x, SSH_ACCESS_BRAND);
  }

  readonly props: SshAccessProps;
  readonly identityFile: string;

  constructor(scope: Construct, id: string, props: SshAccessProps) {
    super(scope, id);
    brand(this, SSH_ACCESS_BRAND);
    markLowerable(this);
    this.props = props;
    this.identityFile = props.identityFile ?? '~/.ssh/id_ed25519';
    checkPositions(this, 'from', [props.from], 'sshSrc', CORE_CODES.selectorNotAllowedHere);
    checkPositions(this, 'from', [props.from], 'src', CORE_CODES.selectorNotAllowedHere);
    this.checkUser();
    this.checkIdentityFile();
    this.checkMachines();
  }

  /** The destinations of the rule and grant: the shared tag, else every tag of the machines. */
  get destinations(): string[] {
    if (this.props.machinesTag) return [this.props.machinesTag.selector];
    return [...new Set(this.props.machines.flatMap((m) => (m.props.tags ?? []).map((t) => t.selector)))].sort();
  }

  private checkUser(): void {
    if (!LOGIN.test(this.props.user)) {
      report(
        this,
        CORE_CODES.invalidSshRule,
        `user "${this.props.user}" is not a login name`,
        'use a POSIX login: lower-case letters, digits, _ and -, starting with a letter or _',
      );
    }
  }

  private checkIdentityFile(): void {
    const file = this.identityFile;
    if (/[\n\r"]/.test(file) || file.includes('PRIVATE KEY') || file.trim() === '') {
      report(
        this,
        CORE_CODES.invalidSshRule,
        'identityFile must be the path of a key file, not key material',
        "give a path such as '~/.ssh/id_ed25519'; the key stays on the managing machine",
      );
    }
  }

  private checkMachines(): void {
    if (this.props.machines.length === 0) {
      report(this, CORE_CODES.emptyRule, 'machines is empty', 'list the devices this access manages');
    }
    const shared = this.props.machinesTag?.selector;
    for (const m of this.props.machines) {
      const tags = (m.props.tags ?? []).map((t) => t.selector);
      if (tags.length === 0) {
        report(
          this,
          CORE_CODES.invalidSshRule,
          `machine "${m.hostname}" has no tags; Tailscale SSH from a tag reaches only tagged devices`,
          'tag the machine (e.g. tag:managed) and pass that tag as machinesTag',
        );
      } else if (shared !== undefined && !tags.includes(shared)) {
        report(
          this,
          CORE_CODES.invalidSshRule,
          `machine "${m.hostname}" does not carry machinesTag "${shared}"`,
          `add ${shared} to the device's tags, or leave it out of machines`,
        );
      }
    }
  }

  /** @internal */
  _lower(): IrContribution[] {
    const source = { path: this.node.path };
    const src = uniqueSelectors([this.props.from]);
    const dst = this.destinations;
    const comment = `SSH from ${src[0]} to the managed machines as ${this.props.user}`;
    const hosts = this.props.machines.map((m) => ({
      kind: 'sshHost' as const,
      value: { source, hostname: m.hostname, user: this.props.user, identityFile: this.identityFile, from: src[0] },
    }));
    return [
      { kind: 'ssh', value: { source, comment, action: 'accept', src, dst, users: [this.props.user] } },
      { kind: 'grant', value: { source, comment: `${comment} (tcp/22)`, src, dst, ip: ['tcp:22'] } },
      ...hosts,
    ];
  }
}
