import { expect } from 'vitest';
import { formatDiagnostics } from '../../../src/core/diagnostics';
import { type CompiledPolicy, compilePolicy, type Dialect, validatePolicy } from '../../../src/policy';
import type { CompileOptions } from '../../../src/policy/compile';
import { type FixtureNode, inventoryFromNodes } from './fixture-nodes';

/** A small tailnet used by the corner tests: two users, tagged servers, a subnet router and an exit node. */
export const NODES: FixtureNode[] = [
  { name: 'alice-laptop', user: 'alice@example.com', tags: [], ips: ['100.64.1.1', 'fd7a:115c:a1e0::1:1'] },
  { name: 'alice-desktop', user: 'alice@example.com', tags: [], ips: ['100.64.1.2', 'fd7a:115c:a1e0::1:2'] },
  { name: 'bob-laptop', user: 'bob@example.com', tags: [], ips: ['100.64.1.3', 'fd7a:115c:a1e0::1:3'] },
  // Created by alice, but tagged: it has no user identity (§13).
  { name: 'web', user: 'alice@example.com', tags: ['tag:web'], ips: ['100.64.2.1', 'fd7a:115c:a1e0::2:1'] },
  { name: 'db', user: null, tags: ['tag:db', 'tag:prod'], ips: ['100.64.2.2', 'fd7a:115c:a1e0::2:2'] },
  {
    name: 'router',
    user: null,
    tags: ['tag:router'],
    ips: ['100.64.3.1', 'fd7a:115c:a1e0::3:1'],
    advertisedRoutes: ['10.33.0.0/16', '192.168.0.0/16'],
    approvedRoutes: ['10.33.0.0/16'],
  },
  {
    name: 'router2',
    user: null,
    tags: ['tag:router2'],
    ips: ['100.64.3.2', 'fd7a:115c:a1e0::3:2'],
    advertisedRoutes: ['10.33.1.0/24'],
    approvedRoutes: ['10.33.1.0/24'],
  },
  {
    name: 'exit',
    user: null,
    tags: ['tag:exit'],
    ips: ['100.64.4.1', 'fd7a:115c:a1e0::4:1'],
    advertisedRoutes: ['0.0.0.0/0', '::/0'],
    approvedRoutes: ['0.0.0.0/0', '::/0'],
  },
];

export const TAGS = Object.fromEntries(
  ['tag:web', 'tag:db', 'tag:prod', 'tag:router', 'tag:router2', 'tag:exit'].map((t) => [t, ['autogroup:admin']]),
);

export function build(
  policy: object,
  nodes: FixtureNode[] = NODES,
  options: { dialect?: Dialect } & CompileOptions = {},
): CompiledPolicy {
  const dialect = options.dialect ?? 'tailscale';
  const result = validatePolicy({ value: policy, file: 'p.json' }, { dialect });
  expect(formatDiagnostics(result.diagnostics)).toBe('');
  return compilePolicy(result.policy!, inventoryFromNodes(nodes), { ...options, dialect });
}
