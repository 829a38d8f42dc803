import { ControlServer, IpSet, KubernetesWorkload, SecretKeyRef, type TailnetApp, TailnetStack } from '../../../../src';

/** Issue 5 §7, IR-rule phase: a missing secret, one workload in two namespaces, a policy feature Headscale lacks. */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'bad-refs', {
    controlServer: ControlServer.headscale({
      url: 'https://headscale.example.com',
      magicDnsBaseDomain: 'tail.example.com',
    }),
  });
  const admins = stack.addGroup('Admins', { members: ['alice@example.com'] });
  const tags = [stack.addTag('Svc', { name: 'tag:svc', owners: [admins] })];
  new KubernetesWorkload(stack, 'MissingSecret', {
    namespace: 'apps',
    sidecar: { tags, authKey: SecretKeyRef.of('shared') },
  });
  new KubernetesWorkload(stack, 'Web', { namespace: 'apps', sidecar: { tags, hostname: 'web-apps' } });
  new KubernetesWorkload(stack, 'WebStaging', {
    name: 'web',
    namespace: 'staging',
    sidecar: { tags, hostname: 'web-staging' },
  });
  new IpSet(stack, 'Lan', { add: ['192.168.0.0/24'] });
}
