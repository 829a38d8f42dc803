import { z } from 'zod';

/**
 * IR of NixOS hosts (the `nixos` field of `StackSchema`): what each host runs — Tailscale, nginx reverse proxies,
 * nftables firewall zones, sysctl tuning, extra NixOS options — and the stack's monitoring. Plain data; the NixOS,
 * nginx and nftables emitters read only this. Option names and types behind it: facts/nixos.md.
 *
 * Kept in its own file (ARCHITECTURE.md: "new artifact families add their own schema file"); the source schema is
 * repeated here because types.ts imports this file.
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();
const strings = z.array(z.string()).readonly();

/** Where a secret file comes from. `path` is where it is at run time (for non-NixOS consumers). */
export const SecretRefSchema = z
  .object({
    kind: z.enum(['sops', 'agenix', 'file']),
    /** sops-nix / agenix secret name (`sops.secrets.<name>`, `age.secrets.<name>`) */
    name: z.string().optional(),
    path: z.string(),
    /** sops-nix `sopsFile` or agenix `file`, when the stack declares the secret */
    file: z.string().optional(),
    /** user that must be able to read it (nginx for a basic-auth file) */
    owner: z.string().optional(),
  })
  .readonly();

export const TailscaleHostSchema = z
  .object({
    interfaceName: z.string(),
    port: z.number().int(),
    loginServer: z.string().optional(),
    authKey: SecretRefSchema.optional(),
    /** set when `authKey` is an OAuth client secret: `services.tailscale.authKeyParameters` */
    authKeyParameters: z.object({ ephemeral: z.boolean(), preauthorized: z.boolean() }).readonly().optional(),
    acceptDns: z.boolean(),
    acceptRoutes: z.boolean(),
    ssh: z.boolean(),
    /** sorted */
    advertiseRoutes: strings,
    advertiseExitNode: z.boolean(),
    /** MagicDNS base name of the exit node this host uses */
    useExitNode: z.string().optional(),
    exitNodeAllowLanAccess: z.boolean(),
    operator: z.string().optional(),
  })
  .readonly();

export const PortRangeSchema = z.object({ from: z.number().int(), to: z.number().int() }).readonly();

export const ProxyReachSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string() }).readonly(),
  z.object({ kind: z.literal('port'), port: z.number().int() }).readonly(),
  z
    .object({ kind: z.literal('service'), service: z.string(), port: z.number().int(), localPort: z.number().int() })
    .readonly(),
  z.object({ kind: z.literal('customDomain'), domain: z.string() }).readonly(),
]);

export const ProxyTlsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).readonly(),
  z.object({ kind: z.literal('tailscale') }).readonly(),
  z.object({ kind: z.literal('acme'), email: z.string().optional() }).readonly(),
]);

/** proxies: sorted by name */
export const ProxySchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    upstream: z.object({ host: z.string(), port: z.number().int() }).readonly(),
    reach: ProxyReachSchema,
    /** addresses nginx listens on; empty = every address */
    listenAddresses: strings,
    tls: ProxyTlsSchema,
    http2: z.boolean(),
    http3: z.boolean(),
    rateLimit: z.object({ rate: z.string(), burst: z.number().int(), status: z.number().int() }).readonly().optional(),
    maxBodySize: z.string().optional(),
    websockets: z.boolean(),
    basicAuth: SecretRefSchema.optional(),
    /** proxy_read_timeout/proxy_send_timeout, nginx time syntax */
    timeout: z.string().optional(),
    buffering: z.boolean(),
    /** grant sources (selectors), declaration order */
    clients: strings,
  })
  .readonly();

/** Tailscale Services this host serves (`NixosHost.addService`): sorted by service, then port */
export const HostedServiceSchema = z
  .object({
    source: SourceSchema,
    /** `svc:<label>` */
    service: z.string(),
    port: z.number().int(),
    protocol: z.enum(['tcp', 'http', 'https']),
    target: z.string(),
  })
  .readonly();

/** zones: sorted by name; interfaces, sources and services sorted; port ranges sorted by `from` */
export const ZoneSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    interfaces: strings,
    tcp: z.array(PortRangeSchema).readonly(),
    udp: z.array(PortRangeSchema).readonly(),
    services: strings,
    sources: strings,
    allowAll: z.boolean(),
    defaultPolicy: z.enum(['drop', 'reject', 'accept']),
    /** nft `limit rate` for logging dropped packets, e.g. `5/minute`; absent = no logging */
    logRate: z.string().optional(),
  })
  .readonly();

export const PrioritySchema = z.enum(['default', 'normal', 'force']);
const scalar = z.union([z.boolean(), z.number(), z.string()]);

/** sysctl: sorted by key; `priority` is printed as lib.mkDefault / plain / lib.mkForce */
export const SysctlSchema = z
  .object({ source: SourceSchema, key: z.string(), value: scalar, priority: PrioritySchema })
  .readonly();

/** extra NixOS options: sorted by path */
export const NixosOptionSchema = z
  .object({
    source: SourceSchema,
    path: z.string(),
    value: z.union([scalar, z.array(z.union([z.string(), z.number()])).readonly()]),
    priority: PrioritySchema,
  })
  .readonly();

/** hosts: sorted by name (the MagicDNS base name) */
export const NixosHostSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    /** sorted */
    tags: strings,
    user: z.string().optional(),
    /** declared Tailscale IPv4, if the author gave one */
    tailscaleIpv4: z.string().optional(),
    /** network interfaces besides Tailscale's, sorted */
    interfaces: strings,
    tailscale: TailscaleHostSchema,
    proxies: z.array(ProxySchema).readonly(),
    hostedServices: z.array(HostedServiceSchema).readonly().default([]),
    zones: z.array(ZoneSchema).readonly(),
    sysctl: z.array(SysctlSchema).readonly(),
    options: z.array(NixosOptionSchema).readonly(),
  })
  .readonly();

export const HealthCheckSchema = z
  .object({
    /** MagicDNS names pinged, sorted */
    peers: strings,
    /** systemd OnCalendar/OnUnitActiveSec value */
    interval: z.string(),
    count: z.number().int(),
    maxLatencyMs: z.number(),
    maxLossPercent: z.number(),
  })
  .readonly();

/** A scrape job besides the node exporters (e.g. a job dispatcher's metrics); targets are MagicDNS base names, sorted */
export const ScrapeJobSchema = z
  .object({
    source: SourceSchema,
    name: z.string(),
    port: z.number().int(),
    metricsPath: z.string(),
    targets: strings,
  })
  .readonly();

/** Grafana on the Prometheus host, with Prometheus provisioned as its datasource */
export const GrafanaSchema = z
  .object({
    source: SourceSchema,
    port: z.number().int(),
    /** file holding Grafana's secret_key (NixOS ≥ 26.05 has no default: nixpkgs#484374) */
    secretKey: SecretRefSchema.optional(),
  })
  .readonly();

/** monitoring: sorted by construct path; targets sorted by host */
export const MonitoringSchema = z
  .object({
    source: SourceSchema,
    prometheusHost: z.string(),
    prometheusPort: z.number().int(),
    scrapeInterval: z.string(),
    nodeExporterPort: z.number().int(),
    targets: strings,
    healthCheck: HealthCheckSchema.optional(),
    /** further scrape jobs, sorted by name */
    jobs: z.array(ScrapeJobSchema).readonly().default([]),
    grafana: GrafanaSchema.optional(),
  })
  .readonly();

export const NixosSchema = z
  .object({
    hosts: z.array(NixosHostSchema).readonly(),
    monitoring: z.array(MonitoringSchema).readonly(),
  })
  .readonly();

export type SecretRefIr = z.infer<typeof SecretRefSchema>;
export type TailscaleHostIr = z.infer<typeof TailscaleHostSchema>;
export type PortRange = z.infer<typeof PortRangeSchema>;
export type ProxyReachIr = z.infer<typeof ProxyReachSchema>;
export type ProxyTlsIr = z.infer<typeof ProxyTlsSchema>;
export type ProxyIr = z.infer<typeof ProxySchema>;
export type ZoneIr = z.infer<typeof ZoneSchema>;
export type HostedServiceIr = z.infer<typeof HostedServiceSchema>;
export type Priority = z.infer<typeof PrioritySchema>;
export type SysctlIr = z.infer<typeof SysctlSchema>;
export type NixosOptionIr = z.infer<typeof NixosOptionSchema>;
export type NixosHostIr = z.infer<typeof NixosHostSchema>;
export type HealthCheckIr = z.infer<typeof HealthCheckSchema>;
export type MonitoringIr = z.infer<typeof MonitoringSchema>;
export type ScrapeJobIr = z.infer<typeof ScrapeJobSchema>;
export type GrafanaIr = z.infer<typeof GrafanaSchema>;
export type NixosIr = z.infer<typeof NixosSchema>;
