import { describe, expect, it } from 'vitest';
import {
  AuthKey,
  Autogroup,
  KubernetesWorkload,
  NixosHost,
  NodeAuth,
  Reach,
  SecretKeyRef,
  ServicePort,
  TailscaleOperator,
  TailscaleService,
} from '../../../src';
import { newStack, synthDiagnostics } from '../../helpers';
import { cli } from '../cli/run-cli';

function world() {
  const { app, stack } = newStack({ magicDnsSuffix: 'ex.ts.net' });
  const hostTag = stack.addTag('Host', { name: 'tag:host', owners: [Autogroup.ADMIN] });
  const clients = stack.addGroup('Clients', { name: 'group:clients', members: ['alice@example.com'] });
  return { app, stack, hostTag, clients };
}

/** Issue 6 §1: one TailscaleService feeds the policy, Terraform, the NixOS module and the serve script. */
describe('TailscaleService', () => {
  it('names itself svc:<label> with a MagicDNS name, and lowers sorted IR', () => {
    const { app, stack, hostTag, clients } = world();
    const svc = new TailscaleService(stack, 'Gateway', {
      ports: [ServicePort.tcp(8443, 'tcp://127.0.0.1:9443'), ServicePort.https(443, 'http://127.0.0.1:8080')],
      hosts: [hostTag],
      clients: [clients],
    });
    expect(svc.name).toBe('svc:gateway');
    expect(svc.dnsName).toBe('gateway.ex.ts.net');
    const [r] = app.synthesize();
    expect(r.ir.services).toEqual([
      {
        source: { path: 'test/Gateway' },
        name: 'svc:gateway',
        dnsName: 'gateway.ex.ts.net',
        ports: [
          { port: 443, protocol: 'https', target: 'http://127.0.0.1:8080' },
          { port: 8443, protocol: 'tcp', target: 'tcp://127.0.0.1:9443' },
        ],
        hostTags: ['tag:host'],
        tags: [],
      },
    ]);
  });

  it('contributes autoApprovers.services for its host tags and a grant from its clients on its ports', () => {
    const { app, stack, hostTag, clients } = world();
    const svc = new TailscaleService(stack, 'Gateway', {
      ports: [ServicePort.https(443, 'http://127.0.0.1:8080')],
      hosts: [hostTag],
      clients: [clients],
    });
    stack.addDevice('Host1', { tags: [hostTag] });
    // the test runs against the Service's placeholder address, delivered to its auto-approved host
    stack.expect(clients).canReach(svc.selector, 443).cannotReach(svc.selector, 80);
    const [r] = app.synthesize();
    const policy = JSON.parse(r.files.get('policy.json') ?? '{}');
    expect(policy.autoApprovers).toEqual({ services: { 'svc:gateway': ['tag:host'] } });
    expect(policy.grants).toEqual([{ src: ['group:clients'], dst: ['svc:gateway'], ip: ['tcp:443'] }]);
  });

  it('fails a policy test to a Service its grant does not open (the engine delivers the TailVIP to the hosts)', () => {
    const { app, stack, hostTag, clients } = world();
    const svc = new TailscaleService(stack, 'Gateway', {
      ports: [ServicePort.https(443, 'http://127.0.0.1:8080')],
      hosts: [hostTag],
      clients: [clients],
    });
    stack.addDevice('Host1', { tags: [hostTag] });
    stack.expect(clients).canReach(svc.selector, 8443);
    const errors = synthDiagnostics(app).filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.code)).toEqual(['TN5060']);
    expect(errors[0].message).toContain('svc:gateway:8443 should be accepted');
  });

  it('emits tailscale_service with tcp:<port> entries, after the policy', () => {
    const { app, stack, hostTag } = world();
    const tag = stack.addTag('Svc', { name: 'tag:svc', owners: [Autogroup.ADMIN] });
    new TailscaleService(stack, 'Gateway', {
      ports: [ServicePort.https(443, 'http://127.0.0.1:8080'), ServicePort.http(80, 'http://127.0.0.1:8080')],
      hosts: [hostTag],
      tags: [tag],
    });
    const [r] = app.synthesize();
    const tf = JSON.parse(r.files.get('terraform/cdk.tf.json') ?? '{}');
    const res = tf.resource.tailscale_service.service_gateway;
    expect(res).toMatchObject({
      name: 'svc:gateway',
      ports: ['tcp:80', 'tcp:443'],
      tags: ['tag:svc'],
      depends_on: ['tailscale_acl.policy'],
    });
  });

  it('is served by a NixOS host through services.tailscale.serve (HTTP/TCP) together with Reach.service proxies', () => {
    const { app, stack, hostTag } = world();
    const svc = new TailscaleService(stack, 'Db', {
      ports: [ServicePort.tcp(5432, 'tcp://127.0.0.1:5432')],
      hosts: [hostTag],
    });
    const box = new NixosHost(stack, 'Box', { tags: [hostTag], authKey: AuthKey.sops('ts') });
    box.addService(svc);
    box.addProxy('Llm', { upstreamPort: 8080, reach: Reach.service('llm', { localPort: 18080 }) });
    const [r] = app.synthesize();
    const nix = r.files.get('nixos/box/default.nix') ?? '';
    expect(nix).toContain('endpoints."tcp:5432" = "tcp://127.0.0.1:5432";');
    expect(nix).toContain('endpoints."tcp:80" = "http://127.0.0.1:18080";');
    expect(nix).not.toContain('tailscale-serve-services');
    expect(r.files.get('services/db.sh')).toContain(
      'tailscale serve --yes --service=svc:db --tcp=5432 tcp://127.0.0.1:5432',
    );
  });

  it('switches the NixOS host to one tailscale serve unit as soon as a port needs HTTPS', () => {
    const { app, stack, hostTag } = world();
    const svc = new TailscaleService(stack, 'Web', {
      ports: [ServicePort.https(443, 'http://127.0.0.1:8080')],
      hosts: [hostTag],
    });
    const box = new NixosHost(stack, 'Box', { tags: [hostTag] });
    box.addService(svc);
    box.addProxy('Llm', { upstreamPort: 8080, reach: Reach.service('llm', { localPort: 18080 }) });
    const [r] = app.synthesize();
    const nix = r.files.get('nixos/box/default.nix') ?? '';
    expect(nix).not.toContain('serve = {');
    expect(nix).toContain('systemd.services.tailscale-serve-services');
    expect(nix).toContain('tailscale serve --yes --service=svc:llm --http=80 http://127.0.0.1:18080');
    expect(nix).toContain('tailscale serve --yes --service=svc:web --https=443 http://127.0.0.1:8080');
  });
});

describe('TailscaleService hosted by the Kubernetes operator', () => {
  it('emits an ingress ProxyGroup with the host tags and an Ingress naming it, devices for its pods', () => {
    const { app, stack, hostTag } = world();
    const op = stack.addTag('Op', { name: 'tag:op', owners: [Autogroup.ADMIN] });
    const svc = new TailscaleService(stack, 'Web', {
      ports: [ServicePort.https(443, 'http://127.0.0.1:8080')],
      hosts: [hostTag],
    });
    const operator = new TailscaleOperator(stack, 'Operator', { tags: [op], proxyTags: [hostTag] });
    operator.hostService('WebIngress', svc, { namespace: 'apps', backendService: 'web', backendPort: 8080 });
    const [r] = app.synthesize();
    expect(r.files.get('k8s/tailscale.com/proxygroup-web-ingress.yaml')).toContain('type: ingress');
    const ingress = r.files.get('k8s/apps/web.ingress.yaml') ?? '';
    expect(ingress).toContain('tailscale.com/proxy-group: web-ingress');
    expect(ingress).toContain('ingressClassName: tailscale');
    expect(ingress).toMatch(/tls:\s+- hosts:\s+- web/);
    expect(r.ir.devices.map((d) => d.name)).toEqual(expect.arrayContaining(['web-ingress-0', 'web-ingress-1']));
    const tf = JSON.parse(r.files.get('terraform/cdk.tf.json') ?? '{}');
    expect(tf.resource.tailscale_oauth_client.tailscale_operator_oauth_client.scopes).toContain('services');
  });

  it('rejects a non-HTTPS-443 Service on the operator (TN3083)', () => {
    const { app, stack, hostTag } = world();
    const op = stack.addTag('Op', { name: 'tag:op', owners: [Autogroup.ADMIN] });
    const svc = new TailscaleService(stack, 'Db', {
      ports: [ServicePort.tcp(5432, 'tcp://127.0.0.1:5432')],
      hosts: [hostTag],
    });
    const operator = new TailscaleOperator(stack, 'Operator', { tags: [op], proxyTags: [hostTag] });
    operator.hostService('DbIngress', svc, { namespace: 'apps', backendService: 'db', backendPort: 5432 });
    const errors = synthDiagnostics(app).filter((d) => d.severity === 'error');
    expect(errors.map((e) => [e.code, e.path])).toEqual([['TN3083', 'test/Operator/DbIngress']]);
  });
});

/** Issue 6 §2: each auth method lands where it works. */
describe('auth methods', () => {
  it('NixOS: an OAuth client secret file becomes authKeyFile plus authKeyParameters, with --advertise-tags', () => {
    const { app, stack, hostTag } = world();
    new NixosHost(stack, 'Box', {
      tags: [hostTag],
      authKey: NodeAuth.oauthClient(AuthKey.agenix('oauth'), { ephemeral: true }),
    });
    const [r] = app.synthesize();
    expect(r.ir.nixos.hosts[0].tailscale.authKeyParameters).toEqual({ ephemeral: true, preauthorized: true });
    const nix = r.files.get('nixos/box/default.nix') ?? '';
    expect(nix).toContain('authKeyFile = config.age.secrets.oauth.path;');
    expect(nix).toMatch(/authKeyParameters = \{\s+ephemeral = true;\s+preauthorized = true;\s+\};/);
    expect(nix).toContain('"--advertise-tags=tag:host"');
  });

  it('Kubernetes: OAuth secret as TS_AUTHKEY with key parameters; env ref as TS_AUTHKEY', () => {
    const { app, stack, hostTag } = world();
    new KubernetesWorkload(stack, 'A', {
      namespace: 'apps',
      sidecar: { tags: [hostTag], authKey: NodeAuth.oauthClient(SecretKeyRef.external('oauth', 'client_secret')) },
    });
    new KubernetesWorkload(stack, 'B', {
      namespace: 'apps',
      sidecar: { tags: [hostTag], authKey: NodeAuth.env(SecretKeyRef.external('keys', 'b')) },
    });
    const [r] = app.synthesize();
    const a = r.files.get('k8s/apps/a.patch.yaml') ?? '';
    expect(a).toMatch(
      /name: TAILSCALE_OAUTH_CLIENT_SECRET\s+valueFrom:\s+secretKeyRef:\s+name: oauth\s+key: client_secret/,
    );
    expect(a).toContain('value: $(TAILSCALE_OAUTH_CLIENT_SECRET)?ephemeral=false&preauthorized=true');
    expect(a).toContain('value: --advertise-tags=tag:host');
    const b = r.files.get('k8s/apps/b.patch.yaml') ?? '';
    expect(b).toMatch(/name: TS_AUTHKEY\s+valueFrom:\s+secretKeyRef:\s+name: keys\s+key: b/);
  });

  it('Kubernetes: workload identity mounts a projected token and Terraform creates the federated identity', () => {
    const { app, stack, hostTag } = world();
    new KubernetesWorkload(stack, 'Api', {
      namespace: 'apps',
      sidecar: {
        tags: [hostTag],
        authKey: NodeAuth.workloadIdentity({ issuer: 'https://oidc.example.com', audience: 'ts-aud' }),
      },
    });
    const [r] = app.synthesize();
    const patch = r.files.get('k8s/apps/api.patch.yaml') ?? '';
    expect(patch).toContain('value: file:/var/run/secrets/tailscale/serviceaccount/token');
    expect(patch).toMatch(/serviceAccountToken:\s+audience: ts-aud\s+expirationSeconds: 3600\s+path: token/);
    expect(patch).not.toContain('TS_AUTHKEY');
    const tf = JSON.parse(r.files.get('terraform/cdk.tf.json') ?? '{}');
    const [fi] = Object.values(tf.resource.tailscale_federated_identity) as Record<string, unknown>[];
    expect(fi).toMatchObject({
      issuer: 'https://oidc.example.com',
      subject: 'system:serviceaccount:apps:api-tailscale',
      audience: 'ts-aud',
      scopes: ['auth_keys'],
      tags: ['tag:host'],
    });
    const secret = tf.resource.kubernetes_secret_v1.apps_api_tailscale_wif_secret;
    expect(secret.data.client_id).toContain('tailscale_federated_identity.');
    expect(r.ir.kubernetes.authKeys).toEqual([]);
  });
});

/** `tailnet-cdk test` on a synthesized stack reads services.json, so `svc:` tests pass outside synth too. */
describe('tailnet-cdk test with Tailscale Services', () => {
  it('resolves svc: destinations from out/<stack>/services.json', () => {
    const r = cli(['test', 'out/clawbernetes/policy.hujson']);
    expect(r.status, r.out + r.err).toBe(0);
    expect(r.out).toContain('5 assertions, all passed');
  });
});
