import fc from 'fast-check';
import type { TailnetApp } from '../../src';
import { ANY, type AnySelector, Autogroup, Grant, Group, Ip, SshRule, SshUser, Tag, TailnetStack } from '../../src';

/** A random but valid tailnet model, as plain data, so the same model can be built in any declaration order. */
export interface ModelSpec {
  readonly tags: string[];
  readonly groups: { name: string; members: string[] }[];
  readonly grants: { id: string; src: string[]; dst: string[]; ports: number[] }[];
  readonly ssh: { id: string; src: string[]; dst: string[]; users: string[] }[];
  readonly tests: { src: string; dst: string; port: number; accept: boolean }[];
}

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const login = fc.tuple(name, fc.constantFrom('example.com', 'github')).map(([u, d]) => `${u}@${d}`);

export const modelSpec: fc.Arbitrary<ModelSpec> = fc
  .record({
    tags: fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
    groups: fc.uniqueArray(fc.record({ name, members: fc.uniqueArray(login, { maxLength: 4 }) }), {
      maxLength: 4,
      selector: (g) => g.name,
    }),
  })
  .chain(({ tags, groups }) => {
    const identities = [...tags.map((t) => `tag:${t}`), ...groups.map((g) => `group:${g.name}`), 'autogroup:member'];
    const ruleId = fc.stringMatching(/^[A-Z][a-z]{2,8}$/);
    return fc.record({
      tags: fc.constant(tags),
      groups: fc.constant(groups),
      grants: fc.uniqueArray(
        fc.record({
          id: ruleId,
          src: fc.uniqueArray(fc.constantFrom(...identities), { minLength: 1, maxLength: 3 }),
          dst: fc.uniqueArray(fc.constantFrom(...tags.map((t) => `tag:${t}`), '*'), { minLength: 1, maxLength: 2 }),
          ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 6, selector: (g) => g.id },
      ),
      ssh: fc.uniqueArray(
        fc.record({
          id: ruleId.map((s) => `Ssh${s}`),
          src: fc.uniqueArray(fc.constantFrom(...groups.map((g) => `group:${g.name}`), 'autogroup:member'), {
            minLength: 1,
            maxLength: 2,
          }),
          dst: fc.uniqueArray(fc.constantFrom(...tags.map((t) => `tag:${t}`)), { minLength: 1, maxLength: 2 }),
          users: fc.uniqueArray(fc.constantFrom(SshUser.ROOT, SshUser.NONROOT, 'deploy'), {
            minLength: 1,
            maxLength: 2,
          }),
        }),
        { maxLength: 3, selector: (s) => s.id },
      ),
      tests: fc.array(
        fc.record({
          src: fc.constantFrom(...tags.map((t) => `tag:${t}`)),
          dst: fc.constantFrom(...tags.map((t) => `tag:${t}`)),
          // Half the ports are ones some rule opens, so accepted tests are common, not a rare accident.
          port: fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(1, 22, 443)),
        }),
        { maxLength: 4 },
      ),
    });
  })
  .map((spec) => ({
    ...spec,
    grants: spec.grants.map((g, i) => ({ ...g, ports: i === 0 ? [...new Set([...g.ports, 443])] : g.ports })),
  }))
  .map((spec) => ({ ...spec, tests: spec.tests.map((t) => ({ ...t, accept: grantsAllow(spec, t) })) }));

/**
 * The expected outcome of a tag-to-tag test, read straight off the model: a device tagged `src` reaches one tagged
 * `dst` on a port iff some grant names the source tag and the destination tag (or `*`) with that port. Groups and
 * autogroup:member hold users, never tagged devices, so only tag sources count. Tests are true by construction,
 * so synthesis (which runs them) succeeds on every model.
 */
function grantsAllow(spec: Pick<ModelSpec, 'grants'>, test: { src: string; dst: string; port: number }): boolean {
  return spec.grants.some(
    (g) => g.src.includes(test.src) && (g.dst.includes(test.dst) || g.dst.includes('*')) && g.ports.includes(test.port),
  );
}

/** Builds the model into a new stack; `order` permutes the declaration order of every kind of construct. */
export function buildModel(
  app: TailnetApp,
  spec: ModelSpec,
  order: (xs: number) => number[] = (n) => [...Array(n).keys()],
): TailnetStack {
  const stack = new TailnetStack(app, 'prop', { tailnetDomain: 'example.com' });
  const selectors = new Map<string, AnySelector>([
    ['autogroup:member', Autogroup.MEMBER],
    ['*', ANY],
  ]);
  for (const i of order(spec.tags.length)) {
    const t = spec.tags[i];
    selectors.set(`tag:${t}`, new Tag(stack, `Tag-${t}`, { name: `tag:${t}`, owners: [Autogroup.ADMIN] }));
  }
  for (const i of order(spec.groups.length)) {
    const g = spec.groups[i];
    selectors.set(
      `group:${g.name}`,
      new Group(stack, `Group-${g.name}`, { name: `group:${g.name}`, members: g.members }),
    );
  }
  const pick = (xs: string[]) => xs.map((x) => selectors.get(x)!) as never[];
  for (const i of order(spec.grants.length)) {
    const g = spec.grants[i];
    new Grant(stack, g.id, { src: pick(g.src), dst: pick(g.dst), ip: g.ports.map((p) => Ip.tcp(p)) });
  }
  for (const i of order(spec.ssh.length)) {
    const s = spec.ssh[i];
    new SshRule(stack, s.id, { src: pick(s.src), dst: pick(s.dst), users: s.users });
  }
  for (const i of order(spec.tests.length)) {
    const t = spec.tests[i];
    const test = stack.expect(selectors.get(t.src) as never);
    if (t.accept) test.canReach(selectors.get(t.dst) as never, t.port);
    else test.cannotReach(selectors.get(t.dst) as never, t.port);
  }
  return stack;
}
