import type { Construct } from 'constructs';
import { Address, ControlServer, Ip, KubernetesWorkload, TailnetStack, TailscaleOperator } from '../src';
import { JUNE_NAMESPACE, type JunePlatformProps } from './june-platform';

/**
 * The June platform on Tailscale's own control plane, with the Tailscale Kubernetes operator: the orchestrator
 * keeps a userspace sidecar (its key is a `tailscale_tailnet_key` that Terraform writes into a Secret), the IdP is
 * exposed by the operator through Service annotations, and a Connector routes the cluster's Service range so the
 * split-DNS entry for svc.cluster.local reaches kube-dns. Terraform also mints the operator's OAuth client.
 */
export class JunePlatformOperatorStack extends TailnetStack {
  constructor(scope: Construct, id = 'june-platform-operator', props: JunePlatformProps = {}) {
    super(scope, id, {
      tailnetDomain: 'example.com',
      magicDnsSuffix: 'tail4a2b9c.ts.net',
      controlServer: ControlServer.tailscale({
        dns: { magicDns: true, splitDns: { 'svc.cluster.local': ['10.96.0.10'] } },
      }),
    });
    const admins = this.addGroup('PlatformAdmins', { members: ['alice@example.com', 'bob@example.com'] });
    // facts §3.4: the operator's tag owns the tags of the proxies it creates.
    const operatorTag = this.addTag('K8sOperator', { name: 'tag:k8s-operator', owners: [admins] });
    const proxyTag = this.addTag('K8s', { name: 'tag:k8s', owners: [operatorTag] });
    const services = this.addTag('JuneServices', { name: 'tag:june-services', owners: [admins, operatorTag] });

    const operator = new TailscaleOperator(this, 'Operator', { tags: [operatorTag], proxyTags: [proxyTag] });
    const proxies = operator.addProxyClass('JuneProxies', {
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
      metrics: true,
    });
    operator.addConnector('ClusterRouter', {
      hostname: 'june-cluster-router',
      tags: [proxyTag],
      routes: ['10.96.0.0/12'],
      proxyClass: proxies,
    });
    operator.exposeService('JuneIdp', {
      namespace: JUNE_NAMESPACE,
      service: 'june-idp',
      hostname: 'june-idp',
      tags: [services],
      proxyClass: proxies,
    });

    const sidecar = { tags: [services], authKey: { reusable: true, expiryDays: 90 } };
    new KubernetesWorkload(this, 'JuneOrchestrator', { namespace: JUNE_NAMESPACE, sidecar });
    if (props.withStt) new KubernetesWorkload(this, 'JuneStt', { namespace: JUNE_NAMESPACE, sidecar });

    this.addAutoApprover('ClusterRoutes', { approvers: [proxyTag], routes: ['10.96.0.0/12'] });
    this.addGrant('AdminsReachServices', {
      src: [admins],
      dst: [services],
      ip: [Ip.tcp(80), Ip.tcp(443), Ip.tcp(8080)],
    });
    this.addGrant('ServicesReachEachOther', { src: [services], dst: [services], ip: [Ip.tcp(80), Ip.tcp(8080)] });
    this.addGrant('AdminsReachClusterDns', {
      src: [admins],
      dst: [Address.of('10.96.0.10')],
      ip: [Ip.udp(53), Ip.tcp(53)],
      comment: 'kube-dns through the Connector, for split DNS',
    });
    this.expect(admins).canReach(services, 8080).cannotReach(services, 22);
  }
}
