import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { formatDiagnostics } from '../../../src/core/diagnostics';
import {
  type CompiledPolicy,
  compilePolicy,
  type Inventory,
  type PolicyFile,
  parseInventory,
  validatePolicy,
} from '../../../src/policy';
import type { ValueSource } from '../../../src/policy/source';
import { REPO_ROOT } from '../../helpers';

/** The policy fixtures of test/fixtures/policy (a small tailnet shared by the explain, plan, lint and CLI tests). */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'policy');

export function fixturePath(name: string): string {
  return path.join(FIXTURES, name);
}

export function loadFixture(name: string): { policy: PolicyFile; source: ValueSource } {
  const file = fixturePath(name);
  const result = validatePolicy({ text: fs.readFileSync(file, 'utf8'), file: name }, { dialect: 'tailscale' });
  expect(formatDiagnostics(result.diagnostics)).toBe('');
  return { policy: result.policy!, source: result.source! };
}

export function fixtureInventory(): Inventory {
  const parsed = parseInventory({ text: fs.readFileSync(fixturePath('devices.json'), 'utf8'), file: 'devices.json' });
  expect(parsed.diagnostics).toEqual([]);
  return parsed.inventory!;
}

export function compileFixture(name: string, inventory: Inventory = fixtureInventory()): CompiledPolicy {
  return compilePolicy(loadFixture(name).policy, inventory);
}

/** Validates a policy given as a plain object (inline cases). */
export function policyOf(value: object): { policy: PolicyFile; source: ValueSource } {
  const result = validatePolicy({ value, file: 'inline.json' }, { dialect: 'tailscale' });
  expect(formatDiagnostics(result.diagnostics)).toBe('');
  return { policy: result.policy!, source: result.source! };
}
