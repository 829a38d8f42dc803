import type { IResolvable, TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleResource } from './base';
import { type BlockValue, type BoolValue, block, bool, type FieldTable, list, set, str } from './fields';

/**
 * DNS resources. `tailscale_dns_configuration` owns the whole DNS configuration; do not combine it with the
 * single-purpose `tailscale_dns_nameservers` / `_preferences` / `_search_paths` / `_split_nameservers`.
 */

// ---------------------------------------------------------------------------------- tailscale_dns_nameservers

export interface TailscaleDnsNameserversConfig extends TerraformMetaArguments {
  /** Ordered global nameserver IPs, IPv4 or IPv6, at least one (`nameservers`, required). */
  readonly nameservers: string[];
}

const NAMESERVERS_FIELDS: FieldTable<AttributesOf<TailscaleDnsNameserversConfig>> = {
  nameservers: list('nameservers'),
};

/** `tailscale_dns_nameservers`: the global DNS nameservers (singleton). */
export class TailscaleDnsNameservers extends TailscaleResource<TailscaleDnsNameserversConfig> {
  static readonly tfResourceType = 'tailscale_dns_nameservers';

  constructor(scope: Construct, id: string, config: TailscaleDnsNameserversConfig) {
    super(scope, id, TailscaleDnsNameservers.tfResourceType, NAMESERVERS_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ---------------------------------------------------------------------------------- tailscale_dns_preferences

export interface TailscaleDnsPreferencesConfig extends TerraformMetaArguments {
  /** Turn MagicDNS on or off (`magic_dns`, required). */
  readonly magicDns: BoolValue;
}

const PREFERENCES_FIELDS: FieldTable<AttributesOf<TailscaleDnsPreferencesConfig>> = {
  magicDns: bool('magic_dns'),
};

/** `tailscale_dns_preferences`: the MagicDNS switch (singleton). */
export class TailscaleDnsPreferences extends TailscaleResource<TailscaleDnsPreferencesConfig> {
  static readonly tfResourceType = 'tailscale_dns_preferences';

  constructor(scope: Construct, id: string, config: TailscaleDnsPreferencesConfig) {
    super(scope, id, TailscaleDnsPreferences.tfResourceType, PREFERENCES_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
}

// --------------------------------------------------------------------------------- tailscale_dns_search_paths

export interface TailscaleDnsSearchPathsConfig extends TerraformMetaArguments {
  /** Ordered DNS search domains pushed to devices (`search_paths`, required). */
  readonly searchPaths: string[];
}

const SEARCH_PATHS_FIELDS: FieldTable<AttributesOf<TailscaleDnsSearchPathsConfig>> = {
  searchPaths: list('search_paths'),
};

/** `tailscale_dns_search_paths`: DNS search domains (singleton). */
export class TailscaleDnsSearchPaths extends TailscaleResource<TailscaleDnsSearchPathsConfig> {
  static readonly tfResourceType = 'tailscale_dns_search_paths';

  constructor(scope: Construct, id: string, config: TailscaleDnsSearchPathsConfig) {
    super(scope, id, TailscaleDnsSearchPaths.tfResourceType, SEARCH_PATHS_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ---------------------------------------------------------------------------- tailscale_dns_split_nameservers

export interface TailscaleDnsSplitNameserversConfig extends TerraformMetaArguments {
  /** Domain that gets its own nameservers (`domain`, required). Changing it replaces the resource. */
  readonly domain: string;
  /** Nameserver IPs used for the domain, unordered (`nameservers`, required, set). */
  readonly nameservers: string[];
}

const SPLIT_NAMESERVERS_FIELDS: FieldTable<AttributesOf<TailscaleDnsSplitNameserversConfig>> = {
  domain: str('domain'),
  nameservers: set('nameservers'),
};

/** `tailscale_dns_split_nameservers`: nameservers for one split-DNS domain (import ID: the domain). */
export class TailscaleDnsSplitNameservers extends TailscaleResource<TailscaleDnsSplitNameserversConfig> {
  static readonly tfResourceType = 'tailscale_dns_split_nameservers';

  constructor(scope: Construct, id: string, config: TailscaleDnsSplitNameserversConfig) {
    super(scope, id, TailscaleDnsSplitNameservers.tfResourceType, SPLIT_NAMESERVERS_FIELDS, config);
  }

  /** Same value as `domain`. */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

// -------------------------------------------------------------------------------- tailscale_dns_configuration

/** One `nameservers` block of `tailscale_dns_configuration` (also used inside `split_dns`). */
export interface TailscaleDnsNameserver {
  /** IPv4 or IPv6 address of the nameserver (`address`, required). */
  readonly address: string;
  /**
   * Keep using this nameserver while an exit node is in use, client 1.88.1+ (`use_with_exit_node`).
   * @default false
   */
  readonly useWithExitNode?: BoolValue;
}

/** One `split_dns` block: nameservers used only for `domain`. */
export interface TailscaleDnsSplitDns {
  /** Domain whose queries go to the nested nameservers (`domain`, required). */
  readonly domain: string;
  /** Nameservers for the domain, at least one (`nameservers` blocks, ordered). */
  readonly nameservers: BlockValue<TailscaleDnsNameserver>;
}

export interface TailscaleDnsConfigurationConfig extends TerraformMetaArguments {
  /** Enable MagicDNS (`magic_dns`). @default true */
  readonly magicDns?: BoolValue;
  /**
   * Devices use the global nameservers instead of their local DNS settings (`override_local_dns`).
   * @default false
   */
  readonly overrideLocalDns?: BoolValue;
  /**
   * Extra search domains; the tailnet domain comes first automatically with MagicDNS (`search_paths`, ordered).
   * @default []
   */
  readonly searchPaths?: string[];
  /** Global nameservers (`nameservers` blocks, ordered). @default - none */
  readonly nameservers?: BlockValue<TailscaleDnsNameserver>;
  /** Split-DNS entries (`split_dns` blocks, ordered). @default - none */
  readonly splitDns?: BlockValue<TailscaleDnsSplitDns>;
}

const NAMESERVER_FIELDS: FieldTable<TailscaleDnsNameserver> = {
  address: str('address'),
  useWithExitNode: bool('use_with_exit_node'),
};

const SPLIT_DNS_FIELDS: FieldTable<TailscaleDnsSplitDns> = {
  domain: str('domain'),
  nameservers: block<TailscaleDnsNameserver>('nameservers', 'list', NAMESERVER_FIELDS),
};

const DNS_CONFIGURATION_FIELDS: FieldTable<AttributesOf<TailscaleDnsConfigurationConfig>> = {
  magicDns: bool('magic_dns'),
  overrideLocalDns: bool('override_local_dns'),
  searchPaths: list('search_paths'),
  nameservers: block<TailscaleDnsNameserver>('nameservers', 'list', NAMESERVER_FIELDS),
  splitDns: block<TailscaleDnsSplitDns>('split_dns', 'list', SPLIT_DNS_FIELDS),
};

/** `tailscale_dns_configuration`: the complete DNS configuration in one resource (singleton). */
export class TailscaleDnsConfiguration extends TailscaleResource<TailscaleDnsConfigurationConfig> {
  static readonly tfResourceType = 'tailscale_dns_configuration';

  constructor(scope: Construct, id: string, config: TailscaleDnsConfigurationConfig = {}) {
    super(scope, id, TailscaleDnsConfiguration.tfResourceType, DNS_CONFIGURATION_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  get magicDns(): IResolvable {
    return this.getBooleanAttribute('magic_dns');
  }

  get overrideLocalDns(): IResolvable {
    return this.getBooleanAttribute('override_local_dns');
  }

  get searchPaths(): string[] {
    return this.getListAttribute('search_paths');
  }
}
