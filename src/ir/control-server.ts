import { z } from 'zod';

/**
 * IR of the stack's control server: Tailscale's own control plane (DNS settings go to Terraform's
 * `tailscale_dns_configuration`) or a self-hosted Headscale (its `config.yaml`, policy dialect and key bootstrap).
 * Headscale fields mirror its documented config keys (facts/kubernetes-headscale.md §4.1), already defaulted.
 */
const SourceSchema = z.object({ path: z.string().min(1) }).readonly();
const strings = z.array(z.string()).readonly();

/** Split DNS: sorted by domain; nameservers keep their order (the first answers first). */
const SplitDnsSchema = z.object({ domain: z.string(), nameservers: strings }).readonly();

export const TailscaleDnsSchema = z
  .object({
    source: SourceSchema,
    magicDns: z.boolean(),
    overrideLocalDns: z.boolean(),
    /** ordered: clients try them in order */
    nameservers: strings,
    splitDns: z.array(SplitDnsSchema).readonly(),
    /** ordered */
    searchPaths: strings,
  })
  .readonly();

export const TailscaleControlSchema = z
  .object({ kind: z.literal('tailscale'), dns: TailscaleDnsSchema.optional() })
  .readonly();

const EmbeddedDerpSchema = z
  .object({
    regionId: z.number().int(),
    regionCode: z.string(),
    regionName: z.string(),
    stunListenAddr: z.string(),
    verifyClients: z.boolean(),
    ipv4: z.string().optional(),
    ipv6: z.string().optional(),
  })
  .readonly();

/** `dns.extra_records`: sorted by (name, type, value). */
const ExtraRecordSchema = z.object({ name: z.string(), type: z.enum(['A', 'AAAA']), value: z.string() }).readonly();

export const HeadscaleOidcSchema = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    /** a file the server reads; never the secret itself */
    clientSecretPath: z.string(),
    /** sorted */
    allowedDomains: strings,
    /** sorted */
    allowedGroups: strings,
    pkce: z.boolean(),
  })
  .readonly();

export const HeadscaleControlSchema = z
  .object({
    kind: z.literal('headscale'),
    source: SourceSchema,
    url: z.string(),
    /** `major.minor` of the server: chooses the CLI dialect of bootstrap.sh's default (facts §4.2) */
    version: z.string(),
    listenAddr: z.string(),
    metricsListenAddr: z.string(),
    grpcListenAddr: z.string(),
    noisePrivateKeyPath: z.string(),
    prefixes: z
      .object({ v4: z.string().optional(), v6: z.string().optional(), allocation: z.enum(['sequential', 'random']) })
      .readonly(),
    derp: z
      .object({
        /** ordered: later maps override earlier regions */
        urls: strings,
        paths: strings,
        autoUpdate: z.boolean(),
        updateFrequency: z.string(),
        server: EmbeddedDerpSchema.optional(),
      })
      .readonly(),
    dns: z
      .object({
        magicDns: z.boolean(),
        baseDomain: z.string(),
        overrideLocalDns: z.boolean(),
        /** ordered */
        globalNameservers: strings,
        splitNameservers: z.array(SplitDnsSchema).readonly(),
        /** ordered */
        searchDomains: strings,
        extraRecords: z.array(ExtraRecordSchema).readonly(),
      })
      .readonly(),
    sqlitePath: z.string(),
    policyPath: z.string(),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']),
    /** Go duration; "0" means untagged nodes never expire */
    nodeExpiry: z.string(),
    ephemeralInactivityTimeout: z.string(),
    /** sorted */
    trustedProxies: strings,
    oidc: HeadscaleOidcSchema.optional(),
  })
  .readonly();

export const ControlServerSchema = z.discriminatedUnion('kind', [TailscaleControlSchema, HeadscaleControlSchema]);

export type TailscaleDnsIr = z.infer<typeof TailscaleDnsSchema>;
export type TailscaleControlIr = z.infer<typeof TailscaleControlSchema>;
export type HeadscaleControlIr = z.infer<typeof HeadscaleControlSchema>;
export type ControlServerIr = z.infer<typeof ControlServerSchema>;

export const TAILSCALE_CONTROL: TailscaleControlIr = { kind: 'tailscale' };
