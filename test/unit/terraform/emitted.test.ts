import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Autogroup, Tag, TailnetApp, TailnetStack } from '../../../src';
import { checkTerraformJson } from '../../../src/emit/terraform/schema-check';
import { REPO_ROOT, tmpDir } from '../../helpers';

/** Issue 2 §5: every `tailscale_*` type and attribute we emit exists in provider v0.29's schema. */
function terraformFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? terraformFiles(p) : e.name.endsWith('.tf.json') ? [p] : [];
  });
}

describe('emitted Terraform against the provider schema', () => {
  const committed = [
    ...terraformFiles(path.join(REPO_ROOT, 'out')),
    ...terraformFiles(path.join(REPO_ROOT, 'test/golden/cases')),
  ];

  it('finds Terraform files to check', () => {
    expect(committed.length).toBeGreaterThan(0);
  });

  for (const file of committed) {
    it(`${path.relative(REPO_ROOT, file)} has no schema problems`, () => {
      expect(checkTerraformJson(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual([]);
    });
  }

  it('every auth mode yields a schema-valid provider block without literal credentials', () => {
    for (const auth of ['oauth', 'apiKey', 'environment'] as const) {
      const app = new TailnetApp({ outdir: tmpDir('tf'), cdktfOutdir: tmpDir('tf-cdktf') });
      const stack = new TailnetStack(app, 'kernelcore', {
        terraform: { auth, tailnet: 'T1234CNTRL', overwriteExistingPolicy: true },
      });
      new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
      const tf = JSON.parse(app.synthesize()[0].files.get('terraform/cdk.tf.json')!);
      expect(checkTerraformJson(tf)).toEqual([]);
      const provider = tf.provider.tailscale[0];
      for (const value of Object.values(provider)) expect(String(value)).not.toMatch(/tskey-/);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, not a JS template
      if (auth === 'apiKey') expect(provider.api_key).toBe('${var.tailscale_api_key}');
      if (auth === 'oauth') expect(tf.variable.tailscale_oauth_client_secret.sensitive).toBe(true);
      expect(tf.resource.tailscale_acl.policy.overwrite_existing_content).toBe(true);
      expect(tf.terraform.backend.local.path).toBe('terraform.kernelcore.tfstate');
    }
  });
});

describe('stack traces while the Terraform emitter runs', () => {
  it('hold only the innermost frames, and are restored afterwards, also when emission throws', () => {
    const before = Error.prepareStackTrace;
    const app = new TailnetApp({ outdir: tmpDir('tf-stacks'), cdktfOutdir: tmpDir('tf-stacks-cdktf') });
    const stack = new TailnetStack(app, 'stacks');
    new Tag(stack, 'Server', { owners: [Autogroup.ADMIN] });
    const toTerraform = stack.toTerraform.bind(stack);
    const during: string[][] = [];
    stack.toTerraform = () => {
      // cdktf raises the limit as far as it goes before capturing; node's own formatter would then print all 40+
      const deep = (n: number): string => (n === 0 ? (new Error('probe').stack ?? '') : deep(n - 1));
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 100;
      try {
        during.push(deep(40).split('\n'));
      } finally {
        Error.stackTraceLimit = limit;
      }
      return toTerraform();
    };
    expect(app.synthesize()[0].files.has('terraform/cdk.tf.json')).toBe(true);
    expect(during).toHaveLength(1);
    expect(during[0][0]).toBe('Error: probe');
    expect(during[0]).toHaveLength(11);
    expect(during[0][1]).toMatch(/^ {4}at deep /);
    expect(Error.prepareStackTrace).toBe(before);
    // a second synth adds the backend again under the same id: cdktf throws inside the emitter
    expect(() => app.synthesize()).toThrow(/already a Construct/);
    expect(Error.prepareStackTrace).toBe(before);
  });
});
