/**
 * Hand-written cdktf L1 bindings for the Tailscale Terraform provider v0.29 (there is no
 * `@cdktf/provider-tailscale`). Every cdktf import of the project stays under src/emit/terraform/.
 */
export * from './base';
export * from './device';
export * from './device-data';
export * from './dns';
export type { BlockValue, BoolValue } from './fields';
export { escapeTemplate } from './fields';
export * from './keys';
export * from './policy';
export * from './provider';
export * from './schema';
export * from './services';
export * from './users';
