import {
  ControlServer,
  KubernetesWorkload,
  NodeAuth,
  SecretKeyRef,
  ServicePort,
  type TailnetApp,
  TailnetStack,
  TailscaleService,
} from '../../../../src';

/** Issue 6: OAuth / workload identity logins and Tailscale Services need Tailscale's API, not Headscale (IR rules). */
export function build(app: TailnetApp): void {
  const hs = new TailnetStack(app, 'svc-headscale', {
    controlServer: ControlServer.headscale({ url: 'https://hs.example.com', magicDnsBaseDomain: 'tail.example.com' }),
  });
  const admins = hs.addGroup('Admins', { members: ['alice@example.com'] });
  const k8s = hs.addTag('K8s', { name: 'tag:k8s', owners: [admins] });
  new KubernetesWorkload(hs, 'Api', {
    namespace: 'apps',
    sidecar: { tags: [k8s], authKey: NodeAuth.oauthClient(SecretKeyRef.external('oauth', 'client_secret')) },
  });
  new TailscaleService(hs, 'Db', { ports: [ServicePort.tcp(5432, 'tcp://127.0.0.1:5432')], hosts: [k8s] });
}
