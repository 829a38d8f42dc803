import type { IResolvable, TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleResource } from './base';
import { type BoolValue, bool, type FieldTable, set, str } from './fields';

/**
 * Per-device resources. `device_id` takes the node ID (e.g. "nXXXXCNTRL", preferred) or the legacy numeric ID,
 * typically `DataTailscaleDevice.nodeId`; changing it replaces the resource.
 */

// -------------------------------------------------------------------------------------- tailscale_device_tags

export interface TailscaleDeviceTagsConfig extends TerraformMetaArguments {
  /** Device to tag (`device_id`, required). Changing it replaces the resource. */
  readonly deviceId: string;
  /** The full set of ACL tags, e.g. "tag:server"; replaces existing tags (`tags`, required, set). */
  readonly tags: string[];
}

const DEVICE_TAGS_FIELDS: FieldTable<AttributesOf<TailscaleDeviceTagsConfig>> = {
  deviceId: str('device_id'),
  tags: set('tags'),
};

/** `tailscale_device_tags`: sets the ACL tags of one device. */
export class TailscaleDeviceTags extends TailscaleResource<TailscaleDeviceTagsConfig> {
  static readonly tfResourceType = 'tailscale_device_tags';

  constructor(scope: Construct, id: string, config: TailscaleDeviceTagsConfig) {
    super(scope, id, TailscaleDeviceTags.tfResourceType, DEVICE_TAGS_FIELDS, config);
  }

  /** Device ID. */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ----------------------------------------------------------------------------- tailscale_device_subnet_routes

export interface TailscaleDeviceSubnetRoutesConfig extends TerraformMetaArguments {
  /** Device whose advertised routes are approved (`device_id`, required). Changing it replaces the resource. */
  readonly deviceId: string;
  /**
   * CIDR routes to enable: subnets, or 0.0.0.0/0 and ::/0 for an exit node (`routes`, required, set). Only
   * routes the device advertises (`tailscale set --advertise-routes`) take effect.
   */
  readonly routes: string[];
}

const SUBNET_ROUTES_FIELDS: FieldTable<AttributesOf<TailscaleDeviceSubnetRoutesConfig>> = {
  deviceId: str('device_id'),
  routes: set('routes'),
};

/** `tailscale_device_subnet_routes`: approves advertised subnet / exit-node routes of one device. */
export class TailscaleDeviceSubnetRoutes extends TailscaleResource<TailscaleDeviceSubnetRoutesConfig> {
  static readonly tfResourceType = 'tailscale_device_subnet_routes';

  constructor(scope: Construct, id: string, config: TailscaleDeviceSubnetRoutesConfig) {
    super(scope, id, TailscaleDeviceSubnetRoutes.tfResourceType, SUBNET_ROUTES_FIELDS, config);
  }

  /** Random UUID, not the device ID (import uses the device ID). */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ----------------------------------------------------------------------------- tailscale_device_authorization

export interface TailscaleDeviceAuthorizationConfig extends TerraformMetaArguments {
  /** Device to approve (`device_id`, required). Changing it replaces the resource. */
  readonly deviceId: string;
  /** Whether the device is approved to join the tailnet (`authorized`, required). */
  readonly authorized: BoolValue;
}

const AUTHORIZATION_FIELDS: FieldTable<AttributesOf<TailscaleDeviceAuthorizationConfig>> = {
  deviceId: str('device_id'),
  authorized: bool('authorized'),
};

/** `tailscale_device_authorization`: approves (or un-approves) a device when device approval is on. */
export class TailscaleDeviceAuthorization extends TailscaleResource<TailscaleDeviceAuthorizationConfig> {
  static readonly tfResourceType = 'tailscale_device_authorization';

  constructor(scope: Construct, id: string, config: TailscaleDeviceAuthorizationConfig) {
    super(scope, id, TailscaleDeviceAuthorization.tfResourceType, AUTHORIZATION_FIELDS, config);
  }

  /** Device ID (the node ID after import/refresh). */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

// -------------------------------------------------------------------------------------- tailscale_device_key

export interface TailscaleDeviceKeyConfig extends TerraformMetaArguments {
  /** Device whose key settings are managed (`device_id`, required). Changing it replaces the resource. */
  readonly deviceId: string;
  /** Turn node-key expiry off for the device (`key_expiry_disabled`). @default false */
  readonly keyExpiryDisabled?: BoolValue;
}

const DEVICE_KEY_FIELDS: FieldTable<AttributesOf<TailscaleDeviceKeyConfig>> = {
  deviceId: str('device_id'),
  keyExpiryDisabled: bool('key_expiry_disabled'),
};

/** `tailscale_device_key`: key-expiry setting of one device. */
export class TailscaleDeviceKey extends TailscaleResource<TailscaleDeviceKeyConfig> {
  static readonly tfResourceType = 'tailscale_device_key';

  constructor(scope: Construct, id: string, config: TailscaleDeviceKeyConfig) {
    super(scope, id, TailscaleDeviceKey.tfResourceType, DEVICE_KEY_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  get keyExpiryDisabled(): IResolvable {
    return this.getBooleanAttribute('key_expiry_disabled');
  }
}
