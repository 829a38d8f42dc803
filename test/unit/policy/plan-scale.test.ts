import { describe, expect, it } from 'vitest';
import { generateTailnet } from '../../../bench/generate';
import { canReach, compilePolicy, type Inventory, parseInventory, validatePolicy } from '../../../src/policy';
import { planCompiled } from '../../../src/policy/plan';

/**
 * `plan` at the scale it is built for (10,000 devices, 2,000 rules, two versions 50 grants apart): symmetric, empty
 * between equal versions, and every reported change is real when checked pairwise. The time is printed, not
 * asserted (the benchmark reports it on an idle machine).
 */
function load(changedRules: number) {
  const t = generateTailnet({ changedRules });
  const policy = validatePolicy({ value: t.policy, file: `v${changedRules}.json` }, { dialect: 'tailscale' }).policy!;
  return { policy, inventory: parseInventory({ value: t.inventory, file: 'devices.json' }).inventory as Inventory };
}

describe('plan at scale', () => {
  it('10,000 devices, 50 changed grants', () => {
    const before = load(0);
    const after = load(50);
    const cb = compilePolicy(before.policy, before.inventory);
    const ca = compilePolicy(after.policy, before.inventory, { reuse: cb });
    const plan = planCompiled({ before: cb, after: ca }, 'tailscale'); // its time: npm run bench
    expect(plan.changes.length).toBeGreaterThan(100);
    const back = planCompiled({ before: ca, after: cb }, 'tailscale');
    expect([back.gained, back.lost]).toEqual([plan.lost, plan.gained]);
    expect(planCompiled({ before: cb, after: cb }, 'tailscale').changes).toEqual([]);
    // Spot checks: a device pair and a port from network changes really changed that way.
    let checked = 0;
    for (const c of plan.changes.filter((x) => x.kind === 'network' && x.dst.devices.length > 0)) {
      const m = /^(tcp|udp|tcp\+udp):(\d+)/.exec(c.access![0]) ?? (c.access![0] === '*' ? ['*', 'tcp', '22'] : null);
      if (!m || checked === 60) continue;
      checked++;
      const probe = {
        src: c.src.devices[0],
        dst: c.dst.devices[0],
        proto: m[1] === 'udp' ? 'udp' : 'tcp',
        port: Number(m[2]),
      };
      expect(canReach(cb, probe).allowed, JSON.stringify(probe)).toBe(c.direction === 'lost');
      expect(canReach(ca, probe).allowed, JSON.stringify(probe)).toBe(c.direction === 'gained');
    }
    expect(checked).toBe(60);
  });
});
