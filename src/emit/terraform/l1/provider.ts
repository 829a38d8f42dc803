import { TerraformProvider, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { brand, hasBrand } from '../../../core/brand';
import { CORE_CODES } from '../../../core/errors';
import { TAILSCALE_GENERATOR_METADATA, TAILSCALE_PROVIDER_NAME, TAILSCALE_PROVIDER_SOURCE } from './base';
import { type FieldTable, type HclAttribute, list, str, synthesizeFields, synthesizeHclFields } from './fields';

/**
 * Configuration of the `tailscale` provider (tailscale/tailscale v0.29). Every argument is optional in the schema;
 * the provider itself enforces: set `apiKey`, or `oauthClientId` plus exactly one of `oauthClientSecret` /
 * `identityToken` / `audience`; `apiKey` excludes all OAuth / federated-identity arguments; `audience` excludes
 * `oauthClientSecret` and `identityToken`. Each credential also has an environment variable, which is the
 * better place for it: configuration values win over the environment.
 *
 * Never pass a credential as a literal string: use a sensitive `TerraformVariable` (`variable.stringValue`),
 * leave it to the environment, or give `"file:<path>"` (supported for apiKey, oauthClientId, oauthClientSecret,
 * identityToken and audience since v0.29.0).
 */
export interface TailscaleProviderConfig {
  /**
   * API access token (`api_key`). **Sensitive.** Env `TAILSCALE_API_KEY`. Excludes every OAuth argument.
   * @default - read from the environment
   */
  readonly apiKey?: string;
  /**
   * ID of an OAuth client or federated identity (`oauth_client_id`). Env `TAILSCALE_OAUTH_CLIENT_ID`.
   * @default - read from the environment
   */
  readonly oauthClientId?: string;
  /**
   * OAuth client secret (`oauth_client_secret`). **Sensitive.** Env `TAILSCALE_OAUTH_CLIENT_SECRET`.
   * @default - read from the environment
   */
  readonly oauthClientSecret?: string;
  /**
   * Scopes requested for the access token minted from the OAuth client (`scopes`).
   * @default - all scopes of the OAuth client
   */
  readonly scopes?: string[];
  /**
   * OIDC JWT exchanged for an API token, workload identity federation (`identity_token`). **Sensitive.**
   * Env `TAILSCALE_IDENTITY_TOKEN`. Needs `oauthClientId`.
   * @default - read from the environment
   */
  readonly identityToken?: string;
  /**
   * Name of an environment variable holding the identity token, e.g. one injected by HCP Terraform
   * (`identity_token_environment_variable_name`). Excludes `identityToken`.
   * @default - none
   */
  readonly identityTokenEnvironmentVariableName?: string;
  /**
   * OIDC audience; the provider then fetches the identity token from the runtime itself (GitHub Actions, AWS,
   * GCP) (`audience`). Env `TAILSCALE_AUDIENCE`. Needs `oauthClientId`.
   * @default - read from the environment
   */
  readonly audience?: string;
  /**
   * Tailnet ID (`tailnet`). Env `TAILSCALE_TAILNET`.
   * @default "-" (the tailnet that owns the credential)
   */
  readonly tailnet?: string;
  /**
   * API base URL (`base_url`). Env `TAILSCALE_BASE_URL`.
   * @default "https://api.tailscale.com"
   */
  readonly baseUrl?: string;
  /**
   * User-Agent header for API calls (`user_agent`).
   * @default "Terraform/<version> (+https://www.terraform.io) terraform-provider-tailscale/<version>"
   */
  readonly userAgent?: string;
  /**
   * Alias of this provider configuration, for several tailnets in one stack (meta-argument, not synthesized as
   * an argument).
   * @default - the default configuration
   */
  readonly alias?: string;
}

type ProviderArguments = Omit<TailscaleProviderConfig, 'alias'>;

const PROVIDER_FIELDS: FieldTable<ProviderArguments> = {
  apiKey: str('api_key'),
  oauthClientId: str('oauth_client_id'),
  oauthClientSecret: str('oauth_client_secret'),
  scopes: list('scopes'),
  identityToken: str('identity_token'),
  identityTokenEnvironmentVariableName: str('identity_token_environment_variable_name'),
  audience: str('audience'),
  tailnet: str('tailnet'),
  baseUrl: str('base_url'),
  userAgent: str('user_agent'),
};

/** Provider arguments the schema marks sensitive; they must never hold a literal secret. */
export const TAILSCALE_SENSITIVE_PROVIDER_ARGUMENTS = ['apiKey', 'oauthClientSecret', 'identityToken'] as const;

const PROVIDER_BRAND = Symbol.for('tailnet-cdk.TailscaleProvider');

/**
 * The `tailscale` provider (registry `tailscale/tailscale`, constraint `~> 0.29`). There is no prebuilt
 * `@cdktf/provider-tailscale`; this class and the resource classes in this folder replace it.
 *
 * Adds a validation (run by `app.synth()`) that rejects a literal string in a sensitive argument, except
 * `"file:<path>"`.
 */
export class TailscaleProvider extends TerraformProvider {
  static readonly tfResourceType = TAILSCALE_PROVIDER_NAME;

  static isTailscaleProvider(x: unknown): x is TailscaleProvider {
    return hasBrand(x, PROVIDER_BRAND);
  }

  private readonly providerConfig: ProviderArguments;
  private providerAlias?: string;

  constructor(scope: Construct, id: string, config: TailscaleProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: TAILSCALE_PROVIDER_NAME,
      terraformGeneratorMetadata: TAILSCALE_GENERATOR_METADATA,
      terraformProviderSource: TAILSCALE_PROVIDER_SOURCE,
    });
    brand(this, PROVIDER_BRAND);
    const { alias, ...args } = config;
    this.providerConfig = args;
    this.providerAlias = alias;
    this.node.addValidation({ validate: () => literalCredentialErrors(this.providerConfig) });
  }

  override get alias(): string | undefined {
    return this.providerAlias;
  }

  override set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  /** cdktf snake-cases provider keys itself; the table already yields the exact Terraform names. */
  protected override synthesizeAttributes(): Record<string, unknown> {
    return synthesizeFields(PROVIDER_FIELDS, this.providerConfig);
  }

  protected override synthesizeHclAttributes(): Record<string, HclAttribute> {
    return synthesizeHclFields(PROVIDER_FIELDS, this.providerConfig);
  }
}

/** `TN4001` messages for sensitive arguments given as literal text (tokens and `file:` paths are fine). */
export function literalCredentialErrors(config: ProviderArguments): string[] {
  const errors: string[] = [];
  for (const key of TAILSCALE_SENSITIVE_PROVIDER_ARGUMENTS) {
    const value = config[key];
    if (value === undefined || Token.isUnresolved(value) || value.startsWith('file:')) continue;
    const tf = PROVIDER_FIELDS[key].tf;
    errors.push(
      `${CORE_CODES.terraformLiteralSecret.code} provider tailscale: ${tf} is a literal value (${value.length} characters); ` +
        `pass a sensitive TerraformVariable (variable.stringValue), use the environment variable, or "file:<path>"`,
    );
  }
  return errors;
}
