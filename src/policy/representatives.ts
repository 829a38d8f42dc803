import { type Device, type Inventory, makeDevice } from './inventory';
import type { PolicyFile } from './model';
import { classifySelector } from './selectors';

/**
 * Tailscale runs `tests` "from the perspective of a device authenticated with the provided identity" (§11): a
 * test needs no real device. For identities (users, groups, tags) named in tests that no device of the inventory
 * carries, this adds one representative device — a user's untagged device, one for the first member of a group
 * (the "representative member"), a device with the tag — so tests on a declared stack mean what they mean on
 * SaaS. Groups without members stay unresolvable and fail, as they would there.
 */
export function withRepresentativeDevices(policy: PolicyFile, inventory: Inventory): Inventory {
  const carried = new Set<string>();
  for (const d of inventory.devices) {
    if (d.user) carried.add(d.user);
    for (const t of d.tags) carried.add(t.toLowerCase());
  }
  const extra: Device[] = [];
  const add = (key: string, parts: { user?: string; tags?: string[] }) => {
    if (carried.has(key)) return;
    carried.add(key);
    const n = inventory.devices.length + extra.length + 1;
    extra.push(
      makeDevice({
        name: `representative-${n}.test.invalid`,
        ...parts,
        addresses: [`100.127.${(n >> 8) & 0xff}.${n & 0xff}`, `fd7a:115c:a1e0:ffff::${n.toString(16)}`],
      }),
    );
  };
  for (const identity of testIdentities(policy)) {
    const sel = classifySelector(identity);
    if (sel.kind === 'user') add(sel.login, { user: sel.login });
    else if (sel.kind === 'tag') add(sel.name.toLowerCase(), { tags: [sel.name] });
    else if (sel.kind === 'group') {
      const members = policy.groups?.[sel.name] ?? [];
      if (members.length > 0 && !members.some((m) => carried.has(m))) add(members[0], { user: members[0] });
    }
  }
  return extra.length === 0 ? inventory : { devices: [...inventory.devices, ...extra] };
}

/** Sources and identity destinations of every test and SSH test (destinations without their `:port`). */
function testIdentities(policy: PolicyFile): string[] {
  const out: string[] = [];
  for (const t of policy.tests ?? []) {
    out.push(t.src);
    for (const d of [...(t.accept ?? []), ...(t.deny ?? [])]) out.push(d.slice(0, d.lastIndexOf(':')));
  }
  for (const t of policy.sshTests ?? []) out.push(t.src, ...t.dst);
  return out;
}
