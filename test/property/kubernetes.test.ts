import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubernetesWorkload, TailnetApp, TailnetStack } from '../../src';
import { parseYaml, printYaml } from '../../src/core/canonical/yaml';
import { tmpDir } from '../helpers';
import { HEADSCALE } from '../unit/kubernetes/helpers';

/** Kubernetes and Headscale artifacts: same bytes whatever the declaration order; YAML round-trips. */
const SERVICES = ['api', 'idp', 'stt', 'web', 'worker'];

function synth(order: readonly string[]): Map<string, string> {
  const app = new TailnetApp({ outdir: tmpDir('prop-k8s'), cdktfOutdir: tmpDir('prop-k8s-cdktf') });
  const stack = new TailnetStack(app, 'p', { controlServer: HEADSCALE() });
  const admins = stack.addGroup('Admins', { members: ['alice@example.com'] });
  const tag = stack.addTag('Svc', { name: 'tag:svc', owners: [admins] });
  for (const name of order) {
    new KubernetesWorkload(stack, name, { namespace: name === 'web' ? 'edge' : 'apps', sidecar: { tags: [tag] } });
  }
  return new Map(app.synthesize()[0].files);
}

describe('Kubernetes artifacts (properties)', () => {
  it('do not depend on the order workloads are declared in', () => {
    const reference = synth(SERVICES);
    fc.assert(
      fc.property(fc.shuffledSubarray(SERVICES, { minLength: SERVICES.length }), (order) => {
        expect(synth(order)).toEqual(reference);
      }),
      { numRuns: 10 },
    );
  });

  it('print YAML that reads back as the same value', () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.constantFrom('yes', 'off', '0755', '1e3', '12:30', '~', ''),
      fc.integer(),
      fc.boolean(),
    );
    const value = fc.dictionary(
      fc.string({ minLength: 1 }),
      fc.oneof(scalar, fc.array(scalar), fc.dictionary(fc.string({ minLength: 1 }), scalar)),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(parseYaml(printYaml(v))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});
