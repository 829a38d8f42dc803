import {
  ComplexList,
  ComplexObject,
  Fn,
  type IInterpolatingParent,
  type IResolvable,
  type TerraformMetaArguments,
} from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleDataSource } from './base';
import { type BlockValue, block, type FieldTable, num, set, str } from './fields';

/** Device look-ups: `data.tailscale_device`, `data.tailscale_devices`, `data.tailscale_4via6`. */

/** Read-only attributes of a device, shared by `data.tailscale_device` and each `data.tailscale_devices` entry. */
export interface TailscaleDeviceAttributes {
  /** Device ID (legacy numeric ID). */
  readonly id: string;
  /** Stable node ID, the preferred identifier (e.g. "nXXXXCNTRL"); use it for `deviceId` of device resources. */
  readonly nodeId: string;
  /** Full MagicDNS name (hostname.tailnet.ts.net). */
  readonly name: string;
  /** Short host name. */
  readonly hostname: string;
  /** Tailscale IPv4 and IPv6 addresses. */
  readonly addresses: string[];
  /** ACL tags currently applied (a set, exposed as a list). */
  readonly tags: string[];
  /** Login name of the owner. */
  readonly user: string;
  readonly os: string;
  readonly clientVersion: string;
  readonly authorized: IResolvable;
  readonly blocksIncomingConnections: IResolvable;
  readonly isExternal: IResolvable;
  readonly keyExpiryDisabled: IResolvable;
  readonly updateAvailable: IResolvable;
  readonly created: string;
  readonly expires: string;
  readonly lastSeen: string;
  readonly machineKey: string;
  readonly nodeKey: string;
  readonly tailnetLockError: string;
  readonly tailnetLockKey: string;
}

// ------------------------------------------------------------------------------------- data tailscale_device

/** Set exactly one of `name` or `hostname`. */
export interface DataTailscaleDeviceConfig extends TerraformMetaArguments {
  /** Full MagicDNS name to look up (`name`). @default - look up by `hostname` */
  readonly name?: string;
  /** Short host name to look up (`hostname`). @default - look up by `name` */
  readonly hostname?: string;
  /**
   * Go duration above 1s (e.g. "60s") to keep retrying once per second until the device appears, for devices
   * that join during the same apply (`wait_for`).
   * @default - fail at once when the device is missing
   */
  readonly waitFor?: string;
}

const DEVICE_FIELDS: FieldTable<AttributesOf<DataTailscaleDeviceConfig>> = {
  name: str('name'),
  hostname: str('hostname'),
  waitFor: str('wait_for'),
};

/** `data.tailscale_device`: one device by MagicDNS name or host name. */
export class DataTailscaleDevice
  extends TailscaleDataSource<DataTailscaleDeviceConfig>
  implements TailscaleDeviceAttributes
{
  static readonly tfResourceType = 'tailscale_device';

  constructor(scope: Construct, id: string, config: DataTailscaleDeviceConfig) {
    super(scope, id, DataTailscaleDevice.tfResourceType, DEVICE_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
  get nodeId(): string {
    return this.getStringAttribute('node_id');
  }
  get name(): string {
    return this.getStringAttribute('name');
  }
  get hostname(): string {
    return this.getStringAttribute('hostname');
  }
  get addresses(): string[] {
    return this.getListAttribute('addresses');
  }
  get tags(): string[] {
    return this.getSetAttribute('tags');
  }
  get user(): string {
    return this.getStringAttribute('user');
  }
  get os(): string {
    return this.getStringAttribute('os');
  }
  get clientVersion(): string {
    return this.getStringAttribute('client_version');
  }
  get authorized(): IResolvable {
    return this.getBooleanAttribute('authorized');
  }
  get blocksIncomingConnections(): IResolvable {
    return this.getBooleanAttribute('blocks_incoming_connections');
  }
  get isExternal(): IResolvable {
    return this.getBooleanAttribute('is_external');
  }
  get keyExpiryDisabled(): IResolvable {
    return this.getBooleanAttribute('key_expiry_disabled');
  }
  get updateAvailable(): IResolvable {
    return this.getBooleanAttribute('update_available');
  }
  get created(): string {
    return this.getStringAttribute('created');
  }
  get expires(): string {
    return this.getStringAttribute('expires');
  }
  get lastSeen(): string {
    return this.getStringAttribute('last_seen');
  }
  get machineKey(): string {
    return this.getStringAttribute('machine_key');
  }
  get nodeKey(): string {
    return this.getStringAttribute('node_key');
  }
  get tailnetLockError(): string {
    return this.getStringAttribute('tailnet_lock_error');
  }
  get tailnetLockKey(): string {
    return this.getStringAttribute('tailnet_lock_key');
  }
}

// ------------------------------------------------------------------------------------ data tailscale_devices

/** One `filter` block: a top-level device field and the exact values accepted for it. */
export interface DataTailscaleDevicesFilter {
  /** Device field to match, e.g. "hostname", "tags", "isEphemeral" (`name`, required). */
  readonly name: string;
  /** Accepted values (`values`, required, set). */
  readonly values: string[];
}

export interface DataTailscaleDevicesConfig extends TerraformMetaArguments {
  /** Only devices whose name starts with this prefix (`name_prefix`). @default - all devices */
  readonly namePrefix?: string;
  /** Field filters passed to the list-devices API (`filter` blocks, set). @default - none */
  readonly filter?: BlockValue<DataTailscaleDevicesFilter>;
}

const FILTER_FIELDS: FieldTable<DataTailscaleDevicesFilter> = { name: str('name'), values: set('values') };

const DEVICES_FIELDS: FieldTable<AttributesOf<DataTailscaleDevicesConfig>> = {
  namePrefix: str('name_prefix'),
  filter: block<DataTailscaleDevicesFilter>('filter', 'set', FILTER_FIELDS),
};

/** One entry of `data.tailscale_devices.devices` (read-only). */
export class DataTailscaleDevicesDeviceOutputReference extends ComplexObject implements TailscaleDeviceAttributes {
  constructor(parent: IInterpolatingParent, attribute: string, index: number, isFromSet: boolean) {
    super(parent, attribute, isFromSet, index);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
  get nodeId(): string {
    return this.getStringAttribute('node_id');
  }
  get name(): string {
    return this.getStringAttribute('name');
  }
  get hostname(): string {
    return this.getStringAttribute('hostname');
  }
  get addresses(): string[] {
    return this.getListAttribute('addresses');
  }
  get tags(): string[] {
    return Fn.tolist(this.getListAttribute('tags'));
  }
  get user(): string {
    return this.getStringAttribute('user');
  }
  get os(): string {
    return this.getStringAttribute('os');
  }
  get clientVersion(): string {
    return this.getStringAttribute('client_version');
  }
  get authorized(): IResolvable {
    return this.getBooleanAttribute('authorized');
  }
  get blocksIncomingConnections(): IResolvable {
    return this.getBooleanAttribute('blocks_incoming_connections');
  }
  get isExternal(): IResolvable {
    return this.getBooleanAttribute('is_external');
  }
  get keyExpiryDisabled(): IResolvable {
    return this.getBooleanAttribute('key_expiry_disabled');
  }
  get updateAvailable(): IResolvable {
    return this.getBooleanAttribute('update_available');
  }
  get created(): string {
    return this.getStringAttribute('created');
  }
  get expires(): string {
    return this.getStringAttribute('expires');
  }
  get lastSeen(): string {
    return this.getStringAttribute('last_seen');
  }
  get machineKey(): string {
    return this.getStringAttribute('machine_key');
  }
  get nodeKey(): string {
    return this.getStringAttribute('node_key');
  }
  get tailnetLockError(): string {
    return this.getStringAttribute('tailnet_lock_error');
  }
  get tailnetLockKey(): string {
    return this.getStringAttribute('tailnet_lock_key');
  }
}

/** `data.tailscale_devices.devices`: index with `get(i)` or iterate with `TerraformIterator.fromComplexList`. */
export class DataTailscaleDevicesDeviceList extends ComplexList {
  get(index: number): DataTailscaleDevicesDeviceOutputReference {
    return new DataTailscaleDevicesDeviceOutputReference(
      this.terraformResource,
      this.terraformAttribute,
      index,
      this.wrapsSet,
    );
  }
}

/** `data.tailscale_devices`: devices filtered by name prefix and field filters. */
export class DataTailscaleDevices extends TailscaleDataSource<DataTailscaleDevicesConfig> {
  static readonly tfResourceType = 'tailscale_devices';

  /** The devices found (`devices`, read-only list block). */
  readonly devices: DataTailscaleDevicesDeviceList;

  constructor(scope: Construct, id: string, config: DataTailscaleDevicesConfig = {}) {
    super(scope, id, DataTailscaleDevices.tfResourceType, DEVICES_FIELDS, config);
    this.devices = new DataTailscaleDevicesDeviceList(this, 'devices', false);
  }

  /** Random UUID generated on each read. */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ------------------------------------------------------------------------------------- data tailscale_4via6

export interface DataTailscale4Via6Config extends TerraformMetaArguments {
  /** IPv4 CIDR to translate (`cidr`, required). */
  readonly cidr: string;
  /** Site ID, a whole number 0-65535 (`site`, required). */
  readonly site: number;
}

const FOUR_VIA_SIX_FIELDS: FieldTable<AttributesOf<DataTailscale4Via6Config>> = {
  cidr: str('cidr'),
  site: num('site'),
};

/** `data.tailscale_4via6`: the 4via6 IPv6 prefix for a site ID and an IPv4 CIDR (computed locally). */
export class DataTailscale4Via6 extends TailscaleDataSource<DataTailscale4Via6Config> {
  static readonly tfResourceType = 'tailscale_4via6';

  constructor(scope: Construct, id: string, config: DataTailscale4Via6Config) {
    super(scope, id, DataTailscale4Via6.tfResourceType, FOUR_VIA_SIX_FIELDS, config);
  }

  /** Same value as `ipv6`. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** The resulting 4via6 IPv6 prefix. */
  get ipv6(): string {
    return this.getStringAttribute('ipv6');
  }
}
