import { describe, expect, it } from 'vitest';
import { TailnetApp } from '../../../src';
import { sha256 } from '../../../src/core/writer';
import { buildReport, REPORT_FILE, renderReportHtml } from '../../../src/emit/report';
import { KernelcoreStack } from '../../../stacks/kernelcore';
import { tmpDir } from '../../helpers';
import { TAGS } from '../policy/helpers';

/**
 * `report.html`: written by synth for every stack, self-contained (nothing to fetch), deterministic, listing the
 * map, the matrix, the tests, the lint findings and the other artifacts with the sha256 of their exact bytes.
 */
function synthKernelcore(): ReadonlyMap<string, string> {
  const app = new TailnetApp({ outdir: tmpDir('report'), cdktfOutdir: tmpDir('report-cdktf') });
  new KernelcoreStack(app);
  return app.synthesize()[0].files;
}

function rows(html: string, tableId: string): string[] {
  const table = new RegExp(`<table id="${tableId}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)?.[1] ?? '';
  return table.split('\n').filter((l) => l.startsWith('<tr'));
}

const POLICY = {
  tagOwners: TAGS,
  grants: [{ src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] }],
  tests: [{ src: 'tag:web', accept: ['tag:db:5432'], deny: ['tag:db:5432'] }],
};
const DEVICES = {
  devices: [
    { name: 'web.example.ts.net', addresses: ['100.64.2.1'], tags: ['tag:web'] },
    { name: 'db.example.ts.net', addresses: ['100.64.2.2'], tags: ['tag:db'] },
  ],
};

function reportOf(policy: object, lint?: Parameters<typeof buildReport>[0]['lint']) {
  return buildReport({
    title: 'demo',
    policy: { value: policy, file: 'policy.json' },
    devices: { value: DEVICES, file: 'devices.json' },
    ...(lint ? { lint } : {}),
  });
}

describe('report.html of a synthesized stack', () => {
  const files = synthKernelcore();
  const html = files.get(REPORT_FILE)!;

  it('is written by synth, with the map, the matrix, the tests and every other artifact', () => {
    expect(html).toContain('<h1>Access report: kernelcore</h1>');
    expect(html).toMatch(/<div class="map">\n<svg /);
    expect(rows(html, 'matrix')).toHaveLength(5);
    expect(rows(html, 'tests-table').length).toBeGreaterThan(10);
    expect(rows(html, 'tests-table').every((r) => r.includes('class="pass"'))).toBe(true);
    expect(html).not.toContain('Lint was not run');
    const listed = rows(html, 'artifacts-table').map((r) => /<td class="mono">([^<]+)<\/td>/.exec(r)![1]);
    expect(listed).toEqual([...files.keys()].filter((p) => p !== REPORT_FILE).sort());
    for (const row of rows(html, 'artifacts-table')) {
      const [path, bytes, digest] = [...row.matchAll(/<td class="mono">([^<]+)<\/td>/g)].map((m) => m[1]);
      expect(digest).toBe(sha256(files.get(path)!));
      expect(Number(bytes)).toBe(Buffer.byteLength(files.get(path)!));
    }
  });

  it('fetches nothing: inline style and script only, and a CSP that forbids every load', () => {
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<link|<script[^>]*\ssrc=|<img|<iframe|url\(|@import/i);
    const references = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(0);
    expect(references.every((r) => r.startsWith('#'))).toBe(true);
    expect(html.length).toBeLessThan(150_000);
  });

  it('gives the same bytes on every synth, with no timestamp or version', () => {
    expect(synthKernelcore().get(REPORT_FILE)).toBe(html);
    expect(html).not.toMatch(/\b20\d\d-\d\d-\d\d|graphviz version|tailnet-cdk@?\d/i);
  });

  it('lets the matrix filter find rows by port, device and login', () => {
    const search = (principal: string) =>
      rows(html, 'matrix')
        .find((r) => r.includes(`<th>${principal}<br>`))!
        .match(/data-search="([^"]*)"/)![1];
    expect(search('tag:client')).toContain('tcp:11434');
    expect(search('tag:admin')).toContain('kernelcore');
    expect(search('tag:admin')).toContain('root');
    expect(search('tag:server')).not.toContain('tcp:11434');
  });
});

describe('report sections', () => {
  it('shows failing tests as FAIL with what went wrong', () => {
    const html = renderReportHtml(reportOf(POLICY));
    expect(html).toContain('1 of 2 assertions pass; 1 fail and Tailscale would reject this policy');
    const failed = rows(html, 'tests-table').filter((r) => r.includes('class="fail"'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('tag:web -&gt; tag:db:5432 should be denied');
    expect(failed[0]).toContain('web.example.ts.net: allowed');
  });

  it('lists the lint findings of the engine, and says when lint was not run rather than "no findings"', () => {
    const engine = rows(renderReportHtml(reportOf(POLICY)), 'lint-table');
    expect(engine.length).toBeGreaterThan(0);
    expect(engine.every((r) => /TN6\d{3}/.test(r))).toBe(true);
    expect(renderReportHtml({ ...reportOf(POLICY), lint: undefined })).toContain('Lint was not run for this report.');
    expect(renderReportHtml(reportOf(POLICY, []))).toContain('No lint findings.');
    const finding = { severity: 'warning' as const, code: 'TN6001', path: 'policy.json:3:5', message: 'a <finding>' };
    const html = renderReportHtml(reportOf(POLICY, [finding]));
    expect(rows(html, 'lint-table')).toHaveLength(1);
    expect(html).toContain('a &lt;finding&gt;');
  });

  it('reports an invalid policy without a map or a matrix, with its errors', () => {
    const report = reportOf({ grants: [{ src: ['tag:nope'], dst: ['*'], ip: ['*'] }] });
    expect(report.map).toBeUndefined();
    const html = renderReportHtml(report);
    expect(html).toContain('No map: the policy has errors');
    expect(html).not.toContain('id="matrix"');
    expect(rows(html, 'validation-table').length).toBeGreaterThan(0);
  });
});
