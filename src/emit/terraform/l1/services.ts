import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { type AttributesOf, TailscaleDataSource, TailscaleResource } from './base';
import { type FieldTable, num, set, str } from './fields';

/** Tailscale Services and the tailnet's outbound integrations (webhooks, log streaming, device posture). */

// ------------------------------------------------------------------------------------------ tailscale_service

export interface TailscaleServiceConfig extends TerraformMetaArguments {
  /** Service name, starting with "svc:" (`name`, required). Changing it replaces the resource. */
  readonly name: string;
  /** "tcp:<port>" entries the service exposes; "do-not-validate" skips checks (`ports`, required, set). */
  readonly ports: string[];
  /** ACL tags on the service (`tags`, set). @default [] */
  readonly tags?: string[];
  /** Free-text comment (`comment`). @default "" */
  readonly comment?: string;
}

const SERVICE_FIELDS: FieldTable<AttributesOf<TailscaleServiceConfig>> = {
  name: str('name'),
  ports: set('ports'),
  tags: set('tags'),
  comment: str('comment'),
};

/** `tailscale_service`: a Tailscale Service, a named virtual IP endpoint hosted by one or more nodes. */
export class TailscaleService extends TailscaleResource<TailscaleServiceConfig> {
  static readonly tfResourceType = 'tailscale_service';

  constructor(scope: Construct, id: string, config: TailscaleServiceConfig) {
    super(scope, id, TailscaleService.tfResourceType, SERVICE_FIELDS, config);
  }

  /** Same value as `name` (e.g. "svc:web"); the import ID. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /** Virtual IPv4/IPv6 addresses allocated to the service. */
  get addrs(): string[] {
    return this.getListAttribute('addrs');
  }

  get tags(): string[] {
    return this.getSetAttribute('tags');
  }
}

// ------------------------------------------------------------------------------------ data tailscale_service

export interface DataTailscaleServiceConfig extends TerraformMetaArguments {
  /** Service to read, e.g. "svc:web" (`name`, required). */
  readonly name: string;
}

const DATA_SERVICE_FIELDS: FieldTable<AttributesOf<DataTailscaleServiceConfig>> = { name: str('name') };

/** `data.tailscale_service`: reads one Tailscale Service by name. */
export class DataTailscaleService extends TailscaleDataSource<DataTailscaleServiceConfig> {
  static readonly tfResourceType = 'tailscale_service';

  constructor(scope: Construct, id: string, config: DataTailscaleServiceConfig) {
    super(scope, id, DataTailscaleService.tfResourceType, DATA_SERVICE_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
  get addrs(): string[] {
    return this.getListAttribute('addrs');
  }
  get ports(): string[] {
    return this.getListAttribute('ports');
  }
  get tags(): string[] {
    return this.getSetAttribute('tags');
  }
  get comment(): string {
    return this.getStringAttribute('comment');
  }
}

// ------------------------------------------------------------------------------------------ tailscale_webhook

export interface TailscaleWebhookConfig extends TerraformMetaArguments {
  /** URL that receives the events (`endpoint_url`, required). Changing it replaces the resource. */
  readonly endpointUrl: string;
  /** Event types that trigger the webhook, e.g. "nodeCreated", "policyUpdate" (`subscriptions`, required, set). */
  readonly subscriptions: string[];
  /**
   * Payload format: "" (generic), "slack", "mattermost", "googlechat" or "discord" (`provider_type`).
   * Changing it replaces the resource.
   * @default "" (generic)
   */
  readonly providerType?: string;
}

const WEBHOOK_FIELDS: FieldTable<AttributesOf<TailscaleWebhookConfig>> = {
  endpointUrl: str('endpoint_url'),
  subscriptions: set('subscriptions'),
  providerType: str('provider_type'),
};

/** `tailscale_webhook`: a webhook endpoint subscribed to tailnet events. */
export class TailscaleWebhook extends TailscaleResource<TailscaleWebhookConfig> {
  static readonly tfResourceType = 'tailscale_webhook';

  constructor(scope: Construct, id: string, config: TailscaleWebhookConfig) {
    super(scope, id, TailscaleWebhook.tfResourceType, WEBHOOK_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  /** Signing secret for payloads. **Sensitive**; only known from the create call. */
  get secret(): string {
    return this.getStringAttribute('secret');
  }
}

// -------------------------------------------------------------------------- tailscale_logstream_configuration

/** Cross-field requirements (token unless s3, s3_* for s3, gcs_* for gcs) are enforced by the API only. */
export interface TailscaleLogstreamConfigurationConfig extends TerraformMetaArguments {
  /** "configuration" (audit) or "network" (flow logs) (`log_type`, required). Changing it replaces the resource. */
  readonly logType: 'configuration' | 'network' | (string & {});
  /** axiom, cribl, datadog, elastic, gcs, panther, splunk or s3 (`destination_type`, required). */
  readonly destinationType: string;
  /** Endpoint URL; empty for the standard Amazon S3 endpoint (`url`). @default "" */
  readonly url?: string;
  /** Endpoint user name, only for elastic (`user`). @default "user" */
  readonly user?: string;
  /** Endpoint token or password, needed except for s3 (`token`). **Sensitive.** @default - none */
  readonly token?: string;
  /** none, zstd or gzip (`compression_format`). @default "none" */
  readonly compressionFormat?: 'none' | 'zstd' | 'gzip' | (string & {});
  /** Minutes to wait between uploads, a whole number (`upload_period_minutes`). @default 0 */
  readonly uploadPeriodMinutes?: number;
  /** "accesskey" or "rolearn" (recommended), for s3 (`s3_authentication_type`). @default - none */
  readonly s3AuthenticationType?: string;
  /** S3 bucket (`s3_bucket`). @default "" */
  readonly s3Bucket?: string;
  /** S3 bucket region (`s3_region`). @default "" */
  readonly s3Region?: string;
  /** Prefix of generated S3 object keys (`s3_key_prefix`). @default "" */
  readonly s3KeyPrefix?: string;
  /** IAM role Tailscale assumes, s3 + rolearn (`s3_role_arn`). @default "" */
  readonly s3RoleArn?: string;
  /** External ID for the role trust, from `TailscaleAwsExternalId` (`s3_external_id`). @default "" */
  readonly s3ExternalId?: string;
  /** AWS access key ID, s3 + accesskey (`s3_access_key_id`). @default "" */
  readonly s3AccessKeyId?: string;
  /** AWS secret access key, s3 + accesskey (`s3_secret_access_key`). **Sensitive.** @default - none */
  readonly s3SecretAccessKey?: string;
  /** GCS bucket (`gcs_bucket`). @default "" */
  readonly gcsBucket?: string;
  /**
   * GCS workload-identity credentials as a JSON string (`gcs_credentials`); JSON-equal values do not diff.
   * Literal `${` / `%{` are escaped. Not marked sensitive by the provider: pass it through a sensitive variable.
   * @default ""
   */
  readonly gcsCredentials?: string;
  /** Prefix of GCS object keys (`gcs_key_prefix`). @default "" */
  readonly gcsKeyPrefix?: string;
  /** OAuth scopes for writing to the bucket (`gcs_scopes`, set). @default [] */
  readonly gcsScopes?: string[];
}

const LOGSTREAM_FIELDS: FieldTable<AttributesOf<TailscaleLogstreamConfigurationConfig>> = {
  logType: str('log_type'),
  destinationType: str('destination_type'),
  url: str('url'),
  user: str('user'),
  token: str('token'),
  compressionFormat: str('compression_format'),
  uploadPeriodMinutes: num('upload_period_minutes'),
  s3AuthenticationType: str('s3_authentication_type'),
  s3Bucket: str('s3_bucket'),
  s3Region: str('s3_region'),
  s3KeyPrefix: str('s3_key_prefix'),
  s3RoleArn: str('s3_role_arn'),
  s3ExternalId: str('s3_external_id'),
  s3AccessKeyId: str('s3_access_key_id'),
  s3SecretAccessKey: str('s3_secret_access_key'),
  gcsBucket: str('gcs_bucket'),
  gcsCredentials: str('gcs_credentials', { literal: true }),
  gcsKeyPrefix: str('gcs_key_prefix'),
  gcsScopes: set('gcs_scopes'),
};

/** `tailscale_logstream_configuration`: streams audit or flow logs to a SIEM or bucket (one per log type). */
export class TailscaleLogstreamConfiguration extends TailscaleResource<TailscaleLogstreamConfigurationConfig> {
  static readonly tfResourceType = 'tailscale_logstream_configuration';

  constructor(scope: Construct, id: string, config: TailscaleLogstreamConfigurationConfig) {
    super(scope, id, TailscaleLogstreamConfiguration.tfResourceType, LOGSTREAM_FIELDS, config);
  }

  /** Equals `log_type`. */
  get id(): string {
    return this.getStringAttribute('id');
  }
}

// ----------------------------------------------------------------------------- tailscale_posture_integration

export interface TailscalePostureIntegrationConfig extends TerraformMetaArguments {
  /**
   * falcon, fleet, huntress, intune, jamfpro, kandji, kolide or sentinelone (`posture_provider`, required).
   * Changing it replaces the resource.
   */
  readonly postureProvider: string;
  /** API key/token for the vendor (`client_secret`, required). **Sensitive.** */
  readonly clientSecret: string;
  /** Client identifier at the vendor (`client_id`). @default "" */
  readonly clientId?: string;
  /** Vendor cloud / region (`cloud_id`). @default "" */
  readonly cloudId?: string;
  /** Microsoft Intune tenant ID (`tenant_id`). @default "" */
  readonly tenantId?: string;
}

const POSTURE_FIELDS: FieldTable<AttributesOf<TailscalePostureIntegrationConfig>> = {
  postureProvider: str('posture_provider'),
  clientSecret: str('client_secret'),
  clientId: str('client_id'),
  cloudId: str('cloud_id'),
  tenantId: str('tenant_id'),
};

/** `tailscale_posture_integration`: connects a device-posture data provider (MDM/EDR). */
export class TailscalePostureIntegration extends TailscaleResource<TailscalePostureIntegrationConfig> {
  static readonly tfResourceType = 'tailscale_posture_integration';

  constructor(scope: Construct, id: string, config: TailscalePostureIntegrationConfig) {
    super(scope, id, TailscalePostureIntegration.tfResourceType, POSTURE_FIELDS, config);
  }

  get id(): string {
    return this.getStringAttribute('id');
  }
}
