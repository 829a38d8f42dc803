import { z } from 'zod';

/**
 * The documented keys of Headscale's `config.yaml` (v0.29.2, facts/kubernetes-headscale.md §4.1, from
 * config-example.yaml and hscontrol/types/config.go). Every object is strict, so a misspelled or removed key
 * (`acl_policy_path`, `dns_config`, `randomize_client_port`, which 0.29 refuses) fails the check instead of being
 * silently ignored by viper. The emitter parses its own output with it; the tests parse the committed files.
 */
const str = z.string();
const bool = z.boolean();
const strs = z.array(z.string());
/** Go durations; "0" for never. */
const duration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/);

const derpServer = z
  .object({
    enabled: bool,
    region_id: z.number().int().optional(),
    region_code: str.optional(),
    region_name: str.optional(),
    verify_clients: bool.optional(),
    stun_listen_addr: str.optional(),
    private_key_path: str.optional(),
    automatically_add_embedded_derp_region: bool.optional(),
    ipv4: str.optional(),
    ipv6: str.optional(),
  })
  .strict();

const dns = z
  .object({
    magic_dns: bool,
    base_domain: str,
    override_local_dns: bool,
    nameservers: z.object({ global: strs, split: z.record(z.string(), strs) }).strict(),
    search_domains: strs,
    extra_records: z.array(z.object({ name: str, type: z.enum(['A', 'AAAA']), value: str }).strict()).optional(),
    extra_records_path: str.optional(),
  })
  .strict();

const database = z
  .object({
    type: z.enum(['sqlite', 'sqlite3', 'postgres']),
    debug: bool.optional(),
    gorm: z
      .object({
        prepare_stmt: bool.optional(),
        parameterized_queries: bool.optional(),
        skip_err_record_not_found: bool.optional(),
        slow_threshold: z.number().optional(),
      })
      .strict()
      .optional(),
    sqlite: z
      .object({ path: str, write_ahead_log: bool.optional(), wal_autocheckpoint: z.number().optional() })
      .strict()
      .optional(),
  })
  .strict();

const oidc = z
  .object({
    only_start_if_oidc_is_available: bool.optional(),
    issuer: str,
    client_id: str,
    client_secret_path: str,
    scope: strs.optional(),
    extra_params: z.record(z.string(), z.string()).optional(),
    allowed_domains: strs.optional(),
    allowed_users: strs.optional(),
    allowed_groups: strs.optional(),
    email_verified_required: bool.optional(),
    use_expiry_from_token: bool.optional(),
    pkce: z
      .object({ enabled: bool, method: z.enum(['plain', 'S256']) })
      .strict()
      .optional(),
  })
  .strict();

export const HeadscaleConfigSchema = z
  .object({
    server_url: z.string().regex(/^https?:\/\//),
    listen_addr: str,
    metrics_listen_addr: str,
    grpc_listen_addr: str,
    grpc_allow_insecure: bool,
    trusted_proxies: strs.optional(),
    noise: z.object({ private_key_path: z.string().min(1) }).strict(),
    prefixes: z
      .object({ v4: str.optional(), v6: str.optional(), allocation: z.enum(['sequential', 'random']) })
      .strict(),
    derp: z
      .object({
        server: derpServer,
        urls: strs,
        paths: strs,
        auto_update_enabled: bool,
        update_frequency: duration,
      })
      .strict(),
    disable_check_updates: bool,
    node: z
      .object({
        expiry: duration,
        ephemeral: z.object({ inactivity_timeout: duration }).strict(),
      })
      .strict(),
    database,
    acme_url: str.optional(),
    acme_email: str.optional(),
    tls_letsencrypt_hostname: str.optional(),
    tls_letsencrypt_cache_dir: str.optional(),
    tls_letsencrypt_challenge_type: z.enum(['HTTP-01', 'TLS-ALPN-01']).optional(),
    tls_letsencrypt_listen: str.optional(),
    tls_cert_path: str,
    tls_key_path: str,
    log: z
      .object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error']), format: z.enum(['text', 'json']) })
      .strict(),
    policy: z.object({ mode: z.enum(['file', 'database']), path: str }).strict(),
    dns,
    unix_socket: str,
    unix_socket_permission: z.string().regex(/^0[0-7]{3}$/),
    oidc: oidc.optional(),
    logtail: z.object({ enabled: bool }).strict(),
    taildrop: z.object({ enabled: bool }).strict().optional(),
  })
  .strict();

export type HeadscaleConfig = z.infer<typeof HeadscaleConfigSchema>;
