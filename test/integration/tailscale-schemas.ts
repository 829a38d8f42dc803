/**
 * JSON Schemas (draft-07) for what kubernetes-models cannot check: the Tailscale operator's custom resources and
 * the `tailscale-operator` chart's values, written from facts/kubernetes-headscale.md §3.1 and §3.3 (the chart
 * ships no values.schema.json, and the CRD OpenAPI files were not kept). Objects are closed, so a misspelled
 * field fails.
 */
const TAG = '^tag:[a-zA-Z][a-zA-Z0-9-]*$';
const HOSTNAME = '^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$';
const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';

type Schema = Record<string, unknown>;

const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(required.length > 0 ? { required } : {}),
});
const tags: Schema = { type: 'array', items: { type: 'string', pattern: TAG }, minItems: 1 };
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const metadata = (namespaced: boolean): Schema =>
  closed(
    {
      name: { type: 'string', pattern: DNS1123_SUBDOMAIN },
      ...(namespaced ? { namespace: { type: 'string' } } : {}),
      labels: stringMap,
      annotations: stringMap,
    },
    ['name'],
  );
const resources = closed({ requests: stringMap, limits: stringMap });

/** `tailscale.com/v1alpha1` Connector (cluster-scoped; appConnector is exclusive with subnetRouter/exitNode). */
export const CONNECTOR_SCHEMA: Schema = closed(
  {
    apiVersion: { const: 'tailscale.com/v1alpha1' },
    kind: { const: 'Connector' },
    metadata: metadata(false),
    spec: closed({
      tags,
      hostname: { type: 'string', pattern: HOSTNAME },
      hostnamePrefix: { type: 'string' },
      proxyClass: { type: 'string' },
      subnetRouter: closed(
        { advertiseRoutes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '/' } } },
        ['advertiseRoutes'],
      ),
      appConnector: closed({ routes: { type: 'array', items: { type: 'string' } } }),
      exitNode: { type: 'boolean' },
      replicas: { type: 'integer', minimum: 0 },
      tailnet: { type: 'string' },
    }),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

/** `tailscale.com/v1alpha1` ProxyGroup (cluster-scoped; facts §3.1: type immutable, replicas default 2). */
export const PROXY_GROUP_SCHEMA: Schema = closed(
  {
    apiVersion: { const: 'tailscale.com/v1alpha1' },
    kind: { const: 'ProxyGroup' },
    metadata: metadata(false),
    spec: closed(
      {
        type: { enum: ['egress', 'ingress', 'kube-apiserver'] },
        tags,
        replicas: { type: 'integer', minimum: 0 },
        hostnamePrefix: { type: 'string' },
        proxyClass: { type: 'string' },
        tailnet: { type: 'string' },
      },
      ['type'],
    ),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

/** `tailscale.com/v1alpha1` ProxyClass, the fields tailnet-cdk writes plus their siblings. */
export const PROXY_CLASS_SCHEMA: Schema = closed(
  {
    apiVersion: { const: 'tailscale.com/v1alpha1' },
    kind: { const: 'ProxyClass' },
    metadata: metadata(false),
    spec: closed({
      statefulSet: closed({
        labels: stringMap,
        annotations: stringMap,
        pod: closed({
          labels: stringMap,
          annotations: stringMap,
          tailscaleContainer: closed({
            env: { type: 'array' },
            image: { type: 'string', pattern: '.+[:@].+' },
            imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
            resources,
            securityContext: { type: 'object' },
          }),
          nodeSelector: stringMap,
          tolerations: { type: 'array' },
          imagePullSecrets: { type: 'array' },
        }),
      }),
      tailscale: closed({ acceptRoutes: { type: 'boolean' } }),
      metrics: closed({ enable: { type: 'boolean' }, serviceMonitor: { type: 'object' } }, ['enable']),
      useLetsEncryptStagingEnvironment: { type: 'boolean' },
    }),
  },
  ['apiVersion', 'kind', 'metadata', 'spec'],
);

const image = closed({
  repository: { type: 'string', minLength: 1 },
  repo: { type: 'string' },
  tag: { type: 'string', minLength: 1, not: { enum: ['latest', 'stable', 'unstable'] } },
  digest: { type: 'string' },
  pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
});

/** Values of the `tailscale-operator` chart v1.102.3 (facts §3.3). Credentials must never be present. */
export const OPERATOR_VALUES_SCHEMA: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  ...closed({
    oauth: closed({ clientId: { const: '' }, clientSecret: { const: '' }, audience: { type: 'string' } }),
    oauthSecretVolume: { type: 'object' },
    loginServer: { type: 'string', pattern: '^https?://' },
    installCRDs: { type: 'boolean' },
    operatorConfig: closed({
      defaultTags: tags,
      image,
      logging: { enum: ['info', 'debug', 'dev'] },
      hostname: { type: 'string', pattern: HOSTNAME },
      nodeSelector: stringMap,
      resources,
      podAnnotations: stringMap,
      podLabels: stringMap,
      tolerations: { type: 'array' },
      extraEnv: { type: 'array' },
    }),
    ingressClass: closed({ name: { type: 'string' }, enabled: { type: 'boolean' } }),
    proxyConfig: closed({
      image,
      defaultTags: { type: 'string', pattern: '^tag:[a-zA-Z][a-zA-Z0-9-]*(,tag:[a-zA-Z][a-zA-Z0-9-]*)*$' },
      firewallMode: { enum: ['auto', 'nftables', 'iptables'] },
      defaultProxyClass: { type: 'string' },
    }),
    apiServerProxyConfig: closed({
      mode: { enum: ['true', 'false', 'noauth'] },
      allowImpersonation: { enum: ['true', 'false'] },
    }),
    imagePullSecrets: { type: 'array' },
  }),
};
