import {
  Fn,
  TerraformDataSource,
  type TerraformMetaArguments,
  type TerraformProviderGeneratorMetadata,
  TerraformResource,
  type TerraformResourceConfig,
} from 'cdktf';
import type { Construct } from 'constructs';
import { brand, hasBrand } from '../../../core/brand';
import { type FieldTable, type HclAttribute, synthesizeFields, synthesizeHclFields } from './fields';

/** Local name and registry source of the provider (`terraform.required_providers.tailscale`). */
export const TAILSCALE_PROVIDER_NAME = 'tailscale';
export const TAILSCALE_PROVIDER_SOURCE = 'tailscale/tailscale';
/**
 * Version constraint written to `required_providers`: the 0.29 line (0.29.x), which the classes and the schema
 * checker follow (provider v0.29.2, facts/tf-tailscale-schema.json). `~> 0.29` would admit 0.30 and later.
 */
export const TAILSCALE_PROVIDER_VERSION_CONSTRAINT = '~> 0.29.0';

export const TAILSCALE_GENERATOR_METADATA: TerraformProviderGeneratorMetadata = {
  providerName: TAILSCALE_PROVIDER_NAME,
  providerVersionConstraint: TAILSCALE_PROVIDER_VERSION_CONSTRAINT,
};

/** The Terraform attributes of a config interface: everything except cdktf's meta-arguments. */
export type AttributesOf<C> = Omit<C, keyof TerraformMetaArguments>;

const RESOURCE_BRAND = Symbol.for('tailnet-cdk.TailscaleResource');
const DATA_SOURCE_BRAND = Symbol.for('tailnet-cdk.TailscaleDataSource');

function resourceConfig(type: string, meta: TerraformMetaArguments): TerraformResourceConfig {
  return {
    terraformResourceType: type,
    terraformGeneratorMetadata: TAILSCALE_GENERATOR_METADATA,
    dependsOn: meta.dependsOn,
    count: meta.count,
    provider: meta.provider,
    lifecycle: meta.lifecycle,
    forEach: meta.forEach,
    provisioners: meta.provisioners,
    connection: meta.connection,
  };
}

/**
 * Base of every `tailscale_*` resource class. Subclasses declare a typed config interface and a field table;
 * synthesis (JSON and HCL) is driven by the table, so attribute names exist in exactly one place.
 */
export abstract class TailscaleResource<C extends TerraformMetaArguments> extends TerraformResource {
  /** Brand check that works across copies of this package (no `instanceof`). */
  static isTailscaleResource(x: unknown): x is TailscaleResource<TerraformMetaArguments> {
    return hasBrand(x, RESOURCE_BRAND);
  }

  /** The config the resource was created with; read attribute values through the typed getters instead. */
  protected readonly tailscaleConfig: C;
  private readonly tailscaleFields: FieldTable<AttributesOf<C>>;

  protected constructor(scope: Construct, id: string, type: string, fields: FieldTable<AttributesOf<C>>, config: C) {
    super(scope, id, resourceConfig(type, config));
    brand(this, RESOURCE_BRAND);
    this.tailscaleConfig = config;
    this.tailscaleFields = fields;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return synthesizeFields(this.tailscaleFields, this.tailscaleConfig as AttributesOf<C>);
  }

  protected override synthesizeHclAttributes(): Record<string, HclAttribute> {
    return synthesizeHclFields(this.tailscaleFields, this.tailscaleConfig as AttributesOf<C>);
  }

  /** A `set(string)` attribute as a list token (`tolist(...)`), so it can be indexed like the generated bindings. */
  protected getSetAttribute(name: string): string[] {
    return Fn.tolist(this.getListAttribute(name));
  }
}

/** Base of every `tailscale_*` data source class; see {@link TailscaleResource}. */
export abstract class TailscaleDataSource<C extends TerraformMetaArguments> extends TerraformDataSource {
  static isTailscaleDataSource(x: unknown): x is TailscaleDataSource<TerraformMetaArguments> {
    return hasBrand(x, DATA_SOURCE_BRAND);
  }

  protected readonly tailscaleConfig: C;
  private readonly tailscaleFields: FieldTable<AttributesOf<C>>;

  protected constructor(scope: Construct, id: string, type: string, fields: FieldTable<AttributesOf<C>>, config: C) {
    super(scope, id, resourceConfig(type, config));
    brand(this, DATA_SOURCE_BRAND);
    this.tailscaleConfig = config;
    this.tailscaleFields = fields;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return synthesizeFields(this.tailscaleFields, this.tailscaleConfig as AttributesOf<C>);
  }

  protected override synthesizeHclAttributes(): Record<string, HclAttribute> {
    return synthesizeHclFields(this.tailscaleFields, this.tailscaleConfig as AttributesOf<C>);
  }

  protected getSetAttribute(name: string): string[] {
    return Fn.tolist(this.getListAttribute(name));
  }
}
