import { describe, expect, it } from 'vitest';
import { type AccessMap, buildAccessMap, bundleAccessMap } from '../../../src/emit/graph';
import { build, TAGS } from '../policy/helpers';

/**
 * The access-map model on small policies over the corner-test tailnet (two users, tagged web/db servers, two subnet
 * routers and an exit node): edges, merging, SSH kept apart, broad access, node details from the engine, collapse
 * and expand, bundling for drawing.
 */
const GROUPS = { 'group:dev': ['alice@example.com', 'bob@example.com'] };

function mapOf(policy: object, expand = false, maxMembers?: number): AccessMap {
  const compiled = build({ tagOwners: TAGS, groups: GROUPS, ...policy });
  return buildAccessMap(compiled, { expand, ...(maxMembers ? { maxMembers } : {}) });
}

function edge(map: AccessMap, from: string, to: string, kind = 'network') {
  return map.edges.find((e) => e.from === `src:${from}` && e.to === `dst:${to}` && e.kind === kind);
}

function node(map: AccessMap, id: string) {
  return map.nodes.find((n) => n.id === id);
}

describe('access map model', () => {
  it('draws one edge per (source, destination) of a grant, labelled with its ports', () => {
    const map = mapOf({ grants: [{ src: ['group:dev'], dst: ['tag:web', 'tag:db'], ip: ['tcp:443', '5432'] }] });
    expect(map.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      'src:group:dev -> dst:tag:db',
      'src:group:dev -> dst:tag:web',
    ]);
    expect(edge(map, 'group:dev', 'tag:web')?.access).toEqual(['5432', 'tcp:443']);
    expect(edge(map, 'group:dev', 'tag:web')?.rules).toEqual(['grants[0]']);
  });

  it('merges parallel edges of several rules, uniting ports and rules, and lets * swallow the rest', () => {
    const map = mapOf({
      grants: [
        { src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:443'] },
        { src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:80', 'tcp:443'] },
        { src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:5432'] },
        { src: ['tag:web'], dst: ['tag:db'], ip: ['*'] },
      ],
      acls: [{ action: 'accept', src: ['group:dev'], proto: 'udp', dst: ['tag:web:53,1000-2000'] }],
    });
    expect(map.edges).toHaveLength(2);
    expect(edge(map, 'group:dev', 'tag:web')?.access).toEqual(['tcp:80', 'tcp:443', 'udp:53', 'udp:1000-2000']);
    expect(edge(map, 'group:dev', 'tag:web')?.rules).toEqual(['grants[0]', 'grants[1]', 'acls[0]']);
    expect(edge(map, 'tag:web', 'tag:db')?.access).toEqual(['*']);
  });

  it('keeps SSH edges apart from network edges between the same ends, with logins and check', () => {
    const map = mapOf({
      grants: [{ src: ['group:dev'], dst: ['tag:web'], ip: ['tcp:22'] }],
      ssh: [
        { action: 'accept', src: ['group:dev'], dst: ['tag:web'], users: ['root'] },
        { action: 'check', src: ['group:dev'], dst: ['tag:web'], users: ['autogroup:nonroot'] },
      ],
    });
    expect(map.edges.map((e) => e.kind)).toEqual(['network', 'ssh']);
    const ssh = edge(map, 'group:dev', 'tag:web', 'ssh')!;
    expect(ssh.access).toEqual(['autogroup:nonroot', 'root']);
    expect(ssh.check).toBe(true);
    expect(ssh.rules).toEqual(['ssh[0]', 'ssh[1]']);
    expect(edge(map, 'group:dev', 'tag:web')?.check).toBe(false);
  });

  it('marks *, autogroup:internet and autogroup:danger-all as broad, and only the edges touching them', () => {
    const map = mapOf({
      grants: [
        { src: ['tag:web'], dst: ['*'], ip: ['*'] },
        { src: ['group:dev'], dst: ['autogroup:internet'], ip: ['*'] },
        { src: ['autogroup:danger-all'], dst: ['tag:db'], ip: ['tcp:5432'] },
        { src: ['group:dev'], dst: ['tag:db'], ip: ['tcp:5432'] },
      ],
    });
    const broad = map.edges.filter((e) => e.broad).map((e) => `${e.from} -> ${e.to}`);
    expect(broad.sort()).toEqual([
      'src:autogroup:danger-all -> dst:tag:db',
      'src:group:dev -> dst:autogroup:internet',
      'src:tag:web -> dst:*',
    ]);
    expect(node(map, 'dst:tag:db')?.broad).toBe(false);
    expect(node(map, 'dst:*')?.broad).toBe(true);
  });

  it('asks the engine what each node stands for: devices, subnet routers, exit nodes, host addresses', () => {
    const map = mapOf({
      hosts: { office: '10.33.1.7', nas: '100.64.2.2' },
      grants: [{ src: ['group:dev'], dst: ['10.33.0.0/16', 'autogroup:internet', 'office', 'nas'], ip: ['*'] }],
    });
    expect(node(map, 'src:group:dev')?.detail).toBe('3 devices');
    expect(node(map, 'dst:10.33.0.0/16')?.detail).toBe('via router, router2');
    expect(node(map, 'dst:autogroup:internet')?.detail).toBe('via exit node exit');
    // The most specific route to 10.33.1.7 is router2's /24, but both overlap the host.
    expect(node(map, 'dst:office')?.detail).toBe('10.33.1.7 · via router, router2');
    expect(node(map, 'dst:nas')?.detail).toBe('100.64.2.2 · db');
    expect(node(map, 'dst:nas')?.deviceCount).toBe(1);
  });

  it('collapses devices into their selectors by default and lists them when expanded, capped', () => {
    const policy = { grants: [{ src: ['group:dev'], dst: ['tag:web', '*'], ip: ['tcp:443'] }] };
    const collapsed = mapOf(policy);
    expect(collapsed.expanded).toBe(false);
    expect(collapsed.nodes.every((n) => n.members === undefined)).toBe(true);
    const expanded = mapOf(policy, true, 3);
    expect(expanded.expanded).toBe(true);
    expect(node(expanded, 'src:group:dev')?.members).toEqual(['alice-desktop', 'alice-laptop', 'bob-laptop']);
    expect(node(expanded, 'dst:*')?.members).toHaveLength(3);
    expect(node(expanded, 'dst:*')?.hiddenMembers).toBe(5);
    // Expanding shows devices; it never adds edges.
    expect(expanded.edges.length).toBe(collapsed.edges.length);
  });

  it('draws a policy without acls and grants as allow-all, and app-only grants as app edges', () => {
    const allowAll = mapOf({});
    expect(allowAll.edges).toHaveLength(1);
    expect(allowAll.edges[0]).toMatchObject({ from: 'src:*', to: 'dst:*', access: ['*'], broad: true });
    const app = mapOf({
      grants: [{ src: ['group:dev'], dst: ['tag:web'], app: { 'example.com/cap/admin': [{}] } }],
    });
    expect(app.edges.map((e) => [e.kind, e.access])).toEqual([['app', ['example.com/cap/admin']]]);
  });

  it('orders nodes principals first, then by kind and selector, whatever the rule order', () => {
    const a = mapOf({
      grants: [
        { src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:1'] },
        { src: ['group:dev'], dst: ['*'], ip: ['tcp:2'] },
      ],
    });
    const b = mapOf({
      grants: [
        { src: ['group:dev'], dst: ['*'], ip: ['tcp:2'] },
        { src: ['tag:web'], dst: ['tag:db'], ip: ['tcp:1'] },
      ],
    });
    expect(a.nodes.map((n) => n.id)).toEqual(['src:group:dev', 'src:tag:web', 'dst:*', 'dst:tag:db']);
    expect(b.nodes.map((n) => n.id)).toEqual(a.nodes.map((n) => n.id));
    expect(b.edges.map((e) => `${e.from}>${e.to}`)).toEqual(a.edges.map((e) => `${e.from}>${e.to}`));
  });
});

describe('bundling for drawing', () => {
  it('draws selectors with identical rights as one node, and merges their edges', () => {
    const map = mapOf({
      grants: [
        { src: ['tag:web', 'tag:db'], dst: ['tag:router', 'tag:exit'], ip: ['tcp:9100'] },
        { src: ['group:dev'], dst: ['tag:router'], ip: ['tcp:9100'] },
      ],
    });
    const drawn = bundleAccessMap(map);
    expect(drawn.nodes.map((n) => n.selector)).toEqual(['group:dev', 'tag:db, tag:web', 'tag:exit', 'tag:router']);
    expect(drawn.nodes.find((n) => n.selector === 'tag:db, tag:web')?.parts).toHaveLength(2);
    expect(drawn.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      'src:group:dev -> dst:tag:router',
      'src:tag:db + tag:web -> dst:tag:exit',
      'src:tag:db + tag:web -> dst:tag:router',
    ]);
  });

  it('never bundles a broad node with a narrow one, nor different ports', () => {
    const map = mapOf({
      grants: [
        { src: ['group:dev'], dst: ['*', 'tag:web'], ip: ['tcp:443'] },
        { src: ['tag:db'], dst: ['tag:web'], ip: ['tcp:80'] },
      ],
    });
    const drawn = bundleAccessMap(map);
    expect(drawn.nodes.every((n) => !('parts' in n) || n.parts === undefined)).toBe(true);
    expect(drawn.edges).toHaveLength(map.edges.length);
  });
});
