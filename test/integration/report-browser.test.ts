import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TailnetApp } from '../../src';
import { KernelcoreStack } from '../../stacks/kernelcore';
import { REPO_ROOT, tmpDir } from '../helpers';
import { requireTool } from './tools';

/**
 * The kernelcore access report in Debian's Chromium, driven by playwright-core (issue 8 §3): it loads with no console
 * errors and no network request at all, shows the map as SVG, the matrix filter shrinks the rows to the matching
 * ones, and a screenshot lands in test/.tmp/ for humans. Timings go to stderr.
 */
const hasChromium = requireTool('chromium');
const SHOTS = path.join(REPO_ROOT, 'test', '.tmp');

/** The machine's network is closed: without these, Chromium's background services retry refused connections. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function kernelcoreReport(): string {
  const app = new TailnetApp({ outdir: tmpDir('report-out'), cdktfOutdir: tmpDir('report-cdktf') });
  new KernelcoreStack(app);
  const html = app.synthesize()[0].files.get('report.html');
  if (!html) throw new Error('synth wrote no report.html');
  return html;
}

const timings: Record<string, number> = {};
async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - start);
  }
}

describe.skipIf(!hasChromium)('access report in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    context = await timed('launch', () =>
      chromium.launchPersistentContext(tmpDir('chromium-profile'), {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: FLAGS,
        viewport: { width: 1280, height: 900 },
      }),
    );
    // Every request the page makes fails the test: the report must not fetch anything.
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const html = kernelcoreReport();
    await timed('load', () => page.setContent(html, { waitUntil: 'load' }));
  });

  afterAll(async () => {
    await context?.close();
    process.stderr.write(`report-browser timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it('loads with no console errors and no network request', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('shows the access map as an SVG with nodes and edges, broad access marked', async () => {
    const map = page.locator('#map .map > svg');
    const counts = {
      svg: await map.count(),
      nodes: await map.locator('g.node.access-node').count(),
      edges: await map.locator('g.edge.access-edge').count(),
      broad: await map.locator('g.edge.broad').count(),
    };
    expect(counts.svg).toBe(1);
    expect(counts.nodes).toBeGreaterThanOrEqual(6);
    expect(counts.edges).toBeGreaterThanOrEqual(6);
    expect(counts.broad).toBeGreaterThanOrEqual(1);
    const box = await map.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
  });

  it('filters the matrix to the rows that match the search', async () => {
    const rows = page.locator('#matrix tbody tr');
    const visible = page.locator('#matrix tbody tr:visible');
    const total = await rows.count();
    expect(total).toBeGreaterThanOrEqual(4);
    await timed('filter', async () => {
      await page.fill('#matrix-search', 'tag:admin');
      await expect.poll(() => visible.count()).toBeLessThan(total);
    });
    const texts = await visible.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t).toContain('tag:admin');
    await page.fill('#matrix-search', '11434');
    const withOllama = await visible.locator('th').allTextContents();
    expect(withOllama.map((t) => t.replace(/\d+ devices?.*/, '').trim()).sort()).toEqual(['tag:client', 'tag:laptop']);
    await page.fill('#matrix-search', 'no-such-thing-anywhere');
    expect(await visible.count()).toBe(0);
    await expect.poll(() => page.textContent('#matrix-count')).toBe(`0 of ${total} rows`);
    await page.fill('#matrix-search', '');
    expect(await visible.count()).toBe(total);
  });

  it('draws a pale dot in each empty matrix cell and none in the others', async () => {
    // as a string: this project's TypeScript has no DOM library
    const marks = (await page.evaluate(
      `[...document.querySelectorAll('#matrix tbody td')].map((td) => ({
        empty: td.childNodes.length === 0,
        after: getComputedStyle(td, '::after').content,
      }))`,
    )) as { empty: boolean; after: string }[];
    const empty = marks.filter((m) => m.empty);
    expect(empty.length).toBeGreaterThan(0);
    expect(empty.length).toBeLessThan(marks.length);
    for (const m of empty) expect(m.after).toBe('"·"');
    for (const m of marks.filter((c) => !c.empty)) expect(m.after).toBe('none');
  });

  it('lists the policy tests as passed and the artifacts with their sha256', async () => {
    const failed = await page.locator('#tests-table tr.fail').count();
    const passed = await page.locator('#tests-table tr.pass').count();
    expect(failed).toBe(0);
    expect(passed).toBeGreaterThan(5);
    const paths = await page.locator('#artifacts-table td:first-child').allTextContents();
    expect(paths).toEqual(expect.arrayContaining(['policy.hujson', 'devices.json', 'terraform/cdk.tf.json']));
    expect(await page.textContent('#lint')).toContain('Lint');
  });

  it('writes a full-page screenshot for humans', async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, 'report-kernelcore.png');
    const png = await timed('screenshot', () => page.screenshot({ path: file, fullPage: true }));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
  });

  it('would notice a request: the guard sees a fetch from a page without the report CSP', async () => {
    const probe = await context.newPage();
    await probe.setContent('<p>probe</p>');
    await probe.evaluate(() => fetch('http://192.0.2.1/probe').catch(() => undefined));
    await probe.close();
    expect(requests).toContain('http://192.0.2.1/probe');
    requests.length = 0;
  });
});
