import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../core/diagnostics';
import type { Device, Inventory } from '../policy';
import { UsageError } from './exit';
import { loadInventoryText, readInputFile, stacksUnder } from './policy-files';

/**
 * Where `plan` gets its two versions from: two files (`--before/--after`), or every stack under out/ in the
 * working tree against the same files at a git revision (`--base`, read with `git show <ref>:<path>`).
 */
export interface VersionText {
  /** `HEAD:out/kernelcore/policy.hujson`, `working tree`, or a file name. */
  readonly label: string;
  /** The file name positions are reported against. */
  readonly file: string;
  /** Undefined when the stack does not exist in this version. */
  readonly text?: string;
}

export interface StackSource {
  readonly name: string;
  readonly before: VersionText;
  readonly after: VersionText;
  /** devices.json of each version, when there is one. */
  readonly devices: { readonly before?: VersionText; readonly after?: VersionText };
}

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new UsageError(`--base needs git: ${r.error.message}`);
  return { ok: r.status === 0, out: r.stdout, err: r.stderr.trim() };
}

/** Every stack under `outDir` in the working tree or at `ref`. */
export function stacksAgainstRef(ref: string, outDir: string, cwd = process.cwd()): StackSource[] {
  if (!git(cwd, ['rev-parse', '--is-inside-work-tree']).ok) throw new UsageError('--base needs a git repository');
  if (!git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok) {
    throw new UsageError(`unknown git revision "${ref}"`);
  }
  const prefix = git(cwd, ['rev-parse', '--show-prefix']).out.trim();
  const treeDir = path.posix.normalize(`${prefix}${outDir.split(path.sep).join('/')}`).replace(/\/$/, '');
  const listed = git(cwd, ['ls-tree', '-r', '--name-only', ref, '--', `${treeDir}/`]).out.split('\n');
  const atRef = new Set(
    listed
      .filter((f) => /\/policy\.hujson$/.test(f))
      .map((f) => f.slice(treeDir.length + 1).split('/'))
      .filter((p) => p.length === 2)
      .map((p) => p[0]),
  );
  const inTree = new Map(stacksUnder(outDir).map((s) => [s.stack, s]));
  const names = [...new Set([...atRef, ...inTree.keys()])].sort();
  const show = (file: string): string | undefined => {
    const r = git(cwd, ['show', `${ref}:${treeDir}/${file}`]);
    return r.ok ? r.out : undefined;
  };
  return names.map((name) => {
    const local = inTree.get(name);
    const policyFile = path.join(outDir, name, 'policy.hujson');
    const baseText = atRef.has(name) ? show(`${name}/policy.hujson`) : undefined;
    const baseDevices = atRef.has(name) ? show(`${name}/devices.json`) : undefined;
    return {
      name,
      before: { label: `${ref}:${treeDir}/${name}/policy.hujson`, file: `${ref}:${policyFile}`, text: baseText },
      after: { label: 'working tree', file: policyFile, text: local ? readInputFile(local.policy) : undefined },
      devices: {
        ...(baseDevices !== undefined
          ? {
              before: {
                label: `${ref}:devices.json`,
                file: `${ref}:${path.join(outDir, name, 'devices.json')}`,
                text: baseDevices,
              },
            }
          : {}),
        ...(local?.devices
          ? { after: { label: 'devices.json', file: local.devices, text: readInputFile(local.devices) } }
          : {}),
      },
    };
  });
}

/** `--before a --after b`: one comparison, with the devices.json beside either file when there is one. */
export function filePair(before: string, after: string): StackSource {
  const beside = (f: string) => {
    const d = path.join(path.dirname(f), 'devices.json');
    return fs.existsSync(d) ? { label: d, file: d, text: readInputFile(d) } : undefined;
  };
  const devicesAfter = beside(after);
  const devicesBefore = beside(before);
  return {
    name: after,
    before: { label: before, file: before, text: readInputFile(before) },
    after: { label: after, file: after, text: readInputFile(after) },
    devices: { ...(devicesBefore ? { before: devicesBefore } : {}), ...(devicesAfter ? { after: devicesAfter } : {}) },
  };
}

export interface MergedInventory {
  readonly inventory?: Inventory;
  readonly problems: { readonly file: string; readonly diagnostics: readonly Diagnostic[] }[];
  readonly notes: string[];
}

/**
 * One inventory for both versions: the working tree's devices, plus devices only the base version declares (when
 * none of their addresses is taken), so access that a removed device loses is still shown. Devices present in only
 * one version are named in a note: a plan compares policies, and those devices are part of both evaluations.
 */
export function mergeInventories(before?: VersionText, after?: VersionText): MergedInventory {
  const problems: MergedInventory['problems'][number][] = [];
  const parse = (v?: VersionText) => {
    if (!v?.text) return undefined;
    const r = loadInventoryText(v.text, v.file);
    if (!r.inventory) problems.push({ file: v.file, diagnostics: r.diagnostics });
    return r.inventory;
  };
  const a = parse(after);
  const b = parse(before);
  if (problems.length > 0) return { problems, notes: [] };
  const devices: Device[] = [...(a?.devices ?? [])];
  const names = new Set(devices.map((d) => d.name));
  const addresses = new Set(devices.flatMap((d) => d.addresses));
  const onlyBefore = (b?.devices ?? []).filter((d) => !names.has(d.name) && !d.addresses.some((x) => addresses.has(x)));
  devices.push(...onlyBefore);
  const notes: string[] = [];
  const onlyAfter = a && b ? a.devices.filter((d) => !b.devices.some((x) => x.name === d.name)) : [];
  if (onlyAfter.length > 0) notes.push(`${listNames(onlyAfter)} only in the new inventory`);
  if (a && onlyBefore.length > 0) notes.push(`${listNames(onlyBefore)} only in the old inventory`);
  return { inventory: { devices }, problems, notes };
}

function listNames(devices: readonly Device[]): string {
  const names = devices.map((d) => d.shortName);
  const shown = names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  return `${devices.length} device${devices.length === 1 ? '' : 's'} (${shown})`;
}
