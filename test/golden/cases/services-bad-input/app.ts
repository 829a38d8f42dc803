import {
  AuthKey,
  Autogroup,
  NixosHost,
  NodeAuth,
  SecretKeyRef,
  ServicePort,
  type TailnetApp,
  TailnetStack,
  TailscaleService,
} from '../../../../src';

/** Issue 6: every Service and auth-method mistake at once, each with its code, path and hint. */
export function build(app: TailnetApp): void {
  const stack = new TailnetStack(app, 'svc-bad', { magicDnsSuffix: 'bad.ts.net' });
  const host = stack.addTag('Host', { name: 'tag:host', owners: [Autogroup.ADMIN] });
  const web = new TailscaleService(stack, 'Web', {
    name: 'Web_Gateway',
    ports: [ServicePort.https(443, 'http://127.0.0.1:8080'), ServicePort.tcp(5432, 'localhost:5432')],
    hosts: [host],
  });
  new NixosHost(stack, 'Untagged', { user: 'alice@example.com' }).addService(web);
  new NixosHost(stack, 'EnvKey', { tags: [host], authKey: NodeAuth.env(SecretKeyRef.external('keys', 'ts')) });
  new NixosHost(stack, 'Wif', {
    tags: [host],
    authKey: NodeAuth.workloadIdentity({ issuer: 'https://oidc.example.com' }),
  });
  new NixosHost(stack, 'OauthNoTags', {
    user: 'bob@example.com',
    authKey: NodeAuth.oauthClient(AuthKey.sops('oauth')),
  });
}
