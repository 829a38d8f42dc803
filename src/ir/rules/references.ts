import type { Diagnostic } from '../../core/diagnostics';
import { CORE_CODES, diag } from '../../core/errors';
import type { StackIr } from '../types';

/** One selector occurrence in the policy, with the rule it sits in. */
interface SelectorUse {
  readonly selector: string;
  readonly path: string;
  readonly field: string;
}

/** Every selector the policy uses, with where it is used. ACL destinations lose their `:ports`. */
export function selectorUses(ir: StackIr): SelectorUse[] {
  const uses: SelectorUse[] = [];
  const add = (path: string, field: string, selectors: readonly string[] | undefined) => {
    for (const selector of selectors ?? []) uses.push({ selector, path, field });
  };
  const p = ir.policy;
  for (const t of p.tagOwners) add(t.source.path, 'owners', t.owners);
  for (const g of p.grants) {
    add(g.source.path, 'src', g.src);
    add(g.source.path, 'dst', g.dst);
    add(g.source.path, 'via', g.via);
  }
  for (const a of p.acls) {
    add(a.source.path, 'src', a.src);
    add(a.source.path, 'dst', a.dst.map(stripPorts));
  }
  for (const s of p.ssh) {
    add(s.source.path, 'src', s.src);
    add(s.source.path, 'dst', s.dst);
  }
  for (const n of p.nodeAttrs) add(n.source.path, 'target', n.target);
  for (const a of p.autoApprovers) add(a.source.path, 'approvers', a.approvers);
  for (const t of p.tests) {
    add(t.source.path, 'src', [t.src]);
    add(t.source.path, 'dst', [...t.accept, ...t.deny].map(stripPorts));
  }
  for (const t of p.sshTests) add(t.source.path, 'dst', [t.src, ...t.dst]);
  for (const s of p.ipsets)
    add(
      s.source.path,
      'ipset',
      s.ops.map((o) => o.replace(/^(add|remove) /, '').replace(/^host:/, '')),
    );
  for (const d of ir.devices) add(d.source.path, 'tags', d.tags);
  return uses;
}

/** `tag:server:22` → `tag:server`; `[fd7a::1]:80` → `fd7a::1`. */
export function stripPorts(entry: string): string {
  const bracket = /^\[(.+)\]:[^:]+$/.exec(entry);
  if (bracket) return bracket[1];
  const i = entry.lastIndexOf(':');
  return i < 0 ? entry : entry.slice(0, i);
}

const DECLARING_CONSTRUCT: Record<string, string> = {
  tag: 'new Tag(stack, id, { name, owners })',
  group: 'new Group(stack, id, { name, members })',
  ipset: 'new IpSet(stack, id, { name, add })',
  posture: 'new Posture(stack, id, { name, conditions })',
};

/** TN1003: a tag, group, IP set or posture referenced but not declared in the stack. */
export function undeclaredReferences(ir: StackIr): Diagnostic[] {
  const p = ir.policy;
  const declared = new Set<string>([
    ...p.tagOwners.map((t) => t.name.toLowerCase()),
    ...p.groups.map((g) => g.name),
    ...p.ipsets.map((s) => s.name),
    ...p.postures.map((s) => s.name),
  ]);
  const out: Diagnostic[] = [];
  for (const use of selectorUses(ir)) {
    const kind = /^(tag|group|ipset):/.exec(use.selector)?.[1];
    if (!kind) continue;
    const key = kind === 'tag' ? use.selector.toLowerCase() : use.selector;
    if (declared.has(key)) continue;
    out.push(
      diag(
        CORE_CODES.undeclaredReference,
        use.path,
        `${use.field}: ${kind} "${use.selector}" is not declared in stack "${ir.name}"`,
        `declare it with ${DECLARING_CONSTRUCT[kind]}`,
      ),
    );
  }
  for (const rule of [...p.grants, ...p.acls, ...p.ssh]) {
    for (const posture of rule.srcPosture ?? []) {
      if (!declared.has(posture)) {
        out.push(
          diag(
            CORE_CODES.undeclaredReference,
            rule.source.path,
            `srcPosture: posture "${posture}" is not declared in stack "${ir.name}"`,
            `declare it with ${DECLARING_CONSTRUCT.posture}`,
          ),
        );
      }
    }
  }
  return out;
}
