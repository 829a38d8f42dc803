import type { Construct } from 'constructs';
import { ControlServer, Ip, KubernetesWorkload, type Tag, TailnetStack, type TailscaleSidecarProps } from '../src';

/** Namespace of the June services (issue 5 §6). */
export const JUNE_NAMESPACE = 'june-services';

export interface JunePlatformProps {
  /** Add the optional speech-to-text service. @default false */
  readonly withStt?: boolean;
}

/**
 * The Kubernetes platform scenario: services in namespace june-services get userspace Tailscale sidecars that join
 * a self-hosted Headscale (headscale.example.com, MagicDNS under tail.example.com). Keys are reusable, live 180 days
 * and come from headscale/bootstrap.sh straight into Kubernetes Secrets; the charts receive helm/values.yaml.
 * Public and in-cluster access stay as they are: the sidecar adds a tailnet path, it changes no Service.
 */
export class JunePlatformStack extends TailnetStack {
  readonly servicesTag: Tag;

  constructor(scope: Construct, id = 'june-platform', props: JunePlatformProps = {}) {
    super(scope, id, {
      tailnetDomain: 'example.com',
      magicDnsSuffix: 'tail.example.com',
      controlServer: ControlServer.headscale({
        url: 'https://headscale.example.com',
        magicDnsBaseDomain: 'tail.example.com',
        nameservers: { global: ['1.1.1.1', '1.0.0.1'] },
      }),
    });
    // Headscale has no role autogroups (autogroup:admin), so a group of people owns the service tag.
    const admins = this.addGroup('PlatformAdmins', { members: ['alice@example.com', 'bob@example.com'] });
    this.servicesTag = this.addTag('JuneServices', { name: 'tag:june-services', owners: [admins] });

    this.addService('JuneOrchestrator');
    // Keycloak: its HTTP port 8080 is offered on the tailnet as port 80 (plain TCP: Headscale issues no certificates).
    this.addService('JuneIdp', { serve: { TCP: { '80': { TCPForward: '127.0.0.1:8080' } } } });
    if (props.withStt) this.addService('JuneStt');

    this.addGrant('AdminsReachServices', {
      src: [admins],
      dst: [this.servicesTag],
      ip: [Ip.tcp(80), Ip.tcp(443), Ip.tcp(8080)],
      comment: 'the orchestrator API and the Keycloak console',
    });
    this.addGrant('ServicesReachEachOther', {
      src: [this.servicesTag],
      dst: [this.servicesTag],
      ip: [Ip.tcp(80), Ip.tcp(8080)],
      comment: 'the orchestrator validates tokens at the IdP',
    });
    this.expect(admins).canReach(this.servicesTag, 8080).cannotReach(this.servicesTag, 22);
    this.expect(this.servicesTag).canReach(this.servicesTag, 80).cannotReach(this.servicesTag, 5432);
  }

  /** One more service on the tailnet: a workload in june-services with a userspace sidecar and a 180-day key. */
  addService(id: string, sidecar: TailscaleSidecarProps = {}): KubernetesWorkload {
    return new KubernetesWorkload(this, id, {
      namespace: JUNE_NAMESPACE,
      sidecar: { tags: [this.servicesTag], authKey: { reusable: true, expiryDays: 180 }, ...sidecar },
    });
  }
}
