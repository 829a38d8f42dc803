import type { IResolvable, TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleResource } from './base';
import { type BoolValue, bool, type FieldTable, map, num, set, str } from './fields';

/**
 * Keys and trust credentials. Their secrets (`key`) are sensitive and only known right after create (never
 * after import); an output that carries one must set `sensitive: true`.
 */

// ------------------------------------------------------------------------------------- tailscale_tailnet_key

export interface TailscaleTailnetKeyConfig extends TerraformMetaArguments {
  /** The key can register many devices (`reusable`). Changing it replaces the key. @default false */
  readonly reusable?: BoolValue;
  /** Devices registered with the key are ephemeral (`ephemeral`). Changing it replaces the key. @default false */
  readonly ephemeral?: BoolValue;
  /** Devices using the key skip device approval (`preauthorized`). Changing it replaces the key. @default false */
  readonly preauthorized?: BoolValue;
  /** Tags applied to devices that use the key (`tags`, set). Changing it replaces the key. @default [] */
  readonly tags?: string[];
  /**
   * Key lifetime in whole seconds (`expiry`). Changing it replaces the key.
   * @default 7776000 (90 days, chosen by the API)
   */
  readonly expiry?: number;
  /** Free text, at most 50 characters (`description`). Changing it replaces the key. @default "" */
  readonly description?: string;
  /**
   * What to do once the key is expired, revoked or deleted (`recreate_if_invalid`): "always" or "never".
   * @default - reusable keys are re-created, single-use keys are not
   */
  readonly recreateIfInvalid?: 'always' | 'never' | '' | (string & {});
  /** ID of the user that owns the key (`user_id`). @default - the credential's user; empty for OAuth clients */
  readonly userId?: string;
}

const TAILNET_KEY_FIELDS: FieldTable<AttributesOf<TailscaleTailnetKeyConfig>> = {
  reusable: bool('reusable'),
  ephemeral: bool('ephemeral'),
  preauthorized: bool('preauthorized'),
  tags: set('tags'),
  expiry: num('expiry'),
  description: str('description'),
  recreateIfInvalid: str('recreate_if_invalid'),
  userId: str('user_id'),
};

/** `tailscale_tailnet_key`: a pre-authentication (auth) key for registering devices. */
export class TailscaleTailnetKey extends TailscaleResource<TailscaleTailnetKeyConfig> {
  static readonly tfResourceType = 'tailscale_tailnet_key';

  constructor(scope: Construct, id: string, config: TailscaleTailnetKeyConfig = {}) {
    super(scope, id, TailscaleTailnetKey.tfResourceType, TAILNET_KEY_FIELDS, config);
  }

  /** Auth key ID. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** The auth key secret. **Sensitive**; only known from the create call. */
  get key(): string {
    return this.getStringAttribute('key');
  }

  /** True once the key is expired, revoked or deleted. */
  get invalid(): IResolvable {
    return this.getBooleanAttribute('invalid');
  }

  /** Creation time (RFC 3339). */
  get createdAt(): string {
    return this.getStringAttribute('created_at');
  }

  /** Expiry time (RFC 3339). */
  get expiresAt(): string {
    return this.getStringAttribute('expires_at');
  }

  get userId(): string {
    return this.getStringAttribute('user_id');
  }
}

// ------------------------------------------------------------------------------------ tailscale_oauth_client

export interface TailscaleOauthClientConfig extends TerraformMetaArguments {
  /** API scopes granted to the client (`scopes`, required, set). */
  readonly scopes: string[];
  /**
   * Tags the client's tokens may assign; needed with scopes devices:core or auth_keys (`tags`, set).
   * @default []
   */
  readonly tags?: string[];
  /** Free text, at most 50 characters (`description`). @default "" */
  readonly description?: string;
}

const OAUTH_CLIENT_FIELDS: FieldTable<AttributesOf<TailscaleOauthClientConfig>> = {
  scopes: set('scopes'),
  tags: set('tags'),
  description: str('description'),
};

/** Computed attributes shared by OAuth clients and federated identities. */
abstract class TrustCredential<C extends TerraformMetaArguments> extends TailscaleResource<C> {
  /** Client ID, used as `oauth_client_id` of the provider. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  get createdAt(): string {
    return this.getStringAttribute('created_at');
  }

  get updatedAt(): string {
    return this.getStringAttribute('updated_at');
  }

  /** ID of the creating user; empty when another trust credential created it. */
  get userId(): string {
    return this.getStringAttribute('user_id');
  }
}

/** `tailscale_oauth_client`: an OAuth client trust credential with scopes and tags. */
export class TailscaleOauthClient extends TrustCredential<TailscaleOauthClientConfig> {
  static readonly tfResourceType = 'tailscale_oauth_client';

  constructor(scope: Construct, id: string, config: TailscaleOauthClientConfig) {
    super(scope, id, TailscaleOauthClient.tfResourceType, OAUTH_CLIENT_FIELDS, config);
  }

  /** The client secret. **Sensitive**; only known from the create call (not restored by import). */
  get key(): string {
    return this.getStringAttribute('key');
  }
}

// ------------------------------------------------------------------------------- tailscale_federated_identity

export interface TailscaleFederatedIdentityConfig extends TerraformMetaArguments {
  /** OIDC issuer, a public https:// URL (`issuer`, required). */
  readonly issuer: string;
  /** Pattern matched against the token's "sub" claim, "*" is a wildcard (`subject`, required). */
  readonly subject: string;
  /** API scopes granted to tokens issued for this identity (`scopes`, required, set). */
  readonly scopes: string[];
  /** Expected "aud" claim; must not be empty when set (`audience`). @default - generated by Tailscale */
  readonly audience?: string;
  /**
   * Extra claim name → wildcard pattern the token must match; keys sub, iss and aud are rejected
   * (`custom_claim_rules`).
   * @default {}
   */
  readonly customClaimRules?: Record<string, string>;
  /** Tags issued tokens may assign; needed with devices:core or auth_keys (`tags`, set). @default [] */
  readonly tags?: string[];
  /** Free text, at most 50 characters (`description`). @default "" */
  readonly description?: string;
}

const FEDERATED_IDENTITY_FIELDS: FieldTable<AttributesOf<TailscaleFederatedIdentityConfig>> = {
  issuer: str('issuer'),
  subject: str('subject'),
  scopes: set('scopes'),
  audience: str('audience'),
  customClaimRules: map('custom_claim_rules'),
  tags: set('tags'),
  description: str('description'),
};

/** `tailscale_federated_identity`: workload identity federation (OIDC issuer/subject → API scopes). */
export class TailscaleFederatedIdentity extends TrustCredential<TailscaleFederatedIdentityConfig> {
  static readonly tfResourceType = 'tailscale_federated_identity';

  constructor(scope: Construct, id: string, config: TailscaleFederatedIdentityConfig) {
    super(scope, id, TailscaleFederatedIdentity.tfResourceType, FEDERATED_IDENTITY_FIELDS, config);
  }

  /** The audience in effect (generated when not configured). */
  get audience(): string {
    return this.getStringAttribute('audience');
  }
}

// --------------------------------------------------------------------------------- tailscale_aws_external_id

/** `tailscale_aws_external_id` has no arguments. */
export type TailscaleAwsExternalIdConfig = TerraformMetaArguments;

const AWS_EXTERNAL_ID_FIELDS: FieldTable<AttributesOf<TailscaleAwsExternalIdConfig>> = {};

/** `tailscale_aws_external_id`: an AWS external ID so Tailscale can assume an IAM role (S3 log streaming). */
export class TailscaleAwsExternalId extends TailscaleResource<TailscaleAwsExternalIdConfig> {
  static readonly tfResourceType = 'tailscale_aws_external_id';

  constructor(scope: Construct, id: string, config: TailscaleAwsExternalIdConfig = {}) {
    super(scope, id, TailscaleAwsExternalId.tfResourceType, AWS_EXTERNAL_ID_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  /** External ID Tailscale presents; put it in the role's trust policy. */
  get externalId(): string {
    return this.getStringAttribute('external_id');
  }

  /** AWS account Tailscale assumes the role from. */
  get tailscaleAwsAccountId(): string {
    return this.getStringAttribute('tailscale_aws_account_id');
  }
}
