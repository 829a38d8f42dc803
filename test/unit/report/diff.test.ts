import { describe, expect, it } from 'vitest';
import { type AccessMap, buildAccessMap } from '../../../src/emit/graph';
import { diffAccessMaps, renderDiffHtml } from '../../../src/emit/report';
import { build, TAGS } from '../policy/helpers';

/**
 * `renderDiffHtml`, for `plan --format html`: who gains and who loses access between two policies, gained green and
 * lost red in both the picture and the table.
 */
const GROUPS = { 'group:dev': ['alice@example.com', 'bob@example.com'] };

function mapOf(grants: object[], ssh: object[] = []): AccessMap {
  return buildAccessMap(build({ tagOwners: TAGS, groups: GROUPS, grants, ssh }));
}

const BEFORE = mapOf(
  [
    { src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:443', 'tcp:80'] },
    { src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] },
    { src: ['tag:router'], dst: ['tag:db'], ip: ['tcp:9100'] },
  ],
  [{ action: 'accept', src: ['group:dev'], dst: ['tag:db'], users: ['root'] }],
);
const AFTER = mapOf([
  { src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:443', 'tcp:22'] },
  { src: ['tag:web'], dst: ['tag:db'], ip: ['*'] },
  { src: ['tag:router'], dst: ['tag:db'], ip: ['tcp:9100'] },
  { src: ['group:dev'], dst: ['autogroup:internet'], ip: ['*'] },
]);

describe('access diff', () => {
  it('lists gained, lost and changed edges; * covers the ports it replaces', () => {
    const diff = diffAccessMaps(BEFORE, AFTER);
    expect(diff.unchanged).toBe(1);
    expect(diff.changes.map((c) => [c.change, c.from, c.to, c.kind, c.gained, c.lost])).toEqual([
      ['gained', 'group:dev', 'autogroup:internet', 'network', ['*'], []],
      ['lost', 'group:dev', 'tag:db', 'ssh', [], ['root']],
      ['changed', 'group:dev', 'tag:web', 'network', ['tcp:22'], ['tcp:80']],
      ['gained', 'tag:web', 'tag:db', 'network', ['*'], []],
    ]);
    expect(diff.changes.find((c) => c.to === 'autogroup:internet')?.broad).toBe(true);
    expect(diffAccessMaps(AFTER, AFTER).changes).toEqual([]);
  });

  it('renders gained rows and edges green, lost ones red, and draws only what changed', () => {
    const html = renderDiffHtml({ title: 'demo: main → branch', before: BEFORE, after: AFTER });
    expect(html).toContain('<h1>Access diff: demo: main → branch</h1>');
    expect(html).toContain('2 gained, 1 lost, 1 changed, 1 unchanged');
    const row = (change: string) => html.match(new RegExp(`<tr class="${change}"[^\\n]*`, 'g')) ?? [];
    expect(row('gained')).toHaveLength(2);
    expect(row('lost')).toHaveLength(1);
    expect(row('lost')[0]).toContain('<td class="cell loss">root</td>');
    expect(html).toMatch(/tr\.gained td, tr\.gained th \{ background: #f0fff4; \}/);
    const svg = html.slice(html.indexOf('<svg '), html.indexOf('</svg>')).replaceAll('&#45;', '-');
    expect(svg.match(/class="edge access-edge gained"/g)).toHaveLength(2);
    expect(svg.match(/class="edge access-edge lost"/g)).toHaveLength(1);
    expect(svg).toContain('stroke="#2f855a"');
    expect(svg).toContain('stroke="#c53030"');
    // tag:router → tag:db did not change: it is in neither the picture nor the table.
    expect(svg).not.toContain('tag:router');
    expect(html).toContain('−tcp 80');
  });

  it('says so when nothing changes', () => {
    const html = renderDiffHtml({ title: 'same', before: AFTER, after: AFTER });
    expect(html).toContain('No change in access');
    expect(html).not.toContain('<svg ');
  });
});
