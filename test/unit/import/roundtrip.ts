import * as fs from 'node:fs';
import * as path from 'node:path';
import { TailnetApp, type TailnetStack } from '../../../src';
import { SynthError } from '../../../src/core/diagnostics';
import { inventoryEmitter } from '../../../src/emit/inventory';
import { policyEmitter } from '../../../src/emit/policy';
import type { ApiDevice } from '../../../src/import/api-schemas';
import { lowerStack } from '../../../src/ir/lower';
import {
  canReach,
  compilePolicy,
  type Device,
  type Inventory,
  type PolicyFile,
  runPolicyTests,
  sshAccess,
  validatePolicy,
  withRepresentativeDevices,
} from '../../../src/policy';
import { planAccess } from '../../../src/policy/plan';
import { REPO_ROOT, tmpDir } from '../../helpers';

/**
 * Helpers of the import round trip: every policy fixture of the repo, running a generated stack, and comparing
 * two policies by what they allow on an inventory (the access matrix) until the engine has its `plan`.
 */
export const SRC = path.join(REPO_ROOT, 'src');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'import');

export interface PolicyFixture {
  readonly name: string;
  readonly text: string;
  /** The tailnet the policy is checked on, as an API device list: fixture devices or a golden stack's devices.json. */
  devices(): Promise<ApiDevice[]>;
}

interface DocCase {
  name: string;
  policy: unknown;
  expectError?: boolean;
  nodes?: {
    name: string;
    user: string | null;
    tags: string[];
    ips: string[];
    advertisedRoutes?: string[];
    approvedRoutes?: string[];
  }[];
}

export function policyFixtures(): PolicyFixture[] {
  const api = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tailscale-api-fixtures.json'), 'utf8'));
  const apiDevices = api.listDevices_fieldsAll.body.devices as ApiDevice[];
  const out: PolicyFixture[] = Object.entries(api as Record<string, { body?: unknown; request?: unknown }>)
    .filter(([key]) => key.startsWith('getPolicy_') && key !== 'getPolicy_details')
    .map(([key, f]) => ({
      name: `api ${key}`,
      text: typeof f.body === 'string' ? f.body : JSON.stringify(f.body, null, 2),
      devices: async () => apiDevices,
    }));
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'policy-doc-cases.json'), 'utf8')) as DocCase[];
  for (const c of cases) {
    const text = JSON.stringify(c.policy, null, 2);
    if (c.expectError === true || !validatePolicy({ text, file: 'p.json' }, { dialect: 'tailscale' }).policy) continue;
    const devices = (c.nodes ?? []).map((n) => ({
      id: n.name,
      name: `${n.name}.example.ts.net`,
      hostname: n.name,
      addresses: n.ips,
      user: n.user ?? '',
      os: 'linux',
      ...(n.tags.length > 0 ? { tags: n.tags } : {}),
      advertisedRoutes: n.advertisedRoutes ?? [],
      enabledRoutes: n.approvedRoutes ?? [],
    }));
    out.push({ name: `doc ${c.name.split(':')[0]}`, text, devices: async () => devices });
  }
  const golden = path.join(REPO_ROOT, 'test', 'golden', 'cases');
  for (const name of fs.readdirSync(golden).sort()) {
    const expected = path.join(golden, name, 'expected');
    if (!fs.existsSync(expected)) continue;
    for (const stack of fs.readdirSync(expected).sort()) {
      const file = path.join(expected, stack, 'policy.hujson');
      if (!fs.existsSync(file)) continue;
      const app = path.join(golden, name, 'app.ts');
      out.push({
        name: `golden ${name}/${stack}`,
        text: fs.readFileSync(file, 'utf8'),
        devices: () => goldenDevices(app, stack),
      });
    }
  }
  // the policy engine's fixtures (all but the one that does not validate) with their device list
  const policyDir = path.join(REPO_ROOT, 'test', 'fixtures', 'policy');
  // the engine reads a minimal inventory; the importer wants the API's device (id, hostname, os), as above
  const minimal: Partial<ApiDevice>[] = JSON.parse(
    fs.readFileSync(path.join(policyDir, 'devices.json'), 'utf8'),
  ).devices;
  const policyDevices = minimal.map(
    (d) => ({ id: d.name, hostname: d.name?.split('.')[0], os: 'linux', user: '', ...d }) as ApiDevice,
  );
  for (const file of fs.readdirSync(policyDir).sort()) {
    if (!file.endsWith('.hujson') || file === 'invalid.hujson') continue;
    const text = fs.readFileSync(path.join(policyDir, file), 'utf8');
    out.push({ name: `policy fixture ${file}`, text, devices: async () => policyDevices });
  }
  // every committed example stack, with its declared inventory
  const outDir = path.join(REPO_ROOT, 'out');
  for (const stack of fs.readdirSync(outDir).sort()) {
    const file = path.join(outDir, stack, 'policy.hujson');
    if (!fs.existsSync(file)) continue;
    const devices = JSON.parse(fs.readFileSync(path.join(outDir, stack, 'devices.json'), 'utf8')).devices;
    out.push({ name: `example stack ${stack}`, text: fs.readFileSync(file, 'utf8'), devices: async () => devices });
  }
  return out;
}

export interface Synthesized {
  readonly policy: string;
  /** Set when synth refused the stack; `policy` is then the emitted policy it would have written. */
  readonly error?: SynthError;
}

/**
 * Writes generated code to a temporary module, loads it and synthesizes its stack. Synth refuses a policy whose own
 * tests fail on the declared devices; the policy it would have written is then emitted from the IR directly, so the
 * caller can still compare it (and check that the original fails the same tests).
 */
export async function synthesizeGenerated(code: string, className: string): Promise<Synthesized> {
  const dir = tmpDir('import');
  const file = path.join(dir, 'generated.ts');
  fs.writeFileSync(file, code);
  const mod = (await import(file)) as Record<string, new (scope: TailnetApp) => TailnetStack>;
  const app = new TailnetApp({ outdir: path.join(dir, 'out'), cdktfOutdir: path.join(dir, 'cdktf') });
  const stack = new mod[className](app);
  try {
    return { policy: app.synthesize()[0].files.get('policy.hujson')! };
  } catch (e) {
    if (!SynthError.isSynthError(e)) throw e;
    const emitted = policyEmitter.emit(lowerStack(stack)).find((f) => f.path === 'policy.hujson')!;
    return { policy: emitted.content, error: e };
  }
}

export function compiled(text: string, inventory: Inventory) {
  const v = validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'tailscale' });
  if (!v.policy) throw new Error(`invalid policy: ${v.diagnostics.map((d) => d.message).join('; ')}`);
  return compilePolicy(v.policy, inventory, { dialect: 'tailscale' });
}

/**
 * What a policy allows on an inventory: every device to every device (and every host alias) on the ports and
 * protocols the policy mentions, and SSH as every login it mentions. Two policies with the same matrix give the
 * same access on that tailnet.
 */
export function accessMatrix(text: string, inventory: Inventory): string[] {
  const c = compiled(text, inventory);
  const policy = c.policy;
  const ports = [...new Set([22, 80, 443, 445, 5432, 9999, ...mentionedPorts(policy)])];
  const dsts: (Device | string)[] = [
    ...inventory.devices,
    ...Object.values(policy.hosts ?? {}).filter((h) => !h.includes('/')),
  ];
  const out: string[] = [];
  for (const src of inventory.devices) {
    for (const dst of dsts) {
      const dstName = typeof dst === 'string' ? dst : dst.name;
      for (const [proto, port] of [
        ...ports.map((p) => ['tcp', p] as const),
        ['udp', 53] as const,
        ['icmp', 0] as const,
      ]) {
        if (canReach(c, { src, dst, proto, port }).allowed) out.push(`${src.name} -> ${dstName} ${proto}/${port}`);
      }
      if (typeof dst === 'string') continue;
      for (const login of mentionedLogins(policy)) {
        const r = sshAccess(c, { src, dst, login });
        if (r.action !== 'deny') out.push(`${src.name} ssh ${login}@${dstName}: ${r.action}`);
      }
    }
  }
  return out.sort();
}

/** Each test assertion with its outcome; test identities without devices get representatives, as on SaaS. */
export function testOutcomes(text: string, inventory: Inventory): string[] {
  const v = validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'tailscale' });
  return runPolicyTests(compiled(text, withRepresentativeDevices(v.policy!, inventory)))
    .map((r) => `${r.assertion}: ${r.passed ? 'passes' : 'fails'}`)
    .sort();
}

function mentionedPorts(p: PolicyFile): number[] {
  const texts = [...(p.grants ?? []).flatMap((g) => g.ip ?? []), ...(p.acls ?? []).flatMap((a) => a.dst)];
  return texts.flatMap((t) => [...t.matchAll(/\d+/g)].map((m) => Number(m[0])).filter((n) => n > 0 && n < 65536));
}

function mentionedLogins(p: PolicyFile): string[] {
  const logins = (p.ssh ?? [])
    .flatMap((r) => r.users ?? [])
    .filter((u) => !u.includes('*') && !u.startsWith('autogroup:'));
  return [...new Set(['root', 'ubuntu', ...logins])];
}

/**
 * The devices a golden case's stack declares, as its devices.json: lowered and emitted directly, so a golden case
 * whose own tests fail the synth check still provides its devices.
 */
async function goldenDevices(appFile: string, stack: string): Promise<ApiDevice[]> {
  const { build } = (await import(appFile)) as { build: (app: TailnetApp) => void };
  const app = new TailnetApp({ outdir: tmpDir('golden'), cdktfOutdir: tmpDir('golden-cdktf') });
  build(app);
  const ir = lowerStack(app.stacks.find((s) => s.stackName === stack)!);
  const file = inventoryEmitter.emit(ir).find((f) => f.path === 'devices.json');
  return (JSON.parse(file?.content ?? '{"devices":[]}') as { devices: ApiDevice[] }).devices;
}

/** Devices whose every tag the policy defines in tagOwners. */
export function withDefinedTags(text: string, devices: readonly ApiDevice[]): ApiDevice[] {
  const v = validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'tailscale' });
  const defined = new Set(Object.keys(v.policy?.tagOwners ?? {}).map((t) => t.toLowerCase()));
  return devices.filter((d) => (d.tags ?? []).every((t) => defined.has(t.toLowerCase())));
}

/** The engine's access plan from one policy to the other on an inventory: no lines when they give the same access. */
export function planLines(before: string, after: string, inventory: Inventory): string[] {
  const policy = (text: string) => validatePolicy({ text, file: 'policy.hujson' }, { dialect: 'tailscale' }).policy!;
  return planAccess(policy(before), policy(after), inventory, { dialect: 'tailscale' }).changes.map(
    (c) => `${c.direction} ${c.src.label} -> ${c.dst.label} ${(c.access ?? []).join(',')}`,
  );
}
