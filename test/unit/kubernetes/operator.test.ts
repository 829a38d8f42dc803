import { describe, expect, it } from 'vitest';
import { TailscaleOperator } from '../../../src';
import { parseYaml } from '../../../src/core/canonical/yaml';
import { IrTemplate } from '../../../src/core/testing';
import { files, fixture, ir } from './helpers';

function operatorFixture(oauthSecretName?: string) {
  const f = fixture();
  const operatorTag = f.stack.addTag('OperatorTag', {
    name: 'tag:k8s-operator',
    owners: [f.stack.node.findChild('Admins') as never],
  });
  const proxyTag = f.stack.addTag('Proxy', { name: 'tag:k8s', owners: [operatorTag] });
  const operator = new TailscaleOperator(f.stack, 'Operator', {
    tags: [operatorTag],
    proxyTags: [proxyTag],
    ...(oauthSecretName ? { oauthSecretName } : {}),
  });
  return { f, operator, proxyTag };
}

describe('TailscaleOperator', () => {
  it('writes chart values with tags, images and no credential', () => {
    const { f } = operatorFixture();
    const values = parseYaml(files(f).get('helm/tailscale-operator.values.yaml')!) as Record<string, unknown>;
    expect(values).toEqual({
      apiServerProxyConfig: { mode: 'false' },
      installCRDs: true,
      operatorConfig: {
        defaultTags: ['tag:k8s-operator'],
        hostname: 'tailscale-operator',
        image: { repository: 'tailscale/k8s-operator', tag: 'v1.102.3' },
        logging: 'info',
      },
      proxyConfig: {
        defaultTags: 'tag:k8s',
        firewallMode: 'auto',
        image: { repository: 'tailscale/tailscale', tag: 'v1.102.3' },
      },
    });
  });

  it('mounts an OAuth Secret with another name through oauthSecretVolume', () => {
    const { f } = operatorFixture('tailnet-oauth');
    const values = parseYaml(files(f).get('helm/tailscale-operator.values.yaml')!) as Record<string, unknown>;
    expect(values.oauthSecretVolume).toEqual({ secret: { secretName: 'tailnet-oauth' } });
  });

  it('exposes a Service with the operator annotations and a proxy-class label', () => {
    const { f, operator, proxyTag } = operatorFixture();
    const proxies = operator.addProxyClass('Proxies', { metrics: true });
    operator.exposeService('Web', { namespace: 'apps', tags: [proxyTag], proxyClass: proxies });
    const patch = parseYaml(files(f).get('k8s/apps/web.service-patch.yaml')!) as Record<string, unknown>;
    expect(patch.metadata).toEqual({
      name: 'web',
      namespace: 'apps',
      annotations: {
        'tailscale.com/expose': 'true',
        'tailscale.com/hostname': 'apps-web',
        'tailscale.com/tags': 'tag:k8s',
      },
      labels: { 'tailscale.com/proxy-class': 'proxies' },
    });
    new IrTemplate(ir(f)).has('devices', { name: 'apps-web', tags: ['tag:k8s'] });
  });

  it('declares a Connector as a subnet router and exit node device', () => {
    const { f, operator, proxyTag } = operatorFixture();
    operator.addConnector('Router', { tags: [proxyTag], routes: ['10.96.0.0/12'], exitNode: true });
    const connector = parseYaml(files(f).get('k8s/tailscale.com/connector-router.yaml')!) as Record<string, unknown>;
    expect(connector.spec).toEqual({
      exitNode: true,
      hostname: 'router-connector',
      replicas: 1,
      subnetRouter: { advertiseRoutes: ['10.96.0.0/12'] },
      tags: ['tag:k8s'],
    });
    new IrTemplate(ir(f)).has('devices', {
      name: 'router-connector',
      advertisedRoutes: ['0.0.0.0/0', '10.96.0.0/12', '::/0'],
      exitNode: true,
    });
  });

  it('warns when a proxy tag is not owned by the operator tag', () => {
    const { f, operator } = operatorFixture();
    operator.exposeService('Web', { namespace: 'apps', tags: [f.tag] });
    // TN6xxx: the policy linter's findings about the fixture's unused tags are not this test's subject
    const warnings = f.app.synthesize()[0].diagnostics.filter((d) => !d.code.startsWith('TN6'));
    expect(warnings).toMatchObject([{ severity: 'warning', code: 'TN3018', path: 'test/Operator/Web' }]);
  });
});
