import { describe, expect, it } from 'vitest';
import { inventoryOfLiveDevices } from '../../../src/import/drift-policy';
import { importPolicy } from '../../../src/import/policy-import';
import { normalizePolicyText } from '../../../src/import/policy-normalize';
import {
  accessMatrix,
  planLines,
  policyFixtures,
  SRC,
  synthesizeGenerated,
  testOutcomes,
  withDefinedTags,
} from './roundtrip';

/**
 * The import round trip for every policy fixture of the repo (the API fixtures' getPolicy bodies, every valid
 * policy of policy-doc-cases.json, every golden policy): import → TypeScript → synth gives a policy that means
 * the same. Checked four ways: the normalized policy (groups, tagOwners, hosts, rules as sets, tests) is equal;
 * the engine's plan between the two, on the fixture's tailnet, has no line; every device reaches the same devices
 * on the same ports and SSH logins (an independent check of the plan); and every `tests` assertion has the same
 * outcome (and the fixture's own tests still pass).
 */
const fixtures = policyFixtures();

describe('import policy round trip', () => {
  it('covers every policy fixture of the repo', () => {
    const kinds = new Set(fixtures.map((f) => f.name.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['api', 'doc', 'example', 'golden', 'policy']);
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: the synthesized policy means the same`, async () => {
      const devices = await fixture.devices();
      // Doc-case nodes may carry tags the policy never defines, which a real tailnet does not allow: the access
      // checks still run on every node, only the declaration leaves those out.
      const options = {
        file: 'policy.hujson',
        importFrom: SRC,
        className: 'Imported',
        devices: withDefinedTags(fixture.text, devices),
      };
      const { code } = importPolicy(fixture.text, options);
      const { policy: synthesized, error } = await synthesizeGenerated(code, 'Imported');
      expect(normalizePolicyText(synthesized, 'synthesized.hujson')).toEqual(
        normalizePolicyText(fixture.text, 'policy.hujson'),
      );
      const inventory = inventoryOfLiveDevices(devices);
      expect(planLines(fixture.text, synthesized, inventory)).toEqual([]);
      expect(accessMatrix(synthesized, inventory)).toEqual(accessMatrix(fixture.text, inventory));
      const outcomes = testOutcomes(synthesized, inventory);
      expect(outcomes).toEqual(testOutcomes(fixture.text, inventory));
      const failing = outcomes.filter((o) => o.endsWith('fails'));
      if (error) {
        // Synth refuses only what Tailscale would refuse too: the fixture's own tests failing on its own devices.
        // (the linter's findings about those tests ride along)
        const errors = error.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => d.code)).toEqual(errors.map(() => 'TN5060'));
        expect(failing.length).toBeGreaterThan(0);
      } else if (!fixture.name.startsWith('doc')) {
        expect(failing).toEqual([]);
      }
    });
  }
});
