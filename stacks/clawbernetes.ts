import type { Construct } from 'constructs';
import {
  AuthKey,
  Autogroup,
  KubernetesWorkload,
  NixosHost,
  NodeAuth,
  SecretKeyRef,
  ServicePort,
  type Tag,
  TailnetStack,
  TailscaleOperator,
  TailscaleService,
} from '../src';

/** Namespace of the cluster's control plane workloads. */
export const CLAWBERNETES_NAMESPACE = 'clawbernetes';
/** OIDC issuer of the cluster's service-account tokens (published for Tailscale's workload identity federation). */
export const CLAWBERNETES_OIDC_ISSUER = 'https://oidc.clawbernetes.example.com';

/**
 * The GPU cluster scenario (issue 6): two Tailscale Services.
 * - `svc:clawbernetes-gateway` (HTTPS 443): the cluster's API, hosted by the bare-metal gateway machines tagged
 *   `tag:clawbernetes`; the people running jobs reach it, nothing else does.
 * - `svc:molt-provider` (TCP 8443): the GPU capacity API, hosted by the bare-metal GPU nodes tagged
 *   `tag:gpu-provider`; only the cluster itself (`tag:clawbernetes`) talks to it.
 * Bare-metal NixOS machines log in from sops/agenix secret files (an auth key, or an OAuth client secret used as
 * one); the Kubernetes scheduler and workers log in with workload identity federation, so no key is stored at all.
 */
export class ClawbernetesStack extends TailnetStack {
  readonly gateway: TailscaleService;
  readonly moltProvider: TailscaleService;

  constructor(scope: Construct, id = 'clawbernetes') {
    super(scope, id, { tailnetDomain: 'example.com', magicDnsSuffix: 'claw7e1d.ts.net' });

    const owners = [Autogroup.ADMIN];
    const users = this.addGroup('ClawUsers', {
      name: 'group:claw-users',
      members: ['alice@example.com', 'bob@example.com'],
    });
    const operatorTag = this.addTag('K8sOperator', { name: 'tag:k8s-operator', owners });
    // the operator tags the gateway's ProxyGroup pods with the cluster tag, so it must own it
    const cluster = this.addTag('Clawbernetes', { name: 'tag:clawbernetes', owners: [Autogroup.ADMIN, operatorTag] });
    const gpu = this.addTag('GpuProvider', { name: 'tag:gpu-provider', owners });

    this.gateway = new TailscaleService(this, 'Gateway', {
      name: 'clawbernetes-gateway',
      ports: [ServicePort.https(443, 'http://127.0.0.1:18789')],
      hosts: [cluster],
      clients: [users, cluster],
      comment: 'the cluster API for its users and its own workloads',
    });
    this.moltProvider = new TailscaleService(this, 'MoltProvider', {
      name: 'molt-provider',
      ports: [ServicePort.tcp(8443, 'tcp://127.0.0.1:8443')],
      hosts: [gpu],
      clients: [cluster],
      comment: 'GPU capacity API, for the cluster only',
    });

    this.addBareMetal(cluster, gpu);
    this.addWorkloads(cluster);
    // In the cluster the gateway is also hosted by an ingress ProxyGroup of the operator (HA, HTTPS on 443).
    const operator = new TailscaleOperator(this, 'Operator', { tags: [operatorTag], proxyTags: [cluster] });
    operator.hostService('GatewayIngress', this.gateway, {
      namespace: CLAWBERNETES_NAMESPACE,
      backendService: 'clawbernetes-gateway',
      backendPort: 8080,
    });

    // deny cases on ports of pairs a grant does connect, so they test the rules and not just default deny
    this.expect(users).canReach(this.gateway.selector, 443).cannotReach(this.gateway.selector, 8443);
    this.expect(cluster)
      .canReach(this.moltProvider.selector, 8443)
      .canReach(this.gateway.selector, 443)
      .cannotReach(this.moltProvider.selector, 22);
  }

  /** Gateway machines host the gateway; GPU nodes host molt-provider. Keys come from secret files only. */
  private addBareMetal(cluster: Tag, gpu: Tag): void {
    const gw = new NixosHost(this, 'ClawGw1', {
      hostname: 'claw-gw-1',
      tags: [cluster],
      authKey: AuthKey.agenix('tailscale-authkey', { file: '/etc/nixos/secrets/tailscale-authkey.age' }),
    });
    gw.addService(this.gateway);
    // One GPU node reads a plain auth key from sops, the other an OAuth client secret (never expires, tags only).
    const gpu1 = new NixosHost(this, 'GpuNode1', {
      hostname: 'gpu-node-1',
      tags: [gpu],
      authKey: AuthKey.sops('tailscale/gpu-authkey'),
    });
    const gpu2 = new NixosHost(this, 'GpuNode2', {
      hostname: 'gpu-node-2',
      tags: [gpu],
      authKey: NodeAuth.oauthClient(AuthKey.sops('tailscale/oauth-client-secret'), { preauthorized: true }),
    });
    gpu1.addService(this.moltProvider);
    gpu2.addService(this.moltProvider);
  }

  /** The scheduler and the workers join through workload identity: their service-account tokens are the credential. */
  private addWorkloads(cluster: Tag): void {
    const identity = NodeAuth.workloadIdentity({ issuer: CLAWBERNETES_OIDC_ISSUER, audience: 'tailscale' });
    new KubernetesWorkload(this, 'Scheduler', {
      name: 'clawbernetes-scheduler',
      namespace: CLAWBERNETES_NAMESPACE,
      sidecar: { tags: [cluster], authKey: identity },
    });
    new KubernetesWorkload(this, 'Workers', {
      name: 'claw-worker',
      namespace: CLAWBERNETES_NAMESPACE,
      kind: 'StatefulSet',
      replicas: 2,
      sidecar: { tags: [cluster], authKey: identity },
    });
    // A metrics exporter still on an externally managed OAuth client secret (e.g. from External Secrets).
    new KubernetesWorkload(this, 'Exporter', {
      name: 'claw-exporter',
      namespace: CLAWBERNETES_NAMESPACE,
      sidecar: {
        tags: [cluster],
        authKey: NodeAuth.oauthClient(SecretKeyRef.external('tailscale-oauth', 'client_secret')),
      },
    });
  }
}
