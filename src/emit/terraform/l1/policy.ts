import type { IResolvable, TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleDataSource, TailscaleResource } from './base';
import { type BoolValue, block, bool, type FieldTable, num, str } from './fields';

/** Tailnet-wide resources: the policy file, tailnet settings and contacts (all singletons per tailnet). */

// ---------------------------------------------------------------------------------------------- tailscale_acl

export interface TailscaleAclConfig extends TerraformMetaArguments {
  /**
   * The whole tailnet policy file as JSON or HuJSON (`acl`, required). HuJSON comments are kept by the API;
   * plans ignore pure formatting changes. Literal `${` / `%{` are escaped for Terraform automatically
   * ({@link escapeTemplate}); cdktf tokens inside the text still resolve.
   */
  readonly acl: string;
  /**
   * Let create overwrite a policy that was already edited (`overwrite_existing_content`). Otherwise create only
   * succeeds while the tailnet still has the default policy (HTTP 412 "Overwrite Protected") and the policy
   * must be imported first.
   * @default false
   */
  readonly overwriteExistingContent?: BoolValue;
  /**
   * Reset the tailnet to the default policy when the resource is destroyed (`reset_acl_on_destroy`); otherwise
   * destroy only forgets it.
   * @default false
   */
  readonly resetAclOnDestroy?: BoolValue;
}

const ACL_FIELDS: FieldTable<AttributesOf<TailscaleAclConfig>> = {
  acl: str('acl', { literal: true }),
  overwriteExistingContent: bool('overwrite_existing_content'),
  resetAclOnDestroy: bool('reset_acl_on_destroy'),
};

/** `tailscale_acl`: manages the entire policy file (grants, acls, groups, tagOwners, ssh, tests, …). */
export class TailscaleAcl extends TailscaleResource<TailscaleAclConfig> {
  static readonly tfResourceType = 'tailscale_acl';

  constructor(scope: Construct, id: string, config: TailscaleAclConfig) {
    super(scope, id, TailscaleAcl.tfResourceType, ACL_FIELDS, config);
  }

  /** Random UUID generated on create; no meaning on the API side. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** The policy as stored in state (the API's HuJSON after refresh). */
  get acl(): string {
    return this.getStringAttribute('acl');
  }
}

// ---------------------------------------------------------------------------------- tailscale_tailnet_settings

/** Every setting is optional; an unset one keeps the tailnet's current value (optional + computed). */
export interface TailscaleTailnetSettingsConfig extends TerraformMetaArguments {
  /**
   * http(s) URL shown in the admin console, pointing at the external policy source (`acls_external_link`).
   * @default - unchanged
   */
  readonly aclsExternalLink?: string;
  /**
   * Block policy edits in the admin console, for GitOps/Terraform management (`acls_externally_managed_on`).
   * @default - unchanged
   */
  readonly aclsExternallyManagedOn?: BoolValue;
  /** Require admin approval of new devices (`devices_approval_on`). @default - unchanged */
  readonly devicesApprovalOn?: BoolValue;
  /** Automatic client updates (`devices_auto_updates_on`). @default - unchanged */
  readonly devicesAutoUpdatesOn?: BoolValue;
  /** Node key expiry period in days, a whole number (`devices_key_duration_days`). @default - unchanged */
  readonly devicesKeyDurationDays?: number;
  /** HTTPS certificate provisioning (`https_enabled`). @default - unchanged */
  readonly httpsEnabled?: BoolValue;
  /** Network flow logs (`network_flow_logging_on`). @default - unchanged */
  readonly networkFlowLoggingOn?: BoolValue;
  /** Device identity collection for posture integrations (`posture_identity_collection_on`). @default - unchanged */
  readonly postureIdentityCollectionOn?: BoolValue;
  /** Regional routing (`regional_routing_on`). @default - unchanged */
  readonly regionalRoutingOn?: BoolValue;
  /** Require admin approval of new users (`users_approval_on`). @default - unchanged */
  readonly usersApprovalOn?: BoolValue;
  /**
   * Which users may join other tailnets: "none", "member" or "admin"
   * (`users_role_allowed_to_join_external_tailnet`).
   * @default - unchanged
   */
  readonly usersRoleAllowedToJoinExternalTailnet?: 'none' | 'member' | 'admin' | (string & {});
}

const TAILNET_SETTINGS_FIELDS: FieldTable<AttributesOf<TailscaleTailnetSettingsConfig>> = {
  aclsExternalLink: str('acls_external_link'),
  aclsExternallyManagedOn: bool('acls_externally_managed_on'),
  devicesApprovalOn: bool('devices_approval_on'),
  devicesAutoUpdatesOn: bool('devices_auto_updates_on'),
  devicesKeyDurationDays: num('devices_key_duration_days'),
  httpsEnabled: bool('https_enabled'),
  networkFlowLoggingOn: bool('network_flow_logging_on'),
  postureIdentityCollectionOn: bool('posture_identity_collection_on'),
  regionalRoutingOn: bool('regional_routing_on'),
  usersApprovalOn: bool('users_approval_on'),
  usersRoleAllowedToJoinExternalTailnet: str('users_role_allowed_to_join_external_tailnet'),
};

/** `tailscale_tailnet_settings`: tailnet-wide switches (approval, key duration, flow logs, …). */
export class TailscaleTailnetSettings extends TailscaleResource<TailscaleTailnetSettingsConfig> {
  static readonly tfResourceType = 'tailscale_tailnet_settings';

  constructor(scope: Construct, id: string, config: TailscaleTailnetSettingsConfig = {}) {
    super(scope, id, TailscaleTailnetSettings.tfResourceType, TAILNET_SETTINGS_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  get aclsExternallyManagedOn(): IResolvable {
    return this.getBooleanAttribute('acls_externally_managed_on');
  }

  get devicesApprovalOn(): IResolvable {
    return this.getBooleanAttribute('devices_approval_on');
  }

  get devicesKeyDurationDays(): number {
    return this.getNumberAttribute('devices_key_duration_days');
  }

  get httpsEnabled(): IResolvable {
    return this.getBooleanAttribute('https_enabled');
  }
}

// ------------------------------------------------------------------------------------------ tailscale_contacts

export interface TailscaleContact {
  /** Email address that receives the notices (`email`, required). */
  readonly email: string;
}

/** Each contact block must appear exactly once (set block, one element). */
export interface TailscaleContactsConfig extends TerraformMetaArguments {
  /** Contact for important changes to the tailnet account (`account` block). */
  readonly account: TailscaleContact;
  /** Contact for security notices (`security` block). */
  readonly security: TailscaleContact;
  /** Contact for misconfiguration and support notices (`support` block). */
  readonly support: TailscaleContact;
}

const CONTACT_FIELDS: FieldTable<TailscaleContact> = { email: str('email') };

const CONTACTS_FIELDS: FieldTable<AttributesOf<TailscaleContactsConfig>> = {
  account: block<TailscaleContact>('account', 'set', CONTACT_FIELDS),
  security: block<TailscaleContact>('security', 'set', CONTACT_FIELDS),
  support: block<TailscaleContact>('support', 'set', CONTACT_FIELDS),
};

/** `tailscale_contacts`: account, security and support contact emails of the tailnet. */
export class TailscaleContacts extends TailscaleResource<TailscaleContactsConfig> {
  static readonly tfResourceType = 'tailscale_contacts';

  constructor(scope: Construct, id: string, config: TailscaleContactsConfig) {
    super(scope, id, TailscaleContacts.tfResourceType, CONTACTS_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ---------------------------------------------------------------------------------------- data tailscale_acl

/** `data.tailscale_acl` has no arguments; only meta-arguments apply. */
export type DataTailscaleAclConfig = TerraformMetaArguments;

const DATA_ACL_FIELDS: FieldTable<AttributesOf<DataTailscaleAclConfig>> = {};

/** `data.tailscale_acl`: reads the current policy file (e.g. to diff against a synthesized one). */
export class DataTailscaleAcl extends TailscaleDataSource<DataTailscaleAclConfig> {
  static readonly tfResourceType = 'tailscale_acl';

  constructor(scope: Construct, id: string, config: DataTailscaleAclConfig = {}) {
    super(scope, id, DataTailscaleAcl.tfResourceType, DATA_ACL_FIELDS, config);
  }

  /** Random UUID generated on each read. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** Current policy file as HuJSON, comments kept. */
  get hujson(): string {
    return this.getStringAttribute('hujson');
  }

  /** Current policy file as JSON, comments dropped. */
  get json(): string {
    return this.getStringAttribute('json');
  }
}
