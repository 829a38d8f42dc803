import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics, hasErrors } from '../../../src/core/diagnostics';
import { autoApproves, canReach, checkPolicy, compilePolicy, sshAccess, validatePolicy } from '../../../src/policy';
import { type FixtureNode, inventoryFromNodes } from './fixture-nodes';

/** Every vector of shared/fixtures/policy-doc-cases.json (format: facts/tailscale-policy.md §17), one case per check. */
interface NetworkCheck {
  src: string;
  dst: string;
  proto: string;
  port: number;
  expect: 'accept' | 'deny' | 'check';
  sshUser?: string;
  enforcedBy?: string;
}
interface ApproveCheck {
  kind: 'autoApprove';
  node: string;
  route: string;
  expect: 'approved' | 'notApproved';
}
interface DocCase {
  name: string;
  dialect: 'tailscale' | 'headscale' | 'both';
  policy: unknown;
  nodes?: FixtureNode[];
  checks?: (NetworkCheck | ApproveCheck)[];
  expectError?: boolean;
  errorContains?: string;
}

const FIXTURE = join(__dirname, '../../fixtures/import/policy-doc-cases.json');
const cases: DocCase[] = JSON.parse(readFileSync(FIXTURE, 'utf8'));
/** §17: capture-style vectors use the tailnet domain example.com. */
const TAILNET_DOMAINS = ['example.com'];

function dialectsOf(c: DocCase): ('tailscale' | 'headscale')[] {
  return c.dialect === 'both' ? ['tailscale', 'headscale'] : [c.dialect];
}

describe('policy-doc-cases.json', () => {
  it('holds the 18 documented vectors', () => {
    expect(cases.length).toBeGreaterThanOrEqual(18);
  });

  for (const c of cases) {
    for (const dialect of dialectsOf(c)) {
      describe(`${c.name} [${dialect}]`, () => {
        const options = { dialect, tailnetDomains: TAILNET_DOMAINS };
        const inventory = inventoryFromNodes(c.nodes ?? []);
        const input = { value: c.policy, file: 'policy.hujson' };

        if (c.expectError === true) {
          it(`is rejected${c.errorContains ? ` with "${c.errorContains}"` : ''}`, () => {
            const result = checkPolicy(input, inventory, options);
            expect(hasErrors(result.diagnostics)).toBe(true);
            const messages = result.diagnostics.map((d) => d.message);
            if (c.errorContains) expect(messages.some((m) => m.includes(c.errorContains!))).toBe(true);
          });
          return;
        }

        it(c.expectError === false ? 'is accepted and its tests pass' : 'is accepted', () => {
          const result = checkPolicy(input, inventory, options);
          expect(formatDiagnostics(result.diagnostics)).toBe('');
        });

        const policy = validatePolicy(input, options).policy;
        const compiled = policy && compilePolicy(policy, inventory, options);
        for (const check of c.checks ?? []) {
          if ('kind' in check) {
            it(`autoApprove ${check.node} ${check.route} → ${check.expect}`, () => {
              expect(autoApproves(compiled!, check.node, check.route) ? 'approved' : 'notApproved').toBe(check.expect);
            });
          } else if (check.proto === 'ssh') {
            it(`ssh ${check.src} → ${check.dst} as ${check.sshUser} → ${check.expect}`, () => {
              expect(sshAccess(compiled!, { src: check.src, dst: check.dst, login: check.sshUser ?? '' }).action).toBe(
                check.expect,
              );
            });
          } else {
            it(`${check.src} → ${check.dst} ${check.proto}/${check.port} → ${check.expect}`, () => {
              const result = canReach(compiled!, {
                src: check.src,
                dst: check.dst,
                proto: check.proto,
                port: check.port,
              });
              expect(result.allowed ? 'accept' : 'deny').toBe(check.expect);
              if (check.enforcedBy) expect(result.enforcedBy).toBe(check.enforcedBy);
            });
          }
        }
      });
    }
  }
});
