import { Construct } from 'constructs';
import { brand, hasBrand } from '../core/brand';
import { CORE_CODES } from '../core/errors';
import { kebab } from '../core/names';
import { type ILowerable, type IrContribution, markLowerable } from '../ir/contribution';
import { checkPositions, report } from './private/report';
import { groupNameProblem, tagNameProblem, userLoginProblem } from './private/syntax';
import {
  type AnySelector,
  IDENTITY_POSITIONS,
  type IdentityPosition,
  makeSelector,
  type Position,
  type Selector,
  TAG_POSITIONS,
  type TagPosition,
} from './selector';

const GROUP_BRAND = Symbol.for('tailnet-cdk.Group');
const TAG_BRAND = Symbol.for('tailnet-cdk.Tag');

/** A user login. Users need no declaration in the policy file; they are referenced by login. */
export type UserSelector = Selector<IdentityPosition | 'groupMember'>;

export const User = {
  /** `alice@example.com`, `alice@github`, `alice@passkey`; checked where it is used. */
  fromLogin(login: string): UserSelector {
    return makeSelector(login.trim(), 'user', [...IDENTITY_POSITIONS, 'groupMember']);
  },
  /** `user:*@example.com`: every member whose login is in that tailnet domain. */
  inDomain(domain: string): Selector<IdentityPosition> {
    return makeSelector(`user:*@${domain}`, 'domainUsers', IDENTITY_POSITIONS);
  },
};

/** Reports members that are not user logins (nested groups, tags, autogroups are not group members). */
export function checkUserLogins(scope: Construct, field: string, members: readonly AnySelector[]): void {
  for (const m of members) {
    if (m.kind === 'group') {
      report(
        scope,
        CORE_CODES.nestedGroup,
        `${field}: "${m.selector}": group members cannot be recursive`,
        'Tailscale forbids nested groups: list the users of that group here instead',
      );
    } else if (m.kind !== 'user') {
      report(
        scope,
        CORE_CODES.selectorNotAllowedHere,
        `${field}: "${m.selector}" is not a user login`,
        'groups contain users only',
      );
    } else {
      const problem = userLoginProblem(m.selector);
      if (problem)
        report(
          scope,
          CORE_CODES.invalidUser,
          `${field}: ${problem}`,
          'write the login as the identity provider shows it',
        );
    }
  }
}

export interface GroupProps {
  /**
   * The group name as written in the policy file.
   * @default - `group:` + the construct id in kebab case
   */
  readonly name?: string;
  /** Members: user logins. Tailscale forbids groups inside groups. @default - no members (valid, matches nothing) */
  readonly members?: readonly (UserSelector | string)[];
}

/** A named set of users (`groups` in the policy file). */
export class Group extends Construct implements Selector<IdentityPosition>, ILowerable {
  static isGroup(x: unknown): x is Group {
    return hasBrand(x, GROUP_BRAND);
  }

  readonly selector: string;
  readonly kind = 'group' as const;
  readonly allowedIn = makeSelector('', 'group', IDENTITY_POSITIONS).allowedIn;
  private readonly members: AnySelector[] = [];

  constructor(scope: Construct, id: string, props: GroupProps = {}) {
    super(scope, id);
    brand(this, GROUP_BRAND);
    markLowerable(this);
    this.selector = props.name ?? `group:${kebab(id)}`;
    const problem = groupNameProblem(this.selector);
    if (problem) report(this, CORE_CODES.invalidGroupName, problem, 'name the group like group:eng');
    for (const m of props.members ?? []) this.addMember(m);
  }

  /** Adds a user login to the group. */
  addMember(member: UserSelector | string): void {
    const selector = typeof member === 'string' ? User.fromLogin(member) : member;
    checkUserLogins(this, 'members', [selector]);
    this.members.push(selector);
  }

  /** @internal */
  _lower(): IrContribution[] {
    const members = [...new Set(this.members.map((m) => m.selector))].sort();
    return [{ kind: 'group', value: { source: { path: this.node.path }, name: this.selector, members } }];
  }
}

export interface TagProps {
  /**
   * The tag as written in the policy file: `tag:` then a letter, then letters, digits and `-`.
   * @default - `tag:` + the construct id in kebab case
   */
  readonly name?: string;
  /** Who may apply the tag: users, groups, autogroups or other tags. Required: a tag nobody owns is an error. */
  readonly owners: readonly Selector<'owner'>[];
}

/** A tag and its owners (`tagOwners`). Tagged devices have no user identity. */
export class Tag extends Construct implements Selector<TagPosition>, ILowerable {
  static isTag(x: unknown): x is Tag {
    return hasBrand(x, TAG_BRAND);
  }

  /** A reference to a tag by name, e.g. one declared in another stack; the stack must still declare it. */
  static fromName(name: string): Selector<TagPosition> {
    return makeSelector(name, 'tag', TAG_POSITIONS);
  }

  readonly selector: string;
  readonly kind = 'tag' as const;
  readonly allowedIn = makeSelector('', 'tag', TAG_POSITIONS).allowedIn;
  private readonly owners: AnySelector[];

  constructor(scope: Construct, id: string, props: TagProps) {
    super(scope, id);
    brand(this, TAG_BRAND);
    markLowerable(this);
    this.selector = props?.name ?? `tag:${kebab(id)}`;
    this.owners = [...(props?.owners ?? [])];
    const problem = tagNameProblem(this.selector);
    if (problem) report(this, CORE_CODES.invalidTagName, problem, 'name the tag like tag:server (ASCII letter first)');
    if (this.owners.length === 0) {
      report(
        this,
        CORE_CODES.tagWithoutOwner,
        `tag "${this.selector}" has no owners`,
        'give owners, e.g. { owners: [Autogroup.ADMIN] }, so someone may apply the tag',
      );
    }
    checkPositions(this, 'owners', this.owners, 'owner' satisfies Position, CORE_CODES.selectorNotAllowedHere);
  }

  /** Adds an owner. */
  addOwner(owner: Selector<'owner'>): void {
    checkPositions(this, 'owners', [owner], 'owner', CORE_CODES.selectorNotAllowedHere);
    this.owners.push(owner);
  }

  /** @internal */
  _lower(): IrContribution[] {
    const owners = [...new Set(this.owners.map((o) => o.selector))].sort();
    return [{ kind: 'tagOwner', value: { source: { path: this.node.path }, name: this.selector, owners } }];
  }
}
