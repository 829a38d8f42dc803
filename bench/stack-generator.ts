import type { Construct } from 'constructs';
import {
  AuthKey,
  Autogroup,
  Group,
  Ip,
  KubernetesWorkload,
  NixosHost,
  Reach,
  type Selector,
  SshUser,
  Tag,
  TailnetStack,
} from '../src';

/**
 * Deterministic generator of large tailnet *stacks* (constructs) for the synth benchmark (issue 9). The same size
 * and seed give the same stack on every machine. Test assertions are true by construction: `accept` asserts only
 * ports a grant opens, `deny` only ports no rule opens (60000-65000), so synth's policy check passes at every size.
 */
export interface TailnetSize {
  readonly name: 'S' | 'M' | 'L';
  readonly devices: number;
  readonly users: number;
  readonly groups: number;
  readonly tags: number;
  readonly rules: number;
  readonly nixosHosts: number;
  readonly workloads: number;
  readonly assertions: number;
}

export const SIZES: Record<TailnetSize['name'], TailnetSize> = {
  S: {
    name: 'S',
    devices: 100,
    users: 20,
    groups: 8,
    tags: 12,
    rules: 40,
    nixosHosts: 10,
    workloads: 6,
    assertions: 100,
  },
  M: {
    name: 'M',
    devices: 2000,
    users: 100,
    groups: 40,
    tags: 60,
    rules: 400,
    nixosHosts: 100,
    workloads: 60,
    assertions: 2000,
  },
  L: {
    name: 'L',
    devices: 10000,
    users: 500,
    groups: 200,
    tags: 300,
    rules: 2000,
    nixosHosts: 500,
    workloads: 300,
    assertions: 10000,
  },
};

/** mulberry32: tiny, fast, and the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedGrant {
  readonly src: number[]; // indices into principals (groups, then tags)
  readonly dstTag: number;
  readonly ports: number[];
}

export interface TailnetModel {
  readonly size: TailnetSize;
  readonly users: string[];
  readonly groups: string[][];
  readonly grants: GeneratedGrant[];
  readonly deviceTags: (number | undefined)[];
  readonly deviceUsers: (number | undefined)[];
}

export function generateModel(size: TailnetSize, seed = 1): TailnetModel {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const users = Array.from({ length: size.users }, (_, i) => `user${i}@example.com`);
  const groups = Array.from({ length: size.groups }, () =>
    Array.from({ length: 1 + pick(8) }, () => users[pick(size.users)]),
  );
  const principals = size.groups + size.tags;
  const grants = Array.from({ length: size.rules }, () => ({
    src: Array.from({ length: 1 + pick(3) }, () => pick(principals)),
    dstTag: pick(size.tags),
    ports: Array.from({ length: 1 + pick(3) }, () => 1 + pick(59999)),
  }));
  const deviceTags: (number | undefined)[] = [];
  const deviceUsers: (number | undefined)[] = [];
  for (let i = 0; i < size.devices; i++) {
    const tagged = rnd() < 0.6;
    deviceTags.push(tagged ? pick(size.tags) : undefined);
    deviceUsers.push(tagged ? undefined : pick(size.users));
  }
  return { size, users, groups, grants, deviceTags, deviceUsers };
}

/** Builds the model's policy part as constructs of one stack; hosts and workloads are added by `extend`. */
export function buildStack(
  scope: Construct,
  model: TailnetModel,
  id = `bench-${model.size.name.toLowerCase()}`,
): TailnetStack {
  const stack = new TailnetStack(scope, id, { tailnetDomain: 'example.com', magicDnsSuffix: 'bench.ts.net' });
  const tags = Array.from(
    { length: model.size.tags },
    (_, i) => new Tag(stack, `Tag${i}`, { name: `tag:t${i}`, owners: [Autogroup.ADMIN] }),
  );
  const groups = model.groups.map(
    (members, i) => new Group(stack, `Group${i}`, { name: `group:g${i}`, members: [...new Set(members)] }),
  );
  const principals: Selector<'src'>[] = [...groups, ...tags];
  model.grants.forEach((g, i) => {
    stack.addGrant(`Grant${String(i).padStart(5, '0')}`, {
      src: [...new Set(g.src)].map((p) => principals[p]),
      dst: [tags[g.dstTag]],
      ip: [...new Set(g.ports)].map((p) => Ip.tcp(p)),
    });
  });
  for (let i = 0; i < Math.min(groups.length, 20); i++) {
    stack.addSshRule(`Ssh${String(i).padStart(3, '0')}`, {
      src: [groups[i]],
      dst: [tags[i % tags.length]],
      users: [SshUser.NONROOT],
    });
  }
  addDevices(stack, model, tags);
  addNixosHosts(stack, model, tags, groups);
  addWorkloads(stack, model, tags);
  addAssertions(stack, model, principals, tags);
  return stack;
}

/** NixOS hosts with two nginx proxies each (one by path, one on its own port), clients from the groups. */
function addNixosHosts(stack: TailnetStack, model: TailnetModel, tags: Tag[], groups: Group[]): void {
  for (let i = 0; i < model.size.nixosHosts; i++) {
    const host = new NixosHost(stack, `Host${i}`, {
      hostname: `h${i}`,
      tags: [tags[i % tags.length]],
      authKey: AuthKey.sops(`tailscale/h${i}`),
    });
    const clients = [groups[i % groups.length]];
    host.addProxy('Api', {
      upstreamPort: 3000,
      reach: Reach.path('/api/'),
      rateLimit: '20r/s',
      maxBodySize: '10M',
      clients,
    });
    host.addProxy('Ui', { upstreamPort: 4000, reach: Reach.port(8443), clients });
  }
}

/** Kubernetes workloads with userspace Tailscale sidecars and a generated key each. */
function addWorkloads(stack: TailnetStack, model: TailnetModel, tags: Tag[]): void {
  for (let i = 0; i < model.size.workloads; i++) {
    new KubernetesWorkload(stack, `Workload${i}`, {
      namespace: `ns${i % 10}`,
      sidecar: { tags: [tags[i % tags.length]], authKey: { reusable: true, expiryDays: 90 } },
    });
  }
}

function addDevices(stack: TailnetStack, model: TailnetModel, tags: Tag[]): void {
  for (let i = 0; i < model.size.devices; i++) {
    const tag = model.deviceTags[i];
    const user = model.deviceUsers[i];
    stack.addDevice(`D${i}`, {
      hostname: `d${i}`,
      ...(tag !== undefined ? { tags: [tags[tag]] } : { user: model.users[user!] }),
    });
  }
}

/** One accept per granted port and one deny of an unused port, until the size's assertion count is reached. */
function addAssertions(stack: TailnetStack, model: TailnetModel, principals: Selector<'src'>[], tags: Tag[]): void {
  let made = 0;
  for (let i = 0; made < model.size.assertions; i = (i + 1) % model.grants.length) {
    const g = model.grants[i];
    const test = stack.expect(principals[g.src[0]] as unknown as Selector<'testSrc'>);
    for (const port of g.ports) {
      if (made >= model.size.assertions) break;
      test.canReach(tags[g.dstTag], port);
      made++;
    }
    if (made < model.size.assertions) {
      test.cannotReach(tags[g.dstTag], 60000 + ((i * 31) % 5000));
      made++;
    }
  }
}
