import {
  ADDRESS_POSITIONS,
  ANY,
  type AnySelector,
  Autogroup,
  IDENTITY_POSITIONS,
  makeSelector,
  type Position,
  type SelectorKind,
  TAG_POSITIONS,
} from '../constructs/selector';
import { classifySelector } from '../policy';
import { call, type Expr, quote, raw, str } from './ts-code';

/**
 * Policy selector text → the TypeScript expression that makes the same selector with the constructs: a declared
 * group/tag/host/ipset becomes its variable, `*` becomes `ANY`, autogroups their `Autogroup` constant, logins
 * `User.fromLogin(…)`. Whether a candidate may stand in a position is read from the constructs' own position tables
 * at import time, so the generated code type-checks; where the constructs are stricter than Tailscale (an sshTests
 * destination that is a user), `makeSelector` states the position explicitly.
 */
export type DeclaredKind = 'group' | 'tag' | 'host' | 'ipset';

export interface Declared {
  readonly kind: DeclaredKind;
  readonly variable: string;
}

type AllowedIn = AnySelector['allowedIn'];

const DECLARED_POSITIONS: Record<DeclaredKind, AllowedIn> = {
  group: makeSelector('', 'group', IDENTITY_POSITIONS).allowedIn,
  tag: makeSelector('', 'tag', TAG_POSITIONS).allowedIn,
  host: makeSelector('', 'host', ADDRESS_POSITIONS).allowedIn,
  ipset: makeSelector('', 'ipset', [...ADDRESS_POSITIONS, 'ipset']).allowedIn,
};

const AUTOGROUP_CONSTANTS: Readonly<Record<string, keyof typeof Autogroup>> = {
  'autogroup:member': 'MEMBER',
  'autogroup:tagged': 'TAGGED',
  'autogroup:admin': 'ADMIN',
  'autogroup:owner': 'OWNER',
  'autogroup:it-admin': 'IT_ADMIN',
  'autogroup:network-admin': 'NETWORK_ADMIN',
  'autogroup:billing-admin': 'BILLING_ADMIN',
  'autogroup:auditor': 'AUDITOR',
  'autogroup:self': 'SELF',
  'autogroup:internet': 'INTERNET',
  'autogroup:shared': 'SHARED',
  'autogroup:danger-all': 'DANGER_ALL',
};

interface Candidate {
  readonly expr: Expr;
  readonly allowedIn: AllowedIn;
  readonly uses: readonly string[];
  readonly variable?: string;
}

export class SelectorWriter {
  /** Names the generated module must import. */
  readonly imports = new Set<string>();
  /** Declarations made so far, by selector text (a tag owner may only refer to a tag declared before it). */
  readonly declared = new Map<string, Declared>();
  /** Variables some expression refers to (the others need no `const`). */
  readonly usedVariables = new Set<string>();

  /** The expression for `text` in `positions` (all of which must allow it). */
  expr(text: string, positions: readonly Position[]): Expr {
    const trimmed = text.trim();
    const candidate = this.candidate(trimmed);
    if (candidate && positions.every((p) => candidate.allowedIn[p] === true)) {
      for (const u of candidate.uses) this.imports.add(u);
      if (candidate.variable) this.usedVariables.add(candidate.variable);
      return candidate.expr;
    }
    this.imports.add('makeSelector');
    const list = positions.map((p) => quote(p)).join(', ');
    return raw(`makeSelector(${quote(trimmed)}, ${quote(constructKind(trimmed))}, [${list}])`);
  }

  list(texts: readonly string[], positions: readonly Position[]): Expr[] {
    return texts.map((t) => this.expr(t, positions));
  }

  /** An `IpSet` entry: declared hosts and sets by variable, addresses and ranges as plain strings. */
  ipsetEntry(text: string): Expr {
    const t = text.trim();
    if (t.startsWith('host:')) {
      const host = this.declared.get(t.slice(5));
      if (host?.kind === 'host') return this.use(host.variable, `${host.variable}.inIpSet`);
    }
    const set = this.declared.get(t);
    if (set?.kind === 'ipset') return this.use(set.variable, set.variable);
    if (t === 'autogroup:internet') return this.expr(t, ['ipset']);
    return str(t);
  }

  private use(variable: string, text: string): Expr {
    this.usedVariables.add(variable);
    return raw(text);
  }

  private candidate(text: string): Candidate | undefined {
    const declared = this.declared.get(text);
    if (declared) {
      const { variable, kind } = declared;
      return { expr: raw(variable), allowedIn: DECLARED_POSITIONS[kind], uses: [], variable };
    }
    const sel = classifySelector(text);
    switch (sel.kind) {
      case 'wildcard':
        return { expr: raw('ANY'), allowedIn: ANY.allowedIn, uses: ['ANY'] };
      case 'autogroup': {
        const name = AUTOGROUP_CONSTANTS[text];
        if (!name) return undefined;
        return { expr: raw(`Autogroup.${name}`), allowedIn: Autogroup[name].allowedIn, uses: ['Autogroup'] };
      }
      case 'user':
        return this.factory(
          'User.fromLogin',
          text,
          makeSelector(text, 'user', [...IDENTITY_POSITIONS, 'groupMember']),
          'User',
        );
      case 'domainUsers':
        return this.factory('User.inDomain', sel.domain, makeSelector(text, 'domainUsers', IDENTITY_POSITIONS), 'User');
      case 'ip':
      case 'cidr':
        return this.factory(
          'Address.of',
          text,
          makeSelector(text, 'address', [...ADDRESS_POSITIONS, 'ipset']),
          'Address',
        );
      case 'service':
        return this.factory(
          'ServiceRef.fromName',
          text,
          makeSelector(text, 'service', ['dst', 'testDst']),
          'ServiceRef',
        );
      case 'tag':
        // A tag spelled differently from its declaration (Tailscale ignores tag case): keep the spelling.
        return this.factory('Tag.fromName', text, makeSelector(text, 'tag', TAG_POSITIONS), 'Tag');
      default:
        return undefined;
    }
  }

  private factory(callee: string, argument: string, sample: AnySelector, uses: string): Candidate {
    return { expr: call(callee, str(argument)), allowedIn: sample.allowedIn, uses: [uses] };
  }
}

/** The constructs' selector kind for a policy selector (for `makeSelector`). */
function constructKind(text: string): SelectorKind {
  const kind = classifySelector(text).kind;
  const map: Partial<Record<typeof kind, SelectorKind>> = {
    wildcard: 'any',
    ip: 'address',
    cidr: 'address',
    invalid: 'address',
  };
  return map[kind] ?? (kind as SelectorKind);
}
