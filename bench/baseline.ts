import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { App, LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { TailscaleTailnetKey } from '../src/emit/terraform/l1/keys';
import { TailscaleAcl } from '../src/emit/terraform/l1/policy';
import { TailscaleProvider } from '../src/emit/terraform/l1/provider';
import type { TailnetSize } from './stack-generator';

/**
 * Baseline (a) of issue 9: the Terraform part of a synth written directly as cdktf L1 constructs — the resources
 * our Terraform emitter produces for the same tailnet (provider, policy, and per workload RBAC, an auth key and its
 * secret) — and cdktf's own `app.synth()`.
 */
export function plainCdktfBaseline(size: TailnetSize, policy: string, outdir: string): void {
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'baseline');
  new LocalBackend(stack, { path: 'terraform.baseline.tfstate' });
  const secret = new TerraformVariable(stack, 'tailscale_oauth_client_secret', { type: 'string', sensitive: true });
  new TailscaleProvider(stack, 'tailscale', { oauthClientId: 'k123CNTRL', oauthClientSecret: secret.stringValue });
  new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
  new TailscaleAcl(stack, 'policy', { acl: policy });
  for (let i = 0; i < size.workloads; i++) {
    const metadata = { name: `w${i}-tailscale`, namespace: `ns${i % 10}` };
    new ServiceAccountV1(stack, `w${i}_sa`, { metadata: { name: `w${i}`, namespace: metadata.namespace } });
    new RoleV1(stack, `w${i}_role`, {
      metadata,
      rule: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update', 'patch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'get'] },
      ],
    });
    new RoleBindingV1(stack, `w${i}_binding`, {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
      subject: [{ kind: 'ServiceAccount', name: `w${i}`, namespace: metadata.namespace }],
    });
    const key = new TailscaleTailnetKey(stack, `w${i}_key`, {
      reusable: true,
      preauthorized: true,
      tags: [`tag:t${i}`],
      expiry: 7776000,
    });
    new SecretV1(stack, `w${i}_secret`, {
      metadata: { name: `w${i}-authkey`, namespace: metadata.namespace },
      data: { TS_AUTHKEY: key.key },
    });
  }
  app.synth();
}
