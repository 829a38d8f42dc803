import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TailnetApp } from '../../../src';
import { writeOutputs } from '../../../src/core/writer';
import { KernelcoreStack } from '../../../stacks/kernelcore';
import { REPO_ROOT, tmpDir } from '../../helpers';

/**
 * `tailnet-cdk graph` end to end: every format from a policy file and an inventory, `--out`, `--expand`, a
 * synthesized stack (whose `--format html` is byte for byte the report.html synth wrote, and whose SVG is the README's
 * picture), and the exit codes.
 */
const BIN = path.join(REPO_ROOT, 'bin', 'tailnet-cdk.js');

function graph(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [BIN, 'graph', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TAILNET_CDK_FROM_SOURCE: '1' },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const POLICY = `{
  // a small tailnet
  "tagOwners": { "tag:web": [], "tag:db": [] },
  "grants": [
    { "src": ["tag:web"], "dst": ["tag:db"], "ip": ["tcp:5432"] },
    { "src": ["alice@example.com"], "dst": ["*"], "ip": ["*"] },
  ],
  "ssh": [{ "action": "accept", "src": ["alice@example.com"], "dst": ["tag:db"], "users": ["root"] }],
}
`;
const DEVICES = JSON.stringify({
  devices: [
    { name: 'web.example.ts.net', addresses: ['100.64.0.1'], tags: ['tag:web'] },
    { name: 'db.example.ts.net', addresses: ['100.64.0.2'], tags: ['tag:db'] },
    { name: 'laptop.example.ts.net', addresses: ['100.64.0.3'], user: 'alice@example.com' },
  ],
});

describe('tailnet-cdk graph', () => {
  let dir: string;
  let policy: string;
  let devices: string;
  beforeAll(() => {
    dir = tmpDir('graph');
    policy = path.join(dir, 'policy.hujson');
    devices = path.join(dir, 'devices.json');
    fs.writeFileSync(policy, POLICY);
    fs.writeFileSync(devices, DEVICES);
  });

  it('draws a policy file with an inventory in every format', () => {
    const starts: Record<string, string> = {
      svg: '<svg ',
      dot: 'digraph access {',
      mermaid: 'flowchart LR',
      html: '<!doctype html>',
    };
    for (const [format, start] of Object.entries(starts)) {
      const r = graph([policy, '--devices', devices, '--format', format]);
      expect(r.status, `${format}: ${r.err}`).toBe(0);
      expect(r.out.startsWith(start), format).toBe(true);
      expect(r.out).toContain('tag:db');
    }
    expect(graph([policy, '--devices', devices, '--format', 'dot']).out).toContain('label="access map: policy.hujson"');
  });

  it('writes --out (creating folders) and lists devices with --expand', () => {
    const out = path.join(dir, 'deep', 'map.dot');
    const r = graph([policy, '--devices', devices, '--format', 'dot', '--expand', '--out', out]);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe('');
    const dot = fs.readFileSync(out, 'utf8');
    expect(dot).toContain('compound=true');
    expect(dot).toMatch(/label="laptop"/);
  });

  it('exits 2 on usage errors and 1 on bad input, naming the problem', () => {
    expect(graph([]).status).toBe(2);
    expect(graph([policy, '--stack', 'kernelcore']).err).toContain('not both');
    const badFormat = graph([policy, '--format', 'png']);
    expect([badFormat.status, badFormat.err]).toEqual([
      2,
      'error: --format "png" is not one of svg, html, mermaid, dot\n',
    ]);
    const unknownStack = graph(['--stack', 'nope', '--dir', dir]);
    expect(unknownStack.status).toBe(2);
    expect(unknownStack.err).toContain('no synthesized stack "nope"');
    const bad = path.join(dir, 'bad.hujson');
    fs.writeFileSync(bad, '{"grants": [{"src": ["tag:ghost"], "dst": ["*"], "ip": ["*"]}]}');
    const invalid = graph([bad]);
    expect(invalid.status).toBe(1);
    expect(invalid.err).toMatch(/error TN5\d{3} \[.*bad\.hujson:1:/);
    expect(invalid.out).toBe('');
    const missing = graph([policy, '--devices', path.join(dir, 'missing.json')]);
    expect(missing.status).toBe(1);
    expect(missing.err).toContain('TN9005');
  });

  it('gives, for every committed example stack, exactly the report.html synth wrote', () => {
    const out = path.join(REPO_ROOT, 'out');
    const stacks = fs.readdirSync(out).filter((s) => fs.existsSync(path.join(out, s, 'report.html')));
    expect(stacks.length).toBeGreaterThanOrEqual(7);
    for (const stack of stacks) {
      const html = graph(['--stack', stack, '--dir', out, '--format', 'html']);
      expect(html.status, html.err).toBe(0);
      expect(html.out, stack).toBe(fs.readFileSync(path.join(out, stack, 'report.html'), 'utf8'));
    }
  });

  it('draws a synthesized stack, and its html is exactly the report.html synth wrote', () => {
    const outdir = tmpDir('graph-out');
    const app = new TailnetApp({ outdir, cdktfOutdir: tmpDir('graph-cdktf') });
    new KernelcoreStack(app);
    writeOutputs(outdir, app.synthesize());
    const html = graph(['--stack', 'kernelcore', '--dir', outdir, '--format', 'html']);
    expect(html.status, html.err).toBe(0);
    expect(html.out).toBe(fs.readFileSync(path.join(outdir, 'kernelcore', 'report.html'), 'utf8'));
    const svg = graph(['--stack', 'kernelcore', '--dir', outdir]);
    expect(svg.status, svg.err).toBe(0);
    expect(svg.out).toContain('autogroup:internet');
    // The README's picture is this very output; when the stack changes, redraw it.
    const picture = path.join(REPO_ROOT, 'docs', 'images', 'kernelcore-access-map.svg');
    expect(
      svg.out,
      'stale: node bin/tailnet-cdk.js graph --stack kernelcore --out docs/images/kernelcore-access-map.svg',
    ).toBe(fs.readFileSync(picture, 'utf8'));
  });
});
