import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers';
import { cli, FIXTURES, fixture } from './run-cli';

/**
 * `tailnet-cdk plan`: two files, or every stack under out/ against a git revision (a throw-away repository here),
 * in text, Markdown and JSON, with `--exit-code`; usage errors exit 2.
 */
const FILES = ['plan', '--before', fixture('base.hujson'), '--after', fixture('changed.hujson')];

describe('tailnet-cdk plan --before/--after', () => {
  it('prints one line per change with the responsible rule; exit 0, or 1 with --exit-code', () => {
    const r = cli(FILES);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain(
      '  + group:eng (3 devices) → tag:web (1 device): tcp:8443\n      grants[0] test/fixtures/policy/changed.hujson:28:3 (fixture/EngToWeb), edited',
    );
    expect(r.out).toContain(
      '  − tag:web (1 device) → tag:db (1 device): tcp:5432\n      grants[1] test/fixtures/policy/base.hujson:33:3 (fixture/WebToDb), removed',
    );
    expect(r.out).toMatch(/\n1 stack changed: \+2 grants of access, −1, ~2 changed\n$/);
    expect(cli([...FILES, '--exit-code']).status).toBe(1);
    expect(
      cli(['plan', '--before', fixture('base.hujson'), '--after', fixture('base.hujson'), '--exit-code']).status,
    ).toBe(0);
  });

  it('--format json: summary, stacks and changes with located rules', () => {
    const json = JSON.parse(cli([...FILES, '--format', 'json']).out);
    expect(json.summary).toMatchObject({ stacks: 1, changedStacks: 1, gained: 2, lost: 1, changed: 2 });
    const [stack] = json.stacks;
    expect(stack).toMatchObject({ valid: true, devices: 7, before: 'test/fixtures/policy/base.hujson' });
    expect(stack.changes[0]).toMatchObject({
      kind: 'network',
      direction: 'gained',
      access: ['tcp:8443'],
      text: 'tcp:8443',
      src: { label: 'group:eng (3 devices)', identities: ['group:eng'], deviceCount: 3 },
      rules: [{ version: 'after', section: 'grants', index: 0, construct: 'fixture/EngToWeb', status: 'edited' }],
    });
  });

  it('--format markdown: summary line first, details folded', () => {
    const md = cli([...FILES, '--format', 'markdown']).out;
    expect(md.split('\n')[0]).toBe('### tailnet-cdk plan: 1 stack changed: +2 grants of access, −1, ~2 changed');
    expect(md).toContain('<details><summary><b>test/fixtures/policy/changed.hujson</b>: +2 −1 ~2');
    expect(md).toContain(
      '| **−** | `tag:web` (1 device) | `tag:db` (1 device) | tcp:5432 | `grants[1]` fixture/WebToDb (base.hujson:33:3, removed) |',
    );
  });

  it('--format html: one self-contained page, gained edges green and lost red, every change in the table', () => {
    const r = cli([...FILES, '--format', 'html']);
    expect(r.status, r.err).toBe(0);
    const html = r.out;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/); // nothing fetched
    expect(html).toContain('<svg');
    expect(html).toMatch(/class="edge access&#45;edge gained">[\s\S]*?stroke="#2f855a"/);
    expect(html).toMatch(/class="edge access&#45;edge lost">[\s\S]*?stroke="#c53030"/);
    expect(html).toMatch(/<tr class="gained"[^>]*><td class="change">gained<\/td><th>group:eng<\/th><td>tag:web<\/td>/);
    expect(html).toMatch(/<tr class="lost"[^>]*><td class="change">lost<\/td><th>tag:web<\/th><td>tag:db<\/td>/);
  });

  it('usage errors exit 2; an invalid version exits 1', () => {
    expect(cli(['plan', '--before', fixture('base.hujson')]).status).toBe(2);
    expect(cli([...FILES, '--format', 'yaml']).status).toBe(2);
    expect(cli([...FILES, '--base', 'HEAD']).status).toBe(2);
    const invalid = cli(['plan', '--before', fixture('base.hujson'), '--after', fixture('invalid.hujson')]);
    expect(invalid.status).toBe(1);
    expect(invalid.out).toContain('could not be planned');
  });
});

describe('tailnet-cdk plan --base <ref>', () => {
  let repo: string;
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  };

  beforeAll(() => {
    repo = tmpDir('plan-git');
    git('init', '-q');
    for (const stack of ['demo', 'gone']) {
      fs.mkdirSync(path.join(repo, 'out', stack), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, 'base.hujson'), path.join(repo, 'out', stack, 'policy.hujson'));
      fs.copyFileSync(path.join(FIXTURES, 'devices.json'), path.join(repo, 'out', stack, 'devices.json'));
    }
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    fs.copyFileSync(path.join(FIXTURES, 'changed.hujson'), path.join(repo, 'out', 'demo', 'policy.hujson'));
    fs.rmSync(path.join(repo, 'out', 'gone'), { recursive: true });
  });

  it('compares every stack of the working tree with the same files at the revision', () => {
    const r = cli(['plan', '--base', 'HEAD', '--format', 'markdown'], { cwd: repo });
    expect(r.status, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^### tailnet-cdk plan: 2 stacks changed: \+2 grants of access, −\d+/);
    expect(r.out).toContain('| demo | 7 | 2 | 1 | 2 |');
    expect(r.out).toContain('<code>HEAD:out/demo/policy.hujson</code> → <code>working tree</code>');
    // A stack that is gone loses everything it granted.
    expect(r.out).toContain(
      '> the stack does not exist in the new version: compared with a policy that allows nothing',
    );
  });

  it('--format html over several stacks: a section per changed stack', () => {
    const r = cli(['plan', '--base', 'HEAD', '--format', 'html'], { cwd: repo });
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('2 of 2 stacks changed');
    expect(r.out).toContain('id="s0-diff-map"');
    expect(r.out).toContain('id="s1-changes-table"');
    expect(r.out).toMatch(/<h2>demo: HEAD:out\/demo\/policy.hujson → working tree: changed access<\/h2>/);
  });

  it('defaults to HEAD, exits 1 with --exit-code, and 2 for an unknown revision', () => {
    const r = cli(['plan', '--exit-code'], { cwd: repo });
    expect(r.status).toBe(1);
    expect(r.out).toContain('demo (HEAD:out/demo/policy.hujson → working tree, 7 devices): +2 −1 ~2');
    const unknown = cli(['plan', '--base', 'no-such-ref'], { cwd: repo });
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain('unknown git revision "no-such-ref"');
  });
});
