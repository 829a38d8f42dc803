// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform expressions and template text are the subject under test
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TerraformIterator } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { TailscaleDnsConfiguration, type TailscaleDnsNameserver } from '../../../src/emit/terraform/l1/dns';
import { TailscaleAcl } from '../../../src/emit/terraform/l1/policy';
import { TailscaleProvider } from '../../../src/emit/terraform/l1/provider';
import { TAILSCALE_SCHEMA_FILE } from '../../../src/emit/terraform/l1/schema';
import { checkTerraformJson } from '../../../src/emit/terraform/schema-check';
import { fullJson, newStack, synthWith } from './helpers';

const resource = (type: string, body: Record<string, unknown>) => ({ resource: { [type]: { it: body } } });
const data = (type: string, body: Record<string, unknown>) => ({ data: { [type]: { it: body } } });
const messages = (tfJson: object) => checkTerraformJson(tfJson).map((d) => `${d.path}: ${d.message}`);

describe('checkTerraformJson finds', () => {
  it('an unknown attribute, with a did-you-mean hint', () => {
    const [d, ...rest] = checkTerraformJson(resource('tailscale_acl', { acl: '{}', overwrite_existing: true }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      severity: 'error',
      code: 'TN4002',
      path: 'resource.tailscale_acl.it.overwrite_existing',
      message: 'unknown attribute or block "overwrite_existing" in resource tailscale_acl',
      hint: 'did you mean "overwrite_existing_content"?',
    });
  });

  it('a camelCase name that cdktf did not convert', () => {
    const [d] = checkTerraformJson(
      resource('tailscale_tailnet_key', { reusableKey: true, recreateIfInvalid: 'always' }),
    );
    expect(checkTerraformJson(resource('tailscale_tailnet_key', { recreateIfInvalid: 'always' }))[0]?.hint).toBe(
      'Terraform names are snake_case: "recreate_if_invalid" (cdktf does not convert resource attributes)',
    );
    expect(d.message).toContain('"recreateIfInvalid"');
  });

  it('an unknown attribute added through an escape hatch on a real class', () => {
    const tf = synthWith((s) => new TailscaleAcl(s, 'policy', { acl: '{}' }).addOverride('bogus', 1));
    expect(messages(tf)).toEqual([
      'resource.tailscale_acl.policy.bogus: unknown attribute or block "bogus" in resource tailscale_acl',
    ]);
  });

  it('a missing required attribute', () => {
    expect(messages(resource('tailscale_device_tags', { tags: ['tag:x'] }))).toEqual([
      'resource.tailscale_device_tags.it.device_id: missing required attribute "device_id" in resource tailscale_device_tags',
    ]);
    expect(messages(resource('tailscale_acl', { acl: null }))).toEqual([
      'resource.tailscale_acl.it.acl: missing required attribute "acl" in resource tailscale_acl',
    ]);
  });

  it('a computed-only attribute that is set', () => {
    const found = checkTerraformJson(resource('tailscale_tailnet_key', { id: 'k1', key: 'tskey-auth-secret' }));
    expect(found.map((d) => d.message)).toEqual([
      '"id" is computed by the provider and cannot be set in resource tailscale_tailnet_key',
      '"key" is computed by the provider and cannot be set in resource tailscale_tailnet_key',
    ]);
  });

  it('literal values of the wrong type, never quoting sensitive ones', () => {
    const tf = {
      provider: { tailscale: [{ api_key: 42, scopes: 'all' }] },
      ...resource('tailscale_tailnet_key', { reusable: 'true', expiry: 1.5, tags: [1], description: 7 }),
      ...data('tailscale_4via6', { cidr: '10.0.0.0/8', site: '7' }),
    };
    expect(messages(tf)).toEqual([
      'data.tailscale_4via6.it.site: "site" in data source tailscale_4via6 must be number, got "7"',
      'provider.tailscale[0].api_key: "api_key" in provider tailscale must be string, got (sensitive value)',
      'provider.tailscale[0].scopes: "scopes" in provider tailscale must be list(string), got "all"',
      'resource.tailscale_tailnet_key.it.description: "description" in resource tailscale_tailnet_key must be string, got number 7',
      'resource.tailscale_tailnet_key.it.expiry: "expiry" in resource tailscale_tailnet_key must be number (a whole number), got number 1.5',
      'resource.tailscale_tailnet_key.it.reusable: "reusable" in resource tailscale_tailnet_key must be bool, got "true"',
      'resource.tailscale_tailnet_key.it.tags: "tags" in resource tailscale_tailnet_key must be set(string), got a list of 1',
    ]);
    expect(
      messages(
        resource('tailscale_federated_identity', {
          issuer: 'https://i',
          subject: 's',
          scopes: [],
          custom_claim_rules: { a: 1 },
        }),
      ),
    ).toEqual([
      'resource.tailscale_federated_identity.it.custom_claim_rules: "custom_claim_rules" in resource tailscale_federated_identity must be map(string), got an object',
    ]);
    expect(messages(resource('tailscale_dns_nameservers', { nameservers: [] }))).toEqual([
      'resource.tailscale_dns_nameservers.it.nameservers: "nameservers" in resource tailscale_dns_nameservers must be list(string) with at least 1 item(s), got a list of 0',
    ]);
  });

  it('accepts ${…} expressions for any type but not escaped text', () => {
    const ok = resource('tailscale_tailnet_key', {
      reusable: '${var.reusable}',
      expiry: '${var.days * 86400}',
      tags: '${var.tags}',
    });
    expect(checkTerraformJson(ok)).toEqual([]);
    expect(messages(resource('tailscale_tailnet_key', { reusable: '$${var.reusable}' }))).toHaveLength(1);
  });

  it('bad nested blocks: unknown and missing attributes, wrong shapes, counts, read-only blocks', () => {
    const tf = {
      ...resource('tailscale_dns_configuration', {
        nameservers: [{ address: '1.1.1.1', use_with_exitnode: true }, { use_with_exit_node: 'yes' }],
        split_dns: [{ domain: 'corp.example.com', nameservers: [] }, 'corp.example.org'],
      }),
      ...data('tailscale_devices', { devices: [{ name: 'x' }] }),
    };
    expect(messages(tf)).toEqual([
      'data.tailscale_devices.it.devices: block "devices" is read-only output of data source tailscale_devices and cannot be set',
      'resource.tailscale_dns_configuration.it.nameservers[0].use_with_exitnode: unknown attribute or block "use_with_exitnode" in block nameservers',
      'resource.tailscale_dns_configuration.it.nameservers[1].address: missing required attribute "address" in block nameservers',
      'resource.tailscale_dns_configuration.it.nameservers[1].use_with_exit_node: "use_with_exit_node" in block nameservers must be bool, got "yes"',
      'resource.tailscale_dns_configuration.it.split_dns: block "split_dns" in resource tailscale_dns_configuration must be an object or an array of objects, got a list of 2',
    ]);
    expect(
      messages(resource('tailscale_dns_configuration', { split_dns: { domain: 'corp', nameservers: [] } })),
    ).toEqual([
      'resource.tailscale_dns_configuration.it.split_dns.nameservers: block "nameservers" in block split_dns needs at least 1, got 0',
    ]);
    const contacts = { account: [{ email: 'a@x' }, { email: 'b@x' }], security: { email: 's@x' } };
    expect(messages(resource('tailscale_contacts', contacts))).toEqual([
      'resource.tailscale_contacts.it.account: block "account" in resource tailscale_contacts allows at most 1, got 2',
      'resource.tailscale_contacts.it.support: missing required block "support" in resource tailscale_contacts',
    ]);
  });

  it('checks dynamic block content and counts a dynamic block as present', () => {
    const tf = synthWith((s) => {
      const it = TerraformIterator.fromList(['1.1.1.1', '8.8.8.8']);
      const nameservers = it.dynamic({ address: it.value }) as unknown as TailscaleDnsNameserver[];
      new TailscaleDnsConfiguration(s, 'dns', {
        nameservers,
        splitDns: [{ domain: 'corp', nameservers: [{ address: '10.0.0.53' }] }],
      });
    });
    expect(tf.resource?.tailscale_dns_configuration?.dns).toHaveProperty(
      'dynamic.nameservers.content.address',
      '${each.value}',
    );
    expect(checkTerraformJson(tf)).toEqual([]);
    const bad = resource('tailscale_dns_configuration', {
      dynamic: { nameservers: { for_each: '${x}', content: { adress: '${each.value}' } } },
    });
    expect(messages(bad)).toEqual([
      'resource.tailscale_dns_configuration.it.dynamic.nameservers.content.address: missing required attribute "address" in block nameservers',
      'resource.tailscale_dns_configuration.it.dynamic.nameservers.content.adress: unknown attribute or block "adress" in block nameservers',
    ]);
  });

  it('unknown resource types, data sources declared as resources, and exactly-one-of groups', () => {
    expect(checkTerraformJson(resource('tailscale_aclz', { acl: '{}' }))[0]).toMatchObject({
      message: 'unknown resource type "tailscale_aclz" in provider tailscale v0.29.2',
      hint: 'did you mean "tailscale_acl"?',
    });
    expect(checkTerraformJson(resource('tailscale_device', { name: 'x' }))[0]?.hint).toBe(
      '"tailscale_device" is a data source',
    );
    expect(messages(data('tailscale_device', {}))).toEqual([
      'data.tailscale_device.it: exactly one of hostname, name must be set in data source tailscale_device, got 0',
    ]);
    expect(messages(data('tailscale_device', { name: 'a', hostname: 'b' }))).toHaveLength(1);
  });

  it('a wrong provider source and a misspelled lifecycle.ignore_changes entry', () => {
    const tf = {
      terraform: { required_providers: { tailscale: { source: 'hashicorp/tailscale', version: '~> 0.29' } } },
      ...resource('tailscale_acl', { acl: '{}', lifecycle: { ignore_changes: ['acl', 'acls'] } }),
    };
    expect(messages(tf)).toEqual([
      'resource.tailscale_acl.it.lifecycle.ignore_changes[1]: lifecycle.ignore_changes names "acls", which is not an attribute of resource tailscale_acl',
      'terraform.required_providers.tailscale.source: provider source is "hashicorp/tailscale", expected "tailscale/tailscale"',
    ]);
  });

  it('ignores meta-arguments, comments, and resources of other providers', () => {
    const tf = {
      provider: { tailscale: [{ alias: 'b', version: '~> 0.29' }] },
      resource: {
        tailscale_acl: {
          it: {
            '//': { metadata: { path: 'x/it' } },
            acl: '{}',
            count: 1,
            depends_on: ['x.y'],
            provider: 'tailscale.b',
            lifecycle: { prevent_destroy: true },
          },
        },
        kubernetes_secret_v1: { s: { whatever: true } },
      },
    };
    expect(checkTerraformJson(tf)).toEqual([]);
  });

  it('names the construct that produced a bad body (cdktf "//" metadata)', () => {
    const stack = newStack('prod');
    new TailscaleProvider(stack, 'tailscale');
    new TailscaleAcl(stack, 'policy', { acl: '{}' }).addOverride('overwrite', true);
    const [d] = checkTerraformJson(fullJson(stack));
    expect(d.related).toEqual([{ path: 'prod/policy', message: 'synthesized from this construct' }]);
  });

  it('returns diagnostics in a stable order', () => {
    const tf = resource('tailscale_tailnet_key', { z: 1, a: 2, key: 'k', id: 'i' });
    const reversed = resource('tailscale_tailnet_key', { id: 'i', key: 'k', a: 2, z: 1 });
    expect(checkTerraformJson(tf)).toEqual(checkTerraformJson(reversed));
  });
});

describe('schema source', () => {
  it('reads the repo-local copy, which matches facts/tf-tailscale-schema.json when the shared folder is present', () => {
    const local = JSON.parse(readFileSync(TAILSCALE_SCHEMA_FILE, 'utf8'));
    expect(local.providerVersion).toBe('v0.29.2');
    const shared = path.resolve(__dirname, '../../../../shared/facts/tf-tailscale-schema.json');
    if (existsSync(shared)) expect(local).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });
});
