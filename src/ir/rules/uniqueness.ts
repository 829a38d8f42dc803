import type { Diagnostic } from '../../core/diagnostics';
import { CORE_CODES, diag } from '../../core/errors';
import type { StackIr } from '../types';

interface Named {
  readonly name: string;
  readonly source: { readonly path: string };
}

/** Reports every declaration after the first of the same name, pointing at the first. */
function duplicates(
  items: readonly Named[],
  what: string,
  info = CORE_CODES.duplicateName,
  fold = (s: string) => s,
): Diagnostic[] {
  const first = new Map<string, Named>();
  const out: Diagnostic[] = [];
  for (const item of items) {
    const key = fold(item.name);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, item);
      continue;
    }
    out.push({
      ...diag(
        info,
        item.source.path,
        `${what} "${item.name}" is declared twice`,
        `rename one of them; names must be unique in the tailnet`,
      ),
      related: [{ path: earlier.source.path, message: `"${earlier.name}" first declared here` }],
    });
  }
  return out;
}

/** TN1008 (devices) and TN1013 (groups, tags — case-insensitive as Tailscale reads them —, hosts, ipsets, postures). */
export function duplicateNames(ir: StackIr): Diagnostic[] {
  const p = ir.policy;
  return [
    ...duplicates(ir.devices, 'device', CORE_CODES.duplicateDevice),
    ...duplicates(p.groups, 'group'),
    ...duplicates(p.tagOwners, 'tag', CORE_CODES.duplicateName, (s) => s.toLowerCase()),
    ...duplicates(p.hosts, 'host alias'),
    ...duplicates(p.ipsets, 'IP set'),
    ...duplicates(p.postures, 'posture'),
  ];
}

/** `defaultAccess: 'allow'` with rules: the rules silently turn allow-all into deny-by-default. */
export function accessDefaultConflicts(ir: StackIr): Diagnostic[] {
  const p = ir.policy;
  if (p.defaultAccess !== 'allow' || p.grants.length + p.acls.length === 0) return [];
  return [
    diag(
      CORE_CODES.emptyRule,
      ir.source.path,
      `defaultAccess is "allow" but the stack declares ${p.grants.length + p.acls.length} access rule(s); Tailscale allows everything only when there are no rules at all`,
      'drop defaultAccess: "allow", or add a grant from * to * to keep allowing everything',
    ),
  ];
}
