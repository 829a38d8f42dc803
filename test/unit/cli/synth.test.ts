import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runSynthCli, SRC_IMPORT, tmpDir, writeAppProject } from '../../helpers';

/**
 * `tailnet-cdk synth` end to end on a throw-away project: the app named in cdktf.json writes out/, atomically,
 * never touching files it did not generate, and `--check` names stale files.
 */
function project(stackBody: string): string {
  return writeAppProject(
    tmpDir('project'),
    `import { ANY, Autogroup, Ip, Tag, TailnetApp, TailnetStack } from '${SRC_IMPORT}';
const app = new TailnetApp();
const stack = new TailnetStack(app, 'demo');
const owners = [Autogroup.ADMIN];
${stackBody}
app.synth();
`,
  );
}

function synth(dir: string, ...args: string[]) {
  return synthWith({}, dir, ...args);
}

function synthWith(env: Record<string, string>, dir: string, ...args: string[]) {
  const r = runSynthCli(dir, args, { ...process.env, NO_COLOR: '1', ...env });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const GOOD = `const server = new Tag(stack, 'Server', { owners });
const admin = new Tag(stack, 'Admin', { owners });
stack.addGrant('AdminsAll', { src: [admin], dst: [ANY], ip: [Ip.ALL] });
stack.addDevice('Web', { tags: [server] });`;

describe('tailnet-cdk synth', () => {
  let dir: string;
  beforeEach(() => {
    dir = project(GOOD);
  });

  it('writes out/<stack> with a manifest of sha256 sums, and the same bytes twice', () => {
    const first = synth(dir);
    expect(first.status, first.err).toBe(0);
    expect(first.out).toContain('demo:');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'out/demo/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['policy.hujson', 'policy.json', 'terraform/cdk.tf.json']),
    );
    const before = fs.readFileSync(path.join(dir, 'out/demo/policy.hujson'), 'utf8');
    expect(synth(dir).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/demo/policy.hujson'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(dir, 'out/demo')).some((f) => f.includes('.tmp-'))).toBe(false);
  });

  it('--check passes on fresh output and names a stale file with exit 1', () => {
    expect(synth(dir).status).toBe(0);
    expect(synth(dir, '--check').status).toBe(0);
    fs.appendFileSync(path.join(dir, 'out/demo/policy.json'), ' ');
    const check = synth(dir, '--check');
    expect(check.status).toBe(1);
    expect(check.err).toContain('demo/policy.json');
    expect(check.err).toContain('tailnet-cdk synth');
  });

  it('on bad input exits 1 with the diagnostic and leaves out/ untouched', () => {
    expect(synth(dir).status).toBe(0);
    const snapshot = fs.readFileSync(path.join(dir, 'out/demo/policy.hujson'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'app.ts'),
      fs
        .readFileSync(path.join(dir, 'app.ts'), 'utf8')
        .replace("new Tag(stack, 'Admin', { owners })", "new Tag(stack, 'Admin', { name: 'tag:Bad_Name', owners })"),
    );
    const r = synth(dir);
    expect(r.status).toBe(1);
    expect(r.err).toContain('error TN1001 [demo/Admin]');
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace without TAILNET_DEBUG
    expect(fs.readFileSync(path.join(dir, 'out/demo/policy.hujson'), 'utf8')).toBe(snapshot);
    const debug = synthWith({ TAILNET_DEBUG: '1' }, dir);
    expect(debug.status).toBe(1);
    expect(debug.err).toContain('TN1001');
    expect(debug.err).toMatch(/\n\s+at /); // TAILNET_DEBUG=1: the stack, for bug reports
  });

  it('never overwrites a file it did not generate', () => {
    fs.mkdirSync(path.join(dir, 'out/demo'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out/demo/policy.json'), 'mine');
    const r = synth(dir);
    expect(r.status).toBe(1);
    expect(r.err).toContain('TN9003');
    expect(fs.readFileSync(path.join(dir, 'out/demo/policy.json'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(dir, 'out/demo/policy.hujson'))).toBe(false);
  });

  it('removes files it generated before and no longer generates, and keeps foreign ones', () => {
    expect(synth(dir).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'out/demo/NOTES.md'), 'keep me');
    fs.writeFileSync(
      path.join(dir, 'app.ts'),
      fs
        .readFileSync(path.join(dir, 'app.ts'), 'utf8')
        .replace("new TailnetStack(app, 'demo')", "new TailnetStack(app, 'demo', { terraform: { enabled: false } })"),
    );
    const r = synth(dir);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('removed 1 file');
    expect(fs.existsSync(path.join(dir, 'out/demo/terraform'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'out/demo/NOTES.md'), 'utf8')).toBe('keep me');
  });

  it('exits 2 on a usage error', () => {
    fs.rmSync(path.join(dir, 'cdktf.json'));
    const r = synth(dir);
    expect(r.status).toBe(2);
    expect(r.err).toContain('no cdktf.json');
  });
});
