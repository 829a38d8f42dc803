// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform expressions and template text are the subject under test
import type { TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  DataTailscale4Via6,
  DataTailscaleAcl,
  DataTailscaleDevice,
  DataTailscaleDevices,
  DataTailscaleService,
  DataTailscaleUser,
  DataTailscaleUsers,
  TailscaleAcl,
  TailscaleAwsExternalId,
  TailscaleContacts,
  TailscaleDeviceAuthorization,
  TailscaleDeviceKey,
  TailscaleDeviceSubnetRoutes,
  TailscaleDeviceTags,
  TailscaleDnsConfiguration,
  TailscaleDnsNameservers,
  TailscaleDnsPreferences,
  TailscaleDnsSearchPaths,
  TailscaleDnsSplitNameservers,
  TailscaleFederatedIdentity,
  TailscaleLogstreamConfiguration,
  TailscaleOauthClient,
  TailscalePostureIntegration,
  TailscaleService,
  TailscaleTailnetKey,
  TailscaleTailnetSettings,
  TailscaleWebhook,
} from '../../../src/emit/terraform/l1';
import { configurableNames, loadTailscaleSchema } from '../../../src/emit/terraform/l1/schema';
import { checkTerraformJson } from '../../../src/emit/terraform/schema-check';
import { synthWith } from './helpers';

/** One L1 class instantiated with every configurable attribute, and the exact Terraform body expected. */
interface Case {
  readonly section: 'resource' | 'data';
  readonly type: string;
  readonly make: (stack: TerraformStack) => void;
  readonly expected: Record<string, unknown>;
}

const r = (type: string, make: Case['make'], expected: Case['expected']): Case => ({
  section: 'resource',
  type,
  make,
  expected,
});
const d = (type: string, make: Case['make'], expected: Case['expected']): Case => ({
  section: 'data',
  type,
  make,
  expected,
});

const POLICY =
  '{\n  // who may reach what\n  "grants": [{"src": ["group:eng"], "dst": ["tag:web"], "ip": ["443"]}],\n}\n';

const CASES: readonly Case[] = [
  r(
    'tailscale_acl',
    (s) => new TailscaleAcl(s, 'it', { acl: POLICY, overwriteExistingContent: true, resetAclOnDestroy: false }),
    {
      acl: POLICY,
      overwrite_existing_content: true,
      reset_acl_on_destroy: false,
    },
  ),
  r(
    'tailscale_tailnet_settings',
    (s) =>
      new TailscaleTailnetSettings(s, 'it', {
        aclsExternalLink: 'https://git.example.com/tailnet',
        aclsExternallyManagedOn: true,
        devicesApprovalOn: true,
        devicesAutoUpdatesOn: false,
        devicesKeyDurationDays: 90,
        httpsEnabled: true,
        networkFlowLoggingOn: false,
        postureIdentityCollectionOn: false,
        regionalRoutingOn: true,
        usersApprovalOn: true,
        usersRoleAllowedToJoinExternalTailnet: 'admin',
      }),
    {
      acls_external_link: 'https://git.example.com/tailnet',
      acls_externally_managed_on: true,
      devices_approval_on: true,
      devices_auto_updates_on: false,
      devices_key_duration_days: 90,
      https_enabled: true,
      network_flow_logging_on: false,
      posture_identity_collection_on: false,
      regional_routing_on: true,
      users_approval_on: true,
      users_role_allowed_to_join_external_tailnet: 'admin',
    },
  ),
  r(
    'tailscale_contacts',
    (s) =>
      new TailscaleContacts(s, 'it', {
        account: { email: 'owner@example.com' },
        security: { email: 'sec@example.com' },
        support: { email: 'ops@example.com' },
      }),
    {
      account: [{ email: 'owner@example.com' }],
      security: [{ email: 'sec@example.com' }],
      support: [{ email: 'ops@example.com' }],
    },
  ),
  r(
    'tailscale_tailnet_key',
    (s) =>
      new TailscaleTailnetKey(s, 'it', {
        reusable: true,
        ephemeral: false,
        preauthorized: true,
        tags: ['tag:server'],
        expiry: 3600,
        description: 'ci runners',
        recreateIfInvalid: 'always',
        userId: 'u123',
      }),
    {
      reusable: true,
      ephemeral: false,
      preauthorized: true,
      tags: ['tag:server'],
      expiry: 3600,
      description: 'ci runners',
      recreate_if_invalid: 'always',
      user_id: 'u123',
    },
  ),
  r(
    'tailscale_oauth_client',
    (s) => new TailscaleOauthClient(s, 'it', { scopes: ['auth_keys'], tags: ['tag:ci'], description: 'ci' }),
    {
      scopes: ['auth_keys'],
      tags: ['tag:ci'],
      description: 'ci',
    },
  ),
  r(
    'tailscale_federated_identity',
    (s) =>
      new TailscaleFederatedIdentity(s, 'it', {
        issuer: 'https://token.actions.githubusercontent.com',
        subject: 'repo:example/infra:*',
        scopes: ['policy_file'],
        audience: 'api.tailscale.com/k123',
        customClaimRules: { repository_owner: 'example' },
        tags: ['tag:ci'],
        description: 'github actions',
      }),
    {
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:example/infra:*',
      scopes: ['policy_file'],
      audience: 'api.tailscale.com/k123',
      custom_claim_rules: { repository_owner: 'example' },
      tags: ['tag:ci'],
      description: 'github actions',
    },
  ),
  r('tailscale_aws_external_id', (s) => new TailscaleAwsExternalId(s, 'it'), {}),
  r(
    'tailscale_dns_nameservers',
    (s) => new TailscaleDnsNameservers(s, 'it', { nameservers: ['1.1.1.1', '2606:4700:4700::1111'] }),
    {
      nameservers: ['1.1.1.1', '2606:4700:4700::1111'],
    },
  ),
  r('tailscale_dns_preferences', (s) => new TailscaleDnsPreferences(s, 'it', { magicDns: true }), { magic_dns: true }),
  r('tailscale_dns_search_paths', (s) => new TailscaleDnsSearchPaths(s, 'it', { searchPaths: ['corp.example.com'] }), {
    search_paths: ['corp.example.com'],
  }),
  r(
    'tailscale_dns_split_nameservers',
    (s) => new TailscaleDnsSplitNameservers(s, 'it', { domain: 'corp.example.com', nameservers: ['10.0.0.53'] }),
    {
      domain: 'corp.example.com',
      nameservers: ['10.0.0.53'],
    },
  ),
  r(
    'tailscale_dns_configuration',
    (s) =>
      new TailscaleDnsConfiguration(s, 'it', {
        magicDns: true,
        overrideLocalDns: true,
        searchPaths: ['corp.example.com'],
        nameservers: [{ address: '1.1.1.1' }, { address: '8.8.8.8', useWithExitNode: true }],
        splitDns: [{ domain: 'corp.example.com', nameservers: [{ address: '10.0.0.53', useWithExitNode: false }] }],
      }),
    {
      magic_dns: true,
      override_local_dns: true,
      search_paths: ['corp.example.com'],
      nameservers: [{ address: '1.1.1.1' }, { address: '8.8.8.8', use_with_exit_node: true }],
      split_dns: [{ domain: 'corp.example.com', nameservers: [{ address: '10.0.0.53', use_with_exit_node: false }] }],
    },
  ),
  r('tailscale_device_tags', (s) => new TailscaleDeviceTags(s, 'it', { deviceId: 'n1CNTRL', tags: ['tag:web'] }), {
    device_id: 'n1CNTRL',
    tags: ['tag:web'],
  }),
  r(
    'tailscale_device_subnet_routes',
    (s) =>
      new TailscaleDeviceSubnetRoutes(s, 'it', { deviceId: 'n1CNTRL', routes: ['10.0.0.0/24', '0.0.0.0/0', '::/0'] }),
    {
      device_id: 'n1CNTRL',
      routes: ['10.0.0.0/24', '0.0.0.0/0', '::/0'],
    },
  ),
  r(
    'tailscale_device_authorization',
    (s) => new TailscaleDeviceAuthorization(s, 'it', { deviceId: 'n1CNTRL', authorized: true }),
    {
      device_id: 'n1CNTRL',
      authorized: true,
    },
  ),
  r('tailscale_device_key', (s) => new TailscaleDeviceKey(s, 'it', { deviceId: 'n1CNTRL', keyExpiryDisabled: true }), {
    device_id: 'n1CNTRL',
    key_expiry_disabled: true,
  }),
  r(
    'tailscale_service',
    (s) => new TailscaleService(s, 'it', { name: 'svc:web', ports: ['tcp:443'], tags: ['tag:web'], comment: 'web' }),
    {
      name: 'svc:web',
      ports: ['tcp:443'],
      tags: ['tag:web'],
      comment: 'web',
    },
  ),
  r(
    'tailscale_webhook',
    (s) =>
      new TailscaleWebhook(s, 'it', {
        endpointUrl: 'https://hooks.example.com/ts',
        subscriptions: ['nodeCreated'],
        providerType: 'slack',
      }),
    {
      endpoint_url: 'https://hooks.example.com/ts',
      subscriptions: ['nodeCreated'],
      provider_type: 'slack',
    },
  ),
  r(
    'tailscale_logstream_configuration',
    (s) =>
      new TailscaleLogstreamConfiguration(s, 'it', {
        logType: 'network',
        destinationType: 'gcs',
        url: 'https://logs.example.com',
        user: 'user',
        token: '${var.log_token}',
        compressionFormat: 'zstd',
        uploadPeriodMinutes: 5,
        s3AuthenticationType: 'rolearn',
        s3Bucket: 'b',
        s3Region: 'eu-west-1',
        s3KeyPrefix: 'ts/',
        s3RoleArn: 'arn:aws:iam::1:role/ts',
        s3ExternalId: 'ext',
        s3AccessKeyId: 'AKIA',
        s3SecretAccessKey: '${var.s3_secret}',
        gcsBucket: 'g',
        gcsCredentials: '{"type": "external_account", "x": "${not-a-reference}"}',
        gcsKeyPrefix: 'ts/',
        gcsScopes: ['https://www.googleapis.com/auth/devstorage.read_write'],
      }),
    {
      log_type: 'network',
      destination_type: 'gcs',
      url: 'https://logs.example.com',
      user: 'user',
      token: '${var.log_token}',
      compression_format: 'zstd',
      upload_period_minutes: 5,
      s3_authentication_type: 'rolearn',
      s3_bucket: 'b',
      s3_region: 'eu-west-1',
      s3_key_prefix: 'ts/',
      s3_role_arn: 'arn:aws:iam::1:role/ts',
      s3_external_id: 'ext',
      s3_access_key_id: 'AKIA',
      s3_secret_access_key: '${var.s3_secret}',
      gcs_bucket: 'g',
      gcs_credentials: '{"type": "external_account", "x": "$${not-a-reference}"}',
      gcs_key_prefix: 'ts/',
      gcs_scopes: ['https://www.googleapis.com/auth/devstorage.read_write'],
    },
  ),
  r(
    'tailscale_posture_integration',
    (s) =>
      new TailscalePostureIntegration(s, 'it', {
        postureProvider: 'intune',
        clientSecret: '${var.intune_secret}',
        clientId: 'c',
        cloudId: 'global',
        tenantId: 't',
      }),
    {
      posture_provider: 'intune',
      client_secret: '${var.intune_secret}',
      client_id: 'c',
      cloud_id: 'global',
      tenant_id: 't',
    },
  ),
  d('tailscale_device', (s) => new DataTailscaleDevice(s, 'it', { name: 'web.tail1234.ts.net', waitFor: '60s' }), {
    name: 'web.tail1234.ts.net',
    wait_for: '60s',
  }),
  d('tailscale_device', (s) => new DataTailscaleDevice(s, 'it', { hostname: 'web' }), { hostname: 'web' }),
  d(
    'tailscale_devices',
    (s) => new DataTailscaleDevices(s, 'it', { namePrefix: 'web', filter: [{ name: 'tags', values: ['tag:web'] }] }),
    {
      name_prefix: 'web',
      filter: [{ name: 'tags', values: ['tag:web'] }],
    },
  ),
  d('tailscale_4via6', (s) => new DataTailscale4Via6(s, 'it', { cidr: '10.1.0.0/16', site: 7 }), {
    cidr: '10.1.0.0/16',
    site: 7,
  }),
  d('tailscale_acl', (s) => new DataTailscaleAcl(s, 'it'), {}),
  d('tailscale_service', (s) => new DataTailscaleService(s, 'it', { name: 'svc:web' }), { name: 'svc:web' }),
  d('tailscale_user', (s) => new DataTailscaleUser(s, 'it', { loginName: 'alice@example.com' }), {
    login_name: 'alice@example.com',
  }),
  d('tailscale_user', (s) => new DataTailscaleUser(s, 'it', { id: 'u123' }), { id: 'u123' }),
  d('tailscale_users', (s) => new DataTailscaleUsers(s, 'it', { type: 'member', role: 'admin' }), {
    type: 'member',
    role: 'admin',
  }),
];

describe('L1 classes synthesize exactly the Terraform attributes', () => {
  it.each(CASES.map((c) => [`${c.section}.${c.type} ${JSON.stringify(Object.keys(c.expected))}`, c] as const))(
    '%s',
    (_, c) => {
      const tf = synthWith(c.make);
      expect(tf[c.section]?.[c.type]?.it).toEqual(c.expected);
      expect(checkTerraformJson(tf)).toEqual([]);
    },
  );
});

describe('coverage of provider schema v0.29.2', () => {
  const schema = loadTailscaleSchema();

  it('has a class for every resource and data source, and every configurable attribute is reachable', () => {
    const seen = new Map<string, Set<string>>();
    for (const c of CASES) {
      const key = `${c.section}.${c.type}`;
      const names = seen.get(key) ?? new Set<string>();
      for (const name of Object.keys(c.expected)) names.add(name);
      seen.set(key, names);
    }
    const expected = new Map<string, string[]>([
      ...Object.entries(schema.resources).map(([t, b]) => [`resource.${t}`, configurableNames(b)] as const),
      ...Object.entries(schema.dataSources).map(([t, b]) => [`data.${t}`, configurableNames(b)] as const),
    ]);
    expect([...seen.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, names] of expected) expect([...(seen.get(key) ?? [])].sort(), key).toEqual(names);
  });

  it('omits unset optional attributes', () => {
    const tf = synthWith((s) => {
      new TailscaleTailnetKey(s, 'it');
      new TailscaleDnsConfiguration(s, 'dns');
    });
    expect(tf.resource?.tailscale_tailnet_key?.it).toEqual({});
    expect(tf.resource?.tailscale_dns_configuration?.dns).toEqual({});
    expect(checkTerraformJson(tf)).toEqual([]);
  });
});
