import { describe, expect, it } from 'vitest';
import { buildAccessMap, bundleAccessMap, drawAccessMap, focusAccessMap, renderDot } from '../../../src/emit/graph';
import { renderReportHtml } from '../../../src/emit/report';
import { generateTailnet } from './generate';

/**
 * Readable at 50 and at 500 devices: the map is as large as the policy, not the tailnet. The same 38 rules over 50
 * or 500 devices give the same nodes and edges; the edge count stays below the rules' (src × dst) pairs; expanded
 * maps list a capped number of devices per node and add no edges; and Graphviz lays the 500-device map out in
 * seconds with labels outside the layout.
 */
describe('access map at scale', () => {
  const small = generateTailnet(50);
  const large = generateTailnet(500);

  it('gives the same map shape for 50 and for 500 devices', () => {
    const a = buildAccessMap(small.compiled);
    const b = buildAccessMap(large.compiled);
    expect(b.nodes.map((n) => n.id)).toEqual(a.nodes.map((n) => n.id));
    expect(b.edges.map((e) => `${e.from}>${e.to}:${e.kind}`)).toEqual(
      a.edges.map((e) => `${e.from}>${e.to}:${e.kind}`),
    );
    expect(b.nodes.reduce((n, x) => n + x.deviceCount, 0)).toBeGreaterThan(
      a.nodes.reduce((n, x) => n + x.deviceCount, 0),
    );
  });

  it('keeps the edge count within the rules and merges parallel edges', () => {
    const map = buildAccessMap(large.compiled);
    expect(map.edges.length).toBeLessThanOrEqual(large.rulePairs);
    expect(map.edges.length).toBeLessThanOrEqual(150);
    const keys = map.edges.map((e) => `${e.from}>${e.to}:${e.kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    const drawn = bundleAccessMap(map);
    expect(drawn.edges.length).toBeLessThanOrEqual(map.edges.length);
    expect(drawn.nodes.length).toBeLessThanOrEqual(map.nodes.length);
  });

  it('caps the devices listed per node when expanded, and adds no edges', () => {
    const expanded = buildAccessMap(large.compiled, { expand: true, maxMembers: 12 });
    const members = expanded.nodes.map((n) => n.members?.length ?? 0);
    expect(Math.max(...members)).toBe(12);
    const largest = [...expanded.nodes].sort((a, b) => b.deviceCount - a.deviceCount)[0];
    expect(largest.deviceCount).toBeGreaterThan(12);
    expect(largest.members!.length + largest.hiddenMembers!).toBe(largest.deviceCount);
    expect(expanded.edges.length).toBe(buildAccessMap(large.compiled).edges.length);
  });

  it('renders the 500-device map to SVG, labels placed outside the layout', () => {
    const map = buildAccessMap(large.compiled);
    expect(renderDot(bundleAccessMap(map))).toContain('xlabel=');
    const svg = drawAccessMap(map, 'svg');
    const height = Number(/viewBox="[\d.]+ [\d.]+ [\d.]+ ([\d.]+)"/.exec(svg)?.[1]);
    // Labels inside the layout made this map over 3000pt tall; outside it, it stays near the node column's height.
    expect(height).toBeLessThan(2500);
  });

  it('draws only the widest edges of a map too large to read, broad access first, and says so', () => {
    const map = buildAccessMap(large.compiled);
    const limit = Math.floor(map.edges.length / 3);
    const focused = focusAccessMap(map, limit);
    expect(focused.edges).toHaveLength(limit);
    const broad = map.edges.filter((e) => e.broad);
    expect(broad.length).toBeGreaterThan(0);
    for (const e of broad.slice(0, limit)) expect(focused.edges).toContainEqual(e);
    const ids = new Set(focused.nodes.map((n) => n.id));
    for (const e of focused.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
    expect(focusAccessMap(map, map.edges.length)).toBe(map);
    const html = renderReportHtml({ title: 't', map, svg: '<svg/>', drawnEdges: limit, tests: [], diagnostics: [] });
    expect(html).toContain(`the map shows ${limit} of ${map.edges.length} edges`);
  });
});
