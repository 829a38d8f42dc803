import { KubernetesWorkload, type TailnetApp, TailnetStack } from '../../../../src';

/** Issue 5 §7, construct phase: bad names, a literal key, an untagged image, shared state, all reported at once. */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'bad-k8s');
  const admins = stack.addGroup('Admins', { members: ['alice@example.com'] });
  const tags = [stack.addTag('Svc', { name: 'tag:svc', owners: [admins] })];
  new KubernetesWorkload(stack, 'BadName', { name: 'Api_Server', namespace: 'apps', sidecar: { tags } });
  new KubernetesWorkload(stack, 'LiteralKey', {
    namespace: 'apps',
    sidecar: { tags, authKey: 'hskey-auth-abc-123' as never },
  });
  new KubernetesWorkload(stack, 'Untagged', { namespace: 'apps', sidecar: { tags, image: 'tailscale/tailscale' } });
  new KubernetesWorkload(stack, 'Moving', {
    namespace: 'apps',
    sidecar: { tags, image: 'tailscale/tailscale:latest' },
  });
  new KubernetesWorkload(stack, 'Scaled', { namespace: 'apps', replicas: 2, sidecar: { tags } });
}
