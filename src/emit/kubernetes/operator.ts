import type { ConnectorIr, ExposedServiceIr, OperatorIr, ProxyClassIr, ServiceIngressIr } from '../../ir/kubernetes';

/**
 * Artifacts for the Tailscale Kubernetes operator (facts §3): `tailscale-operator` chart values, ProxyClass and
 * Connector custom resources (`tailscale.com/v1alpha1`), and the Service annotations that expose a Service.
 */
const CRD_API_VERSION = 'tailscale.com/v1alpha1';
/** The Secret name the v1.102.3 chart reads when `oauth.clientId/clientSecret` are empty (facts §3.3). */
const CHART_OAUTH_SECRET = 'operator-oauth';

/** `tailscale.com/*` annotations (facts §3.2); tags are comma-separated, expose must be the string "true". */
export function exposeAnnotations(s: ExposedServiceIr): Record<string, string> {
  return {
    'tailscale.com/expose': 'true',
    'tailscale.com/hostname': s.hostname,
    ...(s.tags.length > 0 ? { 'tailscale.com/tags': s.tags.join(',') } : {}),
  };
}

/** A patch for `kubectl patch service … --patch-file`: the annotations plus the proxy-class label. */
export function servicePatch(s: ExposedServiceIr): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: s.service,
      namespace: s.namespace,
      annotations: exposeAnnotations(s),
      // The label is read before the annotation (sts.go proxyClassForObject), so it is the one to set.
      ...(s.proxyClass ? { labels: { 'tailscale.com/proxy-class': s.proxyClass } } : {}),
    },
  };
}

/**
 * Values for the `tailscale-operator` chart. No OAuth credential appears here: the chart reads an existing
 * `operator-oauth` Secret when `oauth.clientId`/`clientSecret` are empty, and any other Secret is mounted through
 * `oauthSecretVolume` (files `client_id`, `client_secret`).
 */
export function operatorValues(o: OperatorIr): Record<string, unknown> {
  return {
    installCRDs: true,
    ...(o.oauthSecretName !== CHART_OAUTH_SECRET
      ? { oauthSecretVolume: { secret: { secretName: o.oauthSecretName } } }
      : {}),
    operatorConfig: {
      defaultTags: o.tags,
      hostname: o.hostname,
      logging: o.logging,
      image: o.image,
    },
    proxyConfig: {
      // A comma-separated string in the chart, not a list (facts §3.3).
      defaultTags: o.proxyTags.join(','),
      firewallMode: o.firewallMode,
      ...(o.defaultProxyClass ? { defaultProxyClass: o.defaultProxyClass } : {}),
      image: o.proxyImage,
    },
    apiServerProxyConfig: { mode: o.apiServerProxy },
  };
}

export function proxyClassManifest(p: ProxyClassIr): Record<string, unknown> {
  const container = {
    ...(p.image ? { image: p.image } : {}),
    ...(p.resources ? { resources: p.resources } : {}),
  };
  const pod = {
    ...(Object.keys(p.podLabels).length > 0 ? { labels: p.podLabels } : {}),
    ...(Object.keys(container).length > 0 ? { tailscaleContainer: container } : {}),
  };
  return {
    apiVersion: CRD_API_VERSION,
    kind: 'ProxyClass',
    metadata: { name: p.name },
    spec: {
      ...(Object.keys(pod).length > 0 ? { statefulSet: { pod } } : {}),
      ...(p.acceptRoutes !== undefined ? { tailscale: { acceptRoutes: p.acceptRoutes } } : {}),
      ...(p.metrics ? { metrics: { enable: true } } : {}),
    },
  };
}

export function connectorManifest(c: ConnectorIr): Record<string, unknown> {
  return {
    apiVersion: CRD_API_VERSION,
    kind: 'Connector',
    metadata: { name: c.name },
    spec: {
      hostname: c.hostname,
      tags: c.tags,
      ...(c.routes.length > 0 ? { subnetRouter: { advertiseRoutes: c.routes } } : {}),
      exitNode: c.exitNode,
      ...(c.proxyClass ? { proxyClass: c.proxyClass } : {}),
      replicas: c.replicas,
    },
  };
}

/** An ingress ProxyGroup (cluster-scoped): its pods host the Tailscale Services of the Ingresses naming it. */
export function proxyGroupManifest(s: ServiceIngressIr): Record<string, unknown> {
  return {
    apiVersion: CRD_API_VERSION,
    kind: 'ProxyGroup',
    metadata: { name: s.proxyGroup },
    spec: { type: 'ingress', tags: s.proxyGroupTags, replicas: s.replicas },
  };
}

/**
 * The Ingress that makes the ProxyGroup advertise `svc:<hostname>`: class `tailscale`, the ProxyGroup annotation,
 * the Service's label as its one TLS host (HTTPS on 443 with the Service's certificate), the backend as default.
 */
export function serviceIngressManifest(s: ServiceIngressIr): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: s.hostname,
      namespace: s.namespace,
      annotations: {
        'tailscale.com/proxy-group': s.proxyGroup,
        ...(s.serviceTags.length > 0 ? { 'tailscale.com/tags': s.serviceTags.join(',') } : {}),
      },
    },
    spec: {
      ingressClassName: 'tailscale',
      defaultBackend: { service: { name: s.backend.service, port: { number: s.backend.port } } },
      tls: [{ hosts: [s.hostname] }],
    },
  };
}
