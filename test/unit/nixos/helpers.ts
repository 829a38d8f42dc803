import {
  NixosHost,
  type NixosHostProps,
  Tag,
  type TailnetApp,
  type TailnetStack,
  type TailnetStackProps,
  User,
} from '../../../src';
import type { StackIr } from '../../../src/ir/types';
import { newStack } from '../../helpers';

export interface NixosFixture {
  readonly app: TailnetApp;
  readonly stack: TailnetStack;
  readonly server: Tag;
  readonly client: Tag;
  readonly admin: Tag;
}

/** A stack with tags server, client and admin (owned by admin@example.com), MagicDNS suffix example.ts.net. */
export function fixture(props: TailnetStackProps = {}): NixosFixture {
  const { app, stack } = newStack({ magicDnsSuffix: 'example.ts.net', ...props });
  // a user, not autogroup:admin, so the same fixture also works with Headscale's policy dialect
  const owners = [User.fromLogin('admin@example.com')];
  return {
    app,
    stack,
    server: new Tag(stack, 'Server', { owners }),
    client: new Tag(stack, 'Client', { owners }),
    admin: new Tag(stack, 'Admin', { owners }),
  };
}

export function host(f: NixosFixture, props: NixosHostProps = {}, id = 'Web'): NixosHost {
  return new NixosHost(f.stack, id, { tags: [f.server], ...props });
}

/**
 * Synthesizes and returns the single stack's IR, files and (non-error) diagnostics, without the policy linter's
 * TN6xxx findings (the small fixtures leave tags unused on purpose; the linter has its own tests).
 */
export function synth(f: NixosFixture): { ir: StackIr; files: Map<string, string>; diagnostics: string[] } {
  const [r] = f.app.synthesize();
  return {
    ir: r.ir,
    files: new Map(r.files),
    diagnostics: r.diagnostics
      .filter((d) => !d.code.startsWith('TN6'))
      .map((d) => `${d.severity} ${d.code} [${d.path}] ${d.message}`),
  };
}
